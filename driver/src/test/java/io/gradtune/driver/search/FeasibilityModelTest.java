package io.gradtune.driver.search;

import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.SearchSpace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeasibilityModelTest {

    private static final SearchSpace LINE = new SearchSpace(List.of(new FloatParameter("x", 0, 1, false, null)));
    private static final UnitCubeEncoding ENCODING = new UnitCubeEncoding(LINE);

    /** Feasible trials at 0.05-0.45, infeasible ones at 0.75-0.95, a crash at 0.95 on the feasible side's terms. */
    private static List<Observation> oneSided() {
        List<Observation> finished = new ArrayList<>();
        for (double x : new double[] {0.05, 0.15, 0.25, 0.35, 0.45}) {
            finished.add(new Observation(Map.of("x", x), -x, Observation.Kind.COMPLETED));
        }
        for (double x : new double[] {0.75, 0.85, 0.95}) {
            finished.add(new Observation(Map.of("x", x), Double.NaN, Observation.Kind.INFEASIBLE));
        }
        finished.add(new Observation(Map.of("x", 0.9), Double.NaN, Observation.Kind.FAILED));
        return finished;
    }

    private static FeasibilityModel fit(List<Observation> finished, long seed) {
        return FeasibilityModel.of(finished, ENCODING, 150, 64, null, new SplittableRandom(seed), 2, 50)
                .orElseThrow();
    }

    @Test
    void feasibleSideIsLikelyFeasibleAndTheInfeasibleSideUnlikely() {
        FeasibilityModel m = fit(oneSided(), 1);
        for (double x = 0; x <= 0.45; x += 0.05) {
            assertTrue(m.probability(new double[] {x}) > 0.95, "P(feasible | " + x + ")");
        }
        for (double x = 0.7; x <= 1.0; x += 0.05) {
            assertTrue(m.probability(new double[] {x}) < 0.05, "P(feasible | " + x + ")");
        }
    }

    @Test
    void noInfeasibleTrialMeansNoModel() {
        List<Observation> feasible = oneSided().stream().filter(o -> o.kind() != Observation.Kind.INFEASIBLE).toList();
        assertTrue(FeasibilityModel.of(feasible, ENCODING, 150, 64, null, new SplittableRandom(1), 2, 50).isEmpty());
    }

    @Test
    void sameTrialsAndSeedGiveTheSameProbabilities() {
        double[][] grid = {{0.1}, {0.55}, {0.6}, {0.65}, {0.9}};
        assertEquals(java.util.Arrays.toString(fit(oneSided(), 3).logProbability(grid)),
                java.util.Arrays.toString(fit(oneSided(), 3).logProbability(grid)));
    }

    @Test
    void logCdfIsContinuousAtTheSeriesSwitchAndFiniteFarOut() {
        double below = FeasibilityModel.logCdf(-8 - 1e-9);
        double above = FeasibilityModel.logCdf(-8 + 1e-9);
        assertEquals(above, below, 1e-3 * Math.abs(above));
        assertTrue(Double.isFinite(FeasibilityModel.logCdf(-1e3)));
        assertEquals(0, FeasibilityModel.logCdf(10), 1e-9);
    }
}
