package io.gradtune.driver.search;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GoodBadSplitTest {

    private static Observation obs(int id, double value, Observation.Kind kind) {
        return new Observation(Map.of("id", id), value, kind);
    }

    @Test
    void gammaIsTenPercentRoundedUpCappedAt25() {
        assertEquals(1, GoodBadSplit.gamma(1));
        assertEquals(1, GoodBadSplit.gamma(10));
        assertEquals(2, GoodBadSplit.gamma(11));
        assertEquals(25, GoodBadSplit.gamma(1000));
    }

    @Test
    void infeasibleIsNeverGoodPendingIsBadAndFailedIsIgnored() {
        List<Observation> finished = new ArrayList<>(List.of(
                obs(0, -100, Observation.Kind.INFEASIBLE),
                obs(1, 5, Observation.Kind.COMPLETED),
                obs(2, 1, Observation.Kind.PRUNED),
                obs(3, -50, Observation.Kind.FAILED),
                obs(4, 3, Observation.Kind.COMPLETED)));
        for (int i = 5; i < 16; i++) {
            finished.add(obs(i, 10 + i, Observation.Kind.COMPLETED));
        }
        // 15 usable + 5 pending = 20 -> gamma = 2: the PRUNED 1 and the COMPLETED 3
        GoodBadSplit split = GoodBadSplit.of(finished, List.of(
                Map.of("id", 100), Map.of("id", 101), Map.of("id", 102), Map.of("id", 103), Map.of("id", 104)));
        assertEquals(List.of(Map.of("id", 2), Map.of("id", 4)), split.good());
        assertEquals(18, split.bad().size());
        assertEquals(Map.of("id", 0), split.bad().get(0));
        assertEquals(Map.of("id", 104), split.bad().get(17));
    }

    @Test
    void olderObservationsAreDownWeightedBeyondTheLast25() {
        double[] w = GoodBadSplit.weights(30);
        assertEquals(1.0 / 30, w[0], 1e-12);
        assertEquals(1.0, w[4], 1e-12);
        assertEquals(1.0, w[29], 1e-12);
        assertEquals(1.0, GoodBadSplit.weights(10)[0], 1e-12);
    }
}
