package io.gradtune.driver.search;

import io.gradtune.driver.space.CategoricalParameter;
import io.gradtune.driver.space.Condition;
import io.gradtune.driver.space.FixedParameter;
import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.SearchSpace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OneAtATimeSamplerTest {

    static final SearchSpace FIXES = new SearchSpace(List.of(
            new CategoricalParameter("activation", List.of("sigmoid", "relu", "elu"), null),
            new CategoricalParameter("weight_init", List.of("normal_small", "he"), null),
            new CategoricalParameter("connections", List.of("plain", "residual", "dense"), null),
            new CategoricalParameter("layers", List.of(8, 2), null),
            new FixedParameter("units", 64, null)));

    private static List<Map<String, Object>> drain(Sampler s) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<Map<String, Object>> pending = new ArrayList<>();
        for (Optional<Map<String, Object>> next = s.propose(SearchHistory.empty()); next.isPresent();
             next = s.propose(new SearchHistory(List.of(), pending))) {
            out.add(next.get());
            pending.add(next.get());
        }
        return out;
    }

    private static Map<String, Object> baselineWith(String name, Object value) {
        Map<String, Object> m = new java.util.LinkedHashMap<>(Map.of("activation", "sigmoid",
                "weight_init", "normal_small", "connections", "plain", "layers", 8, "units", 64));
        if (name != null) {
            m.put(name, value);
        }
        return m;
    }

    @Test
    void theBaselineThenEachOtherValueAloneInSpaceOrder() {
        List<Map<String, Object>> all = drain(Samplers.create("grid", FIXES, 0,
                SamplerOptions.defaults().withOneAtATime(true)));
        assertEquals(List.of(baselineWith(null, null),
                baselineWith("activation", "relu"), baselineWith("activation", "elu"),
                baselineWith("weight_init", "he"),
                baselineWith("connections", "residual"), baselineWith("connections", "dense"),
                baselineWith("layers", 2)), all);
        assertEquals(1 + 2 + 1 + 2 + 1, new OneAtATimeSampler(FIXES, 5).size());
        // the full grid is still the default design
        assertInstanceOf(GridSampler.class, Samplers.create("grid", FIXES, 0, SamplerOptions.defaults()));
        assertEquals(3 * 2 * 3 * 2, drain(Samplers.create("grid", FIXES, 0, SamplerOptions.defaults())).size());
    }

    @Test
    void finishedOrPendingAssignmentsAreSkippedAndItEndsEmpty() {
        Sampler s = new OneAtATimeSampler(FIXES, 5);
        SearchHistory resumed = new SearchHistory(List.of(new Observation(baselineWith(null, null), 0.1,
                Observation.Kind.COMPLETED)), List.of(baselineWith("activation", "relu")));
        assertEquals(baselineWith("activation", "elu"), s.propose(resumed).orElseThrow());
        for (int i = 0; i < 4; i++) {
            assertTrue(s.propose(resumed).isPresent());
        }
        assertTrue(s.propose(resumed).isEmpty());
        assertTrue(s.propose(SearchHistory.empty()).isEmpty());
    }

    @Test
    void rangesUseTheGridAxisAndConditionsDecidePresence() {
        SearchSpace space = new SearchSpace(List.of(
                new FloatParameter("dropout", 0.0, 0.5, false, null),
                new CategoricalParameter("optimizer", List.of("adam", "nesterov"), null),
                new FloatParameter("momentum", 0.5, 0.9, false, new Condition("optimizer", List.of("nesterov"), null))));
        List<Map<String, Object>> all = drain(new OneAtATimeSampler(space, 3));
        assertEquals(List.of(
                Map.of("dropout", 0.0, "optimizer", "adam"),
                Map.of("dropout", 0.25, "optimizer", "adam"),
                Map.of("dropout", 0.5, "optimizer", "adam"),
                // momentum is inactive at the baseline: it appears with its parent's change, at its first value
                Map.of("dropout", 0.0, "optimizer", "nesterov", "momentum", 0.5)), all);
    }
}
