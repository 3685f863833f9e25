package io.gradtune.driver.search;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GP sampler's cost-aware acquisition ({@code search.cost_aware}): EI per second of an epoch. */
class CostAwareGpSamplerTest {

    /** The objective depends on a only: every b is as good as any other. */
    static double objective(Map<String, Object> p) {
        double a = (Double) p.get("a");
        return (a - 0.3) * (a - 0.3);
    }

    /** Epochs cost 9 times more at b = 1 than at b = 0 (the bench space's cheap and dear corners). */
    static double cost(Map<String, Object> p) {
        return 0.05 * Math.exp(Math.log(9) * (Double) p.get("b"));
    }

    /** Sequential run: every proposal evaluated, with the given cost per epoch. */
    static List<Map<String, Object>> run(Sampler sampler, int evals, ToDoubleFunction<Map<String, Object>> cost) {
        List<Observation> finished = new ArrayList<>();
        List<Map<String, Object>> proposals = new ArrayList<>();
        for (int i = 0; i < evals; i++) {
            Map<String, Object> p = sampler.propose(new SearchHistory(finished, List.of())).orElseThrow();
            proposals.add(p);
            finished.add(new Observation(p, objective(p), Observation.Kind.COMPLETED, null, cost.applyAsDouble(p)));
        }
        return proposals;
    }

    static GpSampler sampler(long seed, boolean costAware) {
        return new GpSampler(CostModelTest.SPACE, seed, GpSampler.DEFAULT_STARTUP_TRIALS, List.of(), null, costAware);
    }

    static double meanB(List<Map<String, Object>> proposals) {
        return proposals.stream().mapToDouble(p -> (Double) p.get("b")).average().orElseThrow();
    }

    @Test
    void prefersCheapEpochsWhereExpectedImprovementIsEqual() {
        for (long seed = 1; seed <= 3; seed++) {
            List<Map<String, Object>> aware = run(sampler(seed, true), 30, CostAwareGpSamplerTest::cost);
            List<Map<String, Object>> plain = run(sampler(seed, false), 30, CostAwareGpSamplerTest::cost);
            assertEquals(aware.subList(0, 10), plain.subList(0, 10), "the random start-up is the same");
            double awareB = meanB(aware.subList(10, 30));
            double plainB = meanB(plain.subList(10, 30));
            assertTrue(awareB < 0.35 && awareB < plainB - 0.1,
                    "seed " + seed + ": mean b cost-aware " + awareB + " vs plain EI " + plainB);
            // and it still optimizes: the best a is as close to 0.3 as plain EI's
            double awareBest = aware.stream().mapToDouble(CostAwareGpSamplerTest::objective).min().orElseThrow();
            assertTrue(awareBest < 1e-3, "seed " + seed + ": best " + awareBest);
        }
    }

    @Test
    void isPlainEiWithoutCostData() {
        List<Map<String, Object>> plain = run(sampler(5, false), 25, p -> Double.NaN);
        assertEquals(plain, run(sampler(5, true), 25, p -> Double.NaN), "no cost known");
        assertEquals(plain, run(sampler(5, true), 25, p -> 0.3), "every trial costs the same");
        assertEquals(plain, run(sampler(5, false), 25, CostAwareGpSamplerTest::cost), "cost known but not asked for");
        assertNotEquals(plain, run(sampler(5, true), 25, CostAwareGpSamplerTest::cost));
    }

    @Test
    void sameSeedAndHistoriesGiveSameProposals() {
        assertEquals(run(sampler(7, true), 25, CostAwareGpSamplerTest::cost),
                run(sampler(7, true), 25, CostAwareGpSamplerTest::cost));
    }

    @Test
    void warmStartWithoutCostsThenTrialsWithCosts() {
        List<Observation> warm = new ArrayList<>();
        for (Map<String, Object> p : run(sampler(11, false), 12, q -> Double.NaN)) {
            warm.add(new Observation(p, objective(p), Observation.Kind.COMPLETED));
        }
        GpSampler s = new GpSampler(CostModelTest.SPACE, 12, GpSampler.DEFAULT_STARTUP_TRIALS, warm, null, true);
        List<Map<String, Object>> proposals = run(s, 20, CostAwareGpSamplerTest::cost);
        assertTrue(meanB(proposals.subList(5, 20)) < 0.3, "mean b " + meanB(proposals.subList(5, 20)));
    }

    @Test
    void costWeightCoolsFromOneToZeroOverTheBudget() {
        assertEquals(1.0, GpSampler.costWeight(10, 60, 10));
        assertEquals(0.5, GpSampler.costWeight(35, 60, 10));
        assertEquals(0.0, GpSampler.costWeight(60, 60, 10));
        assertEquals(0.0, GpSampler.costWeight(75, 60, 10), "past the budget (a resumed study with a lower one)");
        assertEquals(1.0, GpSampler.costWeight(3, 60, 10), "during the start-up");
        assertEquals(1.0, GpSampler.costWeight(500, 0, 10), "budget unknown: full weight");
        assertEquals(0.0, GpSampler.costWeight(5, 5, 10), "budget within the start-up");
    }

    @Test
    void cooledCostWeighsLessLateInTheBudget() {
        GpSampler cooled = new GpSampler(CostModelTest.SPACE, 3, GpSampler.DEFAULT_STARTUP_TRIALS, List.of(), null,
                true, 30);
        List<Map<String, Object>> withCooling = run(cooled, 30, CostAwareGpSamplerTest::cost);
        List<Map<String, Object>> uncooled = run(sampler(3, true), 30, CostAwareGpSamplerTest::cost);
        List<Map<String, Object>> plain = run(sampler(3, false), 30, CostAwareGpSamplerTest::cost);
        assertEquals(uncooled.subList(0, 11), withCooling.subList(0, 11), "full weight at the first modelled trial");
        double coolB = meanB(withCooling.subList(20, 30));
        double uncooledB = meanB(uncooled.subList(20, 30));
        assertTrue(coolB > uncooledB, "last third: mean b cooled " + coolB + " vs uncooled " + uncooledB
                + " (plain EI " + meanB(plain.subList(20, 30)) + ")");
    }

    @Test
    void studyConfigPassesItsTrialBudget() {
        assertEquals(0, SamplerOptions.defaults().trialBudget());
        assertEquals(60, SamplerOptions.defaults().withTrialBudget(60).withCostAware(false).withPrior(null)
                .withOneAtATime(false).withWarmStart(List.of()).trialBudget());
    }

    @Test
    void defaultOptionsAreCostAware() {
        assertTrue(SamplerOptions.defaults().costAware());
        assertTrue(!SamplerOptions.defaults().withCostAware(false).costAware());
    }
}
