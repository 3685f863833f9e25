package io.gradtune.driver.search;

import io.gradtune.driver.space.CategoricalParameter;
import io.gradtune.driver.space.FixedParameter;
import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.IntParameter;
import io.gradtune.driver.space.SearchSpace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tutorials' pathology prior: its values, where it applies, and that observed labels override it. */
class PathologyPriorTest {

    private static final PathologyPrior SGD = PathologyPrior.tutorials(Map.of("optimizer", "sgd", "units", 64));
    private static final PathologyPrior NONE_FIXED = PathologyPrior.tutorials(Map.of());

    /** The steering benchmark's space (configs/bench-steering.yaml), plain SGD fixed. */
    private static final SearchSpace STEERING = new SearchSpace(List.of(
            new IntParameter("layers", 1, 12, false, null),
            new CategoricalParameter("activation", List.of("sigmoid", "tanh", "relu"), null),
            new CategoricalParameter("weight_init", List.of("normal_small", "xavier", "he"), null),
            new FloatParameter("learning_rate", 1e-3, 3.0, true, null),
            new FixedParameter("optimizer", "sgd", null)));
    /** A user's model: names the built-in network does not know. */
    private static final SearchSpace FOREIGN = new SearchSpace(List.of(
            new FloatParameter("alpha", 0, 1, false, null),
            new CategoricalParameter("kernel", List.of("a", "b"), null)));

    private static Map<String, Object> net(int layers, String activation, String init, double rate) {
        return Map.of("layers", layers, "activation", activation, "weight_init", init, "learning_rate", rate);
    }

    @Test
    void deepSigmoidWithSmallInitIsAlmostSurelyPathological() {
        assertTrue(SGD.pathological(net(12, "sigmoid", "normal_small", 0.05)) > 0.99);
        assertTrue(SGD.vanishing(net(8, "sigmoid", "xavier", 0.05)) > 0.9, "sigmoid vanishes whatever the init");
        assertTrue(SGD.vanishing(net(10, "tanh", "normal_small", 0.05)) > 0.9, "small init vanishes whatever the act.");
    }

    @Test
    void aShallowReluNetWithHeInitAtAUsualRateIsAlmostSurelyHealthy() {
        assertTrue(SGD.pathological(net(2, "relu", "he", 1e-3)) < 0.01);
        assertTrue(NONE_FIXED.pathological(net(2, "relu", "he", 1e-3)) < 0.01, "Adam, the builder's default");
        assertTrue(SGD.pathological(net(2, "tanh", "xavier", 0.1)) < 0.01);
    }

    @Test
    void rateLimitsDependOnTheOptimizerTheDepthAndTheActivation() {
        Map<String, Object> adam = new java.util.HashMap<>(net(2, "relu", "he", 0.5));
        adam.put("optimizer", "adam");
        assertTrue(SGD.exploding(adam) > 0.95, "0.5 is far above Adam's usual range");
        assertTrue(SGD.exploding(net(2, "relu", "he", 0.5)) < 0.2, "but within plain SGD's");
        Map<String, Object> nesterov = new java.util.HashMap<>(net(2, "relu", "he", 0.5));
        nesterov.put("optimizer", "nesterov");
        assertTrue(SGD.exploding(nesterov) > 0.85, "momentum 0.9 multiplies the step by 10");
        assertTrue(SGD.exploding(net(12, "relu", "he", 2.0)) > SGD.exploding(net(2, "relu", "he", 2.0)));
        assertTrue(SGD.exploding(net(4, "tanh", "he", 2.0)) < SGD.exploding(net(4, "relu", "he", 2.0)));
    }

    @Test
    void batchNormResidualsAndClippingLowerThePrior() {
        Map<String, Object> deep = net(8, "sigmoid", "xavier", 0.05);
        Map<String, Object> bn = new java.util.HashMap<>(deep);
        bn.put("batch_norm", true);
        Map<String, Object> res = new java.util.HashMap<>(deep);
        res.put("residual", true);
        assertTrue(SGD.vanishing(bn) < 0.05);
        assertTrue(SGD.vanishing(res) < 0.1);
        Map<String, Object> clipped = new java.util.HashMap<>(net(6, "relu", "he", 2.0));
        clipped.put("gradient_clip", 1.0);
        assertTrue(SGD.exploding(clipped) < SGD.exploding(net(6, "relu", "he", 2.0)) / 2);
    }

    @Test
    void appliesOnlyToSpacesSearchingTheBuiltInNetworksParameters() {
        assertTrue(PathologyPrior.appliesTo(STEERING));
        assertFalse(PathologyPrior.appliesTo(FOREIGN));
        assertFalse(PathologyPrior.appliesTo(new SearchSpace(List.of(new FixedParameter("layers", 8, null),
                new FloatParameter("dropout", 0, 0.5, false, null)))), "fixed only: nothing to steer");
        assertEquals(0.5, SGD.pathological(Map.of("alpha", 0.3)), "unknown names: neutral");
    }

    @Test
    void aForeignSpaceProposesExactlyAsWithoutAPrior() {
        GpSampler with = new GpSampler(FOREIGN, 5, 3, List.of(), SGD);
        GpSampler without = new GpSampler(FOREIGN, 5, 3, List.of());
        List<Observation> a = new ArrayList<>();
        List<Observation> b = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Map<String, Object> pa = with.propose(new SearchHistory(a, List.of())).orElseThrow();
            Map<String, Object> pb = without.propose(new SearchHistory(b, List.of())).orElseThrow();
            assertEquals(pb, pa, "proposal " + i);
            double v = (double) pa.get("alpha");
            a.add(new Observation(pa, v, Observation.Kind.COMPLETED));
            b.add(new Observation(pb, v, Observation.Kind.COMPLETED));
        }
    }

    @Test
    void withoutTrialsTheFeasibilityModelIsOneMinusThePrior() {
        UnitCubeEncoding encoding = new UnitCubeEncoding(STEERING);
        FeasibilityModel m = FeasibilityModel.of(List.of(), encoding, SGD, 150, 64, null, new SplittableRandom(1), 2, 50)
                .orElseThrow();
        for (Map<String, Object> a : List.of(net(12, "sigmoid", "normal_small", 0.05), net(2, "relu", "he", 0.01),
                net(4, "relu", "he", 2.0), net(1, "tanh", "xavier", 3.0))) {
            Map<String, Object> full = new java.util.HashMap<>(a);
            full.put("optimizer", "sgd");
            double expected = Math.min(1 - 1e-3, Math.max(1e-3, 1 - SGD.pathological(full)));
            assertEquals(expected, m.probability(encoding.encode(full)), 1e-6, a.toString());
        }
        assertTrue(FeasibilityModel.of(List.of(), encoding, null, 150, 64, null, new SplittableRandom(1), 2, 50)
                .isEmpty(), "no prior and no infeasible trial: no model, as before");
    }

    @Test
    void observedLabelsOverrideThePrior() {
        UnitCubeEncoding encoding = new UnitCubeEncoding(STEERING);
        Map<String, Object> distrusted = full(net(8, "sigmoid", "xavier", 0.05));
        Map<String, Object> trusted = full(net(2, "relu", "he", 0.01));
        List<Observation> finished = List.of(
                new Observation(distrusted, -0.9, Observation.Kind.COMPLETED),
                new Observation(trusted, Double.NaN, Observation.Kind.INFEASIBLE),
                new Observation(full(net(1, "tanh", "xavier", 0.1)), -0.95, Observation.Kind.COMPLETED),
                new Observation(full(net(12, "sigmoid", "normal_small", 0.01)), Double.NaN, Observation.Kind.INFEASIBLE));
        FeasibilityModel prior = FeasibilityModel.of(List.of(), encoding, SGD, 150, 64, null,
                new SplittableRandom(1), 2, 50).orElseThrow();
        FeasibilityModel m = FeasibilityModel.of(finished, encoding, SGD, 150, 64, null, new SplittableRandom(1), 2, 50)
                .orElseThrow();
        assertTrue(prior.probability(encoding.encode(distrusted)) < 0.1);
        assertTrue(m.probability(encoding.encode(distrusted)) > 0.5, "a feasible trial where the prior said no");
        assertTrue(prior.probability(encoding.encode(trusted)) > 0.9);
        assertTrue(m.probability(encoding.encode(trusted)) < 0.5, "an infeasible trial where the prior said yes");
    }

    @Test
    void theStartUpAvoidsWhatThePriorDistrustsFromTheFirstProposal() {
        int deepSigmoidWith = 0;
        int deepSigmoidWithout = 0;
        for (long seed = 1; seed <= 20; seed++) {
            Map<String, Object> with = new GpSampler(STEERING, seed, 5, List.of(), SGD)
                    .propose(new SearchHistory(List.of(), List.of())).orElseThrow();
            Map<String, Object> without = new GpSampler(STEERING, seed, 5, List.of())
                    .propose(new SearchHistory(List.of(), List.of())).orElseThrow();
            assertEquals(without, new GpSampler(STEERING, seed, 5, List.of(), null)
                    .propose(new SearchHistory(List.of(), List.of())).orElseThrow(), "null prior = no prior");
            deepSigmoidWith += SGD.pathological(with) > 0.5 ? 1 : 0;
            deepSigmoidWithout += SGD.pathological(without) > 0.5 ? 1 : 0;
        }
        assertEquals(0, deepSigmoidWith, "the best of 8 draws by the prior");
        assertTrue(deepSigmoidWithout >= 3, "blind first draws: " + deepSigmoidWithout + " of 20 likely pathological");
    }

    private static Map<String, Object> full(Map<String, Object> a) {
        Map<String, Object> m = new java.util.HashMap<>(a);
        m.put("optimizer", "sgd");
        return m;
    }
}
