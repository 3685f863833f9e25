package io.gradtune.driver.search;

import io.gradtune.driver.bench.SamplerBenchmark;
import io.gradtune.driver.bench.TestFunction;
import io.gradtune.driver.space.CategoricalParameter;
import io.gradtune.driver.space.Condition;
import io.gradtune.driver.space.FixedParameter;
import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.IntParameter;
import io.gradtune.driver.space.Parameter;
import io.gradtune.driver.space.SearchSpace;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GpSamplerTest {

    /** Log float, int with a conditional log-int child, categorical with a conditional float and categorical. */
    static final SearchSpace MIXED = new SearchSpace(List.of(
            new FloatParameter("lr", 1e-4, 1e-1, true, null),
            new IntParameter("layers", 1, 4, false, null),
            new IntParameter("units_3", 16, 256, true, new Condition("layers", null, 3.0)),
            new CategoricalParameter("optimizer", List.of("sgd", "adam", "rmsprop"), null),
            new FloatParameter("momentum", 0.5, 0.99, false, new Condition("optimizer", List.of("sgd"), null)),
            new CategoricalParameter("amsgrad", List.of(true, false), new Condition("optimizer", List.of("adam"), null)),
            new FixedParameter("batch_size", 64, null)));

    static double mixedObjective(Map<String, Object> a) {
        double lr = Math.log10((Double) a.get("lr"));
        double penalty = a.get("optimizer").equals("adam") ? 0 : 0.5;
        double units = a.containsKey("units_3") ? Math.abs(Math.log((Integer) a.get("units_3") / 64.0)) : 0;
        return (lr + 2.5) * (lr + 2.5) + Math.abs((Integer) a.get("layers") - 3) + penalty + units;
    }

    /** Sequential run recording every proposal. */
    static List<Map<String, Object>> run(Sampler sampler, int evals, ToDoubleFunction<Map<String, Object>> f) {
        List<Observation> finished = new ArrayList<>();
        List<Map<String, Object>> proposals = new ArrayList<>();
        for (int i = 0; i < evals; i++) {
            Map<String, Object> p = sampler.propose(new SearchHistory(finished, List.of())).orElseThrow();
            proposals.add(p);
            finished.add(new Observation(p, f.applyAsDouble(p), Observation.Kind.COMPLETED));
        }
        return proposals;
    }

    @Test
    void bayesianIsGpAndBeatsRandomTenfoldOnBraninAfter30EvaluationsMedianOverTenSeeds() {
        assertInstanceOf(GpSampler.class, Samplers.create("bayesian", MIXED, 1, SamplerOptions.defaults()));
        double min = TestFunction.branin().minimum();
        double gp = SamplerBenchmark.run("branin", "bayesian", 30, 10).medianBest() - min;
        double random = SamplerBenchmark.run("branin", "random", 30, 10).medianBest() - min;
        assertTrue(gp < 0.1 * random, "bayesian regret " + gp + " vs random regret " + random);
    }

    @Test
    void sameSeedAndSameHistoriesGiveSameProposals() {
        List<Map<String, Object>> a = run(new GpSampler(MIXED, 7), 20, GpSamplerTest::mixedObjective);
        List<Map<String, Object>> b = run(new GpSampler(MIXED, 7), 20, GpSamplerTest::mixedObjective);
        List<Map<String, Object>> c = run(new GpSampler(MIXED, 8), 20, GpSamplerTest::mixedObjective);
        assertEquals(a, b);
        assertNotEquals(a.subList(10, 20), c.subList(10, 20));
    }

    @Test
    void mixedSpaceProposalsRespectTypesBoundsAndConditions() {
        List<Map<String, Object>> proposals = run(new GpSampler(MIXED, 3), 35, GpSamplerTest::mixedObjective);
        for (Map<String, Object> p : proposals) {
            for (Parameter param : MIXED.parameters()) {
                boolean active = MIXED.isActive(param, p);
                assertEquals(active, p.containsKey(param.name()), param.name() + " in " + p);
                Object v = p.get(param.name());
                if (!active) {
                    continue;
                }
                if (param instanceof FloatParameter f) {
                    double x = assertInstanceOf(Double.class, v);
                    assertTrue(x >= f.low() && x <= f.high(), param.name() + " = " + x);
                } else if (param instanceof IntParameter i) {
                    int x = assertInstanceOf(Integer.class, v);
                    assertTrue(x >= i.low() && x <= i.high(), param.name() + " = " + x);
                } else if (param instanceof CategoricalParameter c) {
                    assertTrue(c.indexOf(v) >= 0, param.name() + " = " + v);
                } else {
                    assertEquals(64, v);
                }
            }
        }
        // the model phase finds the good region: adam, three layers, lr near 10^-2.5
        Map<String, Object> best = proposals.stream()
                .min(java.util.Comparator.comparingDouble(GpSamplerTest::mixedObjective)).orElseThrow();
        assertTrue(mixedObjective(best) < 0.5, "best " + best + " scores " + mixedObjective(best));
    }

    @Test
    void neverProposesAPendingOrFinishedAssignmentWithEightTrialsInFlight() {
        // 20 x 20 integer grid: a GP converging on (7, 12) would repeat points without the duplicate check
        SearchSpace space = new SearchSpace(List.of(
                new IntParameter("a", 0, 19, false, null), new IntParameter("b", 0, 19, false, null)));
        ToDoubleFunction<Map<String, Object>> f = p -> Math.pow((Integer) p.get("a") - 7, 2)
                + Math.pow((Integer) p.get("b") - 12, 2);
        GpSampler sampler = new GpSampler(space, 11);
        List<Observation> finished = new ArrayList<>();
        Deque<Map<String, Object>> pending = new ArrayDeque<>();
        Set<Map<String, Object>> seen = new HashSet<>();
        for (int step = 0; step < 60; step++) {
            while (pending.size() < 8) {
                Map<String, Object> p = sampler.propose(new SearchHistory(finished, List.copyOf(pending)))
                        .orElseThrow();
                assertTrue(seen.add(p), "duplicate proposal " + p + " at step " + step);
                pending.addLast(p);
            }
            Map<String, Object> done = pending.removeFirst();
            finished.add(new Observation(done, f.applyAsDouble(done), Observation.Kind.COMPLETED));
        }
    }

    @Test
    void pendingTrialsSpreadParallelProposalsOut() {
        // without the believers, eight proposals from the same history land on the same EI maximum
        // (pairwise distances around 1e-4); with them, each pending point flattens EI around itself
        TestFunction branin = TestFunction.branin();
        RandomSampler filler = new RandomSampler(branin.space(), 100);
        List<Observation> finished = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            Map<String, Object> p = filler.propose(SearchHistory.empty()).orElseThrow();
            finished.add(new Observation(p, branin.evaluate(p), Observation.Kind.COMPLETED));
        }
        GpSampler sampler = new GpSampler(branin.space(), 0);
        List<Map<String, Object>> pending = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            pending.add(sampler.propose(new SearchHistory(finished, pending)).orElseThrow());
        }
        double closest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < pending.size(); i++) {
            for (int j = 0; j < i; j++) {
                double dx = ((Double) pending.get(i).get("x1") - (Double) pending.get(j).get("x1")) / 15;
                double dy = ((Double) pending.get(i).get("x2") - (Double) pending.get(j).get("x2")) / 15;
                closest = Math.min(closest, Math.hypot(dx, dy));
            }
        }
        assertTrue(closest > 0.01, "closest pair of parallel proposals at unit distance " + closest);
    }

    /** Proposals among the last 30 of 45 that land in x < 0.3, where trials diverge and end as {@code kind}. */
    private static int divergedProposals(Observation.Kind kind) {
        SearchSpace space = new SearchSpace(List.of(new FloatParameter("x", 0, 1, false, null)));
        GpSampler sampler = new GpSampler(space, 5);
        List<Observation> finished = new ArrayList<>();
        int diverged = 0;
        for (int i = 0; i < 45; i++) {
            Map<String, Object> p = sampler.propose(new SearchHistory(finished, List.of())).orElseThrow();
            double x = (Double) p.get("x");
            finished.add(x < 0.3 ? new Observation(p, Double.NaN, kind)
                    : new Observation(p, x, Observation.Kind.COMPLETED));
            diverged += i >= 15 && x < 0.3 ? 1 : 0;
        }
        return diverged;
    }

    @Test
    void infeasibleTrialsSteerProposalsAwayFromTheirRegion() {
        // the objective pulls towards x = 0.3 from above; below it trials diverge. Reported as INFEASIBLE they
        // enter the GP at the worst observed value; reported as FAILED the GP never sees them and walks in.
        int infeasible = divergedProposals(Observation.Kind.INFEASIBLE);
        int ignored = divergedProposals(Observation.Kind.FAILED);
        assertTrue(infeasible * 3 < ignored, infeasible + " (infeasible) vs " + ignored + " (ignored) of 30");
    }

    @Test
    void warmStartActsAsIfPrependedToTheHistory() {
        List<Observation> earlier = new ArrayList<>();
        for (Map<String, Object> p : run(new RandomSampler(MIXED, 99), 12, GpSamplerTest::mixedObjective)) {
            earlier.add(new Observation(p, mixedObjective(p), Observation.Kind.COMPLETED));
        }
        GpSampler warm = new GpSampler(MIXED, 4, GpSampler.DEFAULT_STARTUP_TRIALS, earlier);
        GpSampler cold = new GpSampler(MIXED, 4);
        assertEquals(cold.propose(new SearchHistory(earlier, List.of())), warm.propose(SearchHistory.empty()));
    }

    /** A square whose right part, x > 0.4, is infeasible; the objective there is unknown and wavy along y. */
    static final SearchSpace SQUARE = new SearchSpace(List.of(new FloatParameter("x", 0, 1, false, null),
            new FloatParameter("y", 0, 1, false, null)));

    /**
     * Model-phase proposals in the infeasible part over 35 trials after 5 random ones. Feedback: an infeasible trial
     * is INFEASIBLE (no value); unaware: it is PRUNED at 0, as a net pruned at chance accuracy would be.
     */
    static int infeasibleProposals(long seed, boolean feedback) {
        GpSampler sampler = new GpSampler(SQUARE, seed, 5, List.of());
        List<Observation> finished = new ArrayList<>();
        int infeasible = 0;
        for (int i = 0; i < 40; i++) {
            Map<String, Object> p = sampler.propose(new SearchHistory(finished, List.of())).orElseThrow();
            double x = (Double) p.get("x");
            double y = (Double) p.get("y");
            if (x > 0.4) {
                infeasible += i >= 5 ? 1 : 0;
                finished.add(feedback ? new Observation(p, Double.NaN, Observation.Kind.INFEASIBLE)
                        : new Observation(p, 0.0, Observation.Kind.PRUNED));
            } else {
                finished.add(new Observation(p, -0.3 * x + 0.5 * Math.sin(6 * Math.PI * y),
                        Observation.Kind.COMPLETED));
            }
        }
        return infeasible;
    }

    /**
     * Constrained EI (EI x P(feasible)): the feasibility model learns that infeasibility depends on x alone, while
     * the objective, wavy along y, leaves the objective GP uncertain at untried y on the infeasible side. Seeds 1-6:
     * 31 infeasible model-phase proposals with the weighting; 50 with INFEASIBLE trials only imputed the worst value
     * (the sampler before it), 89 unaware.
     */
    @Test
    void constrainedEiKeepsAwayFromTheInfeasibleSideWhereTheObjectiveIsUncertain() {
        int feedback = 0;
        int unaware = 0;
        for (long seed = 1; seed <= 6; seed++) {
            feedback += infeasibleProposals(seed, true);
            unaware += infeasibleProposals(seed, false);
        }
        assertTrue(feedback <= 40, "infeasible model-phase proposals with feedback: " + feedback + " of 210");
        assertTrue(feedback < 0.5 * unaware, "feedback " + feedback + " vs unaware " + unaware);
    }
    /**
     * Start-up proposals (the first 10, random) in the infeasible part x > 0.4 of {@link #SQUARE}, after the first
     * infeasible trial; feedback reports those trials INFEASIBLE, unaware as PRUNED at 0.
     */
    static int infeasibleStartupProposals(long seed, boolean feedback) {
        GpSampler sampler = new GpSampler(SQUARE, seed, 10, List.of());
        List<Observation> finished = new ArrayList<>();
        int infeasible = 0;
        boolean seen = false;
        for (int i = 0; i < 10; i++) {
            Map<String, Object> p = sampler.propose(new SearchHistory(finished, List.of())).orElseThrow();
            if ((Double) p.get("x") > 0.4) {
                infeasible += seen ? 1 : 0;
                seen = true;
                finished.add(feedback ? new Observation(p, Double.NaN, Observation.Kind.INFEASIBLE)
                        : new Observation(p, 0.0, Observation.Kind.PRUNED));
            } else {
                finished.add(new Observation(p, (Double) p.get("y"), Observation.Kind.COMPLETED));
            }
        }
        return infeasible;
    }

    /**
     * Feedback-aware start-up: once a start-up trial was infeasible, each random proposal is the first likely feasible
     * of {@link GpSampler#STARTUP_DRAWS} draws. Seeds 1-10: 14 start-up proposals in the infeasible 60 % after the
     * first infeasible trial with feedback, 52 unaware (plain random draws).
     */
    @Test
    void feedbackAwareStartupAvoidsARegionShownInfeasible() {
        int feedback = 0;
        int unaware = 0;
        for (long seed = 1; seed <= 10; seed++) {
            feedback += infeasibleStartupProposals(seed, true);
            unaware += infeasibleStartupProposals(seed, false);
        }
        assertTrue(feedback * 3 <= unaware, "feedback " + feedback + " vs unaware " + unaware);
    }

    /** Without INFEASIBLE trials the start-up is plain prior draws from the seed, draw for draw, as before. */
    @Test
    void startupWithoutInfeasibleTrialsIsPlainPriorDraws() {
        GpSampler sampler = new GpSampler(SQUARE, 7, 10, List.of());
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        List<Observation> finished = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Map<String, Object> p = sampler.propose(new SearchHistory(finished, List.of())).orElseThrow();
            assertEquals(SQUARE.assign(q -> RandomSampler.draw(q, random)), p);
            finished.add(new Observation(p, 0.0, Observation.Kind.PRUNED));
        }
    }
}
