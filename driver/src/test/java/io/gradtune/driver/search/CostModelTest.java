package io.gradtune.driver.search;

import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.SearchSpace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CostModelTest {

    static final SearchSpace SPACE = new SearchSpace(List.of(
            new FloatParameter("a", 0, 1, false, null),
            new FloatParameter("b", 0, 1, false, null)));

    /** n trials at random points, each costing cost(b) seconds per epoch. */
    static List<Observation> trials(int n, java.util.function.DoubleUnaryOperator cost, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Observation> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double a = r.nextDouble();
            double b = r.nextDouble();
            out.add(new Observation(Map.of("a", a, "b", b), a, Observation.Kind.COMPLETED, null,
                    cost.applyAsDouble(b)));
        }
        return out;
    }

    static CostModel model() {
        return new CostModel(new UnitCubeEncoding(SPACE), 1);
    }

    @Test
    void learnsWhereEpochsAreCheapFromTheTrials() {
        CostModel.Prediction p = model().fit(trials(20, b -> 0.05 * Math.exp(2.2 * b), 3)).orElseThrow();
        double cheap = p.logCost(new double[]{0.5, 0.1});
        double dear = p.logCost(new double[]{0.5, 0.9});
        assertEquals(Math.log(0.05) + 2.2 * 0.1, cheap, 0.15);
        assertEquals(Math.log(0.05) + 2.2 * 0.9, dear, 0.15);
    }

    @Test
    void predictionsStayWithinTheObservedCosts() {
        CostModel.Prediction p = model().fit(trials(10, b -> 0.1 + b, 4)).orElseThrow();
        for (double b = 0; b <= 1; b += 0.05) {
            double c = p.logCost(new double[]{0.5, b});
            assertTrue(c >= p.min() && c <= p.max(), "log cost " + c + " outside [" + p.min() + ", " + p.max() + "]");
            assertTrue(Double.isFinite(c));
        }
    }

    @Test
    void noModelWithTooFewTrialsWithACost() {
        List<Observation> two = trials(2, b -> 0.1 + b, 5);
        assertFalse(model().fit(two).isPresent());
        List<Observation> unknown = new ArrayList<>(two);
        unknown.addAll(trials(10, b -> Double.NaN, 6)); // warm start, no epoch, synthetic
        unknown.addAll(trials(5, b -> 0, 7));           // an epoch time of 0 says nothing either
        assertFalse(model().fit(unknown).isPresent());
        assertTrue(model().fit(trials(CostModel.MIN_POINTS, b -> 0.1 + b, 5)).isPresent());
    }

    @Test
    void noModelWhenEveryTrialCostsTheSame() {
        assertFalse(model().fit(trials(50, b -> 0.2, 8)).isPresent());
        assertFalse(model().fit(trials(50, b -> 0.2 * (1 + 1e-4 * b), 8)).isPresent());
    }

    @Test
    void deterministicForASeedAndRefitsOnlyAsTheCostsGrow() {
        List<Observation> t = trials(30, b -> 0.05 * Math.exp(2 * b), 9);
        CostModel m1 = model();
        CostModel m2 = model();
        double[] q = {0.3, 0.7};
        for (int n = 3; n <= 30; n++) {
            double c1 = m1.fit(t.subList(0, n)).orElseThrow().logCost(q);
            double c2 = m2.fit(t.subList(0, n)).orElseThrow().logCost(q);
            assertEquals(c1, c2, 0.0, "n = " + n);
        }
    }

    @Test
    void conditionsOnTheMostRecentTrialsOnly() {
        List<Observation> t = new ArrayList<>(trials(100, b -> 1.0, 10));       // old: dear everywhere
        t.addAll(trials(CostModel.MAX_POINTS, b -> 0.01 * Math.exp(b), 11)); // recent: cheap
        CostModel.Prediction p = model().fit(t).orElseThrow();
        assertEquals(CostModel.MAX_POINTS, p.gp().size());
        assertTrue(p.logCost(new double[]{0.5, 0.5}) < Math.log(0.1));
    }
}
