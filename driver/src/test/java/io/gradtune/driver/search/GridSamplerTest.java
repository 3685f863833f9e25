package io.gradtune.driver.search;

import io.gradtune.driver.space.CategoricalParameter;
import io.gradtune.driver.space.Condition;
import io.gradtune.driver.space.FixedParameter;
import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.IntParameter;
import io.gradtune.driver.space.SearchSpace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GridSamplerTest {

    /** optimizer {sgd, adam} x momentum (sgd only) x layers 1..3 x units_3 (layers >= 3) + a fixed epochs. */
    static SearchSpace conditionalSpace() {
        return new SearchSpace(List.of(
                new CategoricalParameter("optimizer", List.of("sgd", "adam"), null),
                new FloatParameter("momentum", 0.5, 0.99, false, new Condition("optimizer", List.of("sgd"), null)),
                new IntParameter("layers", 1, 3, false, null),
                new IntParameter("units_3", 16, 64, true, new Condition("layers", null, 3.0)),
                new FixedParameter("epochs", 10, null)));
    }

    private static List<Map<String, Object>> drain(GridSampler grid) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Optional<Map<String, Object>> next = grid.propose(SearchHistory.empty()); next.isPresent();
             next = grid.propose(SearchHistory.empty())) {
            out.add(next.get());
        }
        return out;
    }

    @Test
    void conditionalChildrenExpandOnlyCombinationsWhereTheyAreActive() {
        // (sgd x 3 momenta + adam) x (layers 1 + layers 2 + layers 3 x 3 units) = 4 x 5
        assertEquals(20, new GridSampler(conditionalSpace(), 3).size());
    }

    @Test
    void proposesEveryCombinationExactlyOnceThenReportsExhaustion() {
        GridSampler grid = new GridSampler(conditionalSpace(), 3);
        List<Map<String, Object>> all = drain(grid);
        assertEquals(grid.size(), all.size());
        assertEquals(all.size(), new HashSet<>(all).size());
        assertTrue(grid.propose(SearchHistory.empty()).isEmpty());
        for (Map<String, Object> a : all) {
            assertEquals(a.get("optimizer").equals("sgd"), a.containsKey("momentum"), a.toString());
            assertEquals(((Integer) a.get("layers")) >= 3, a.containsKey("units_3"), a.toString());
            assertEquals(10, a.get("epochs"));
        }
    }

    @Test
    void orderIsDeterministic() {
        assertEquals(drain(new GridSampler(conditionalSpace(), 3)), drain(new GridSampler(conditionalSpace(), 3)));
    }

    @Test
    void logFloatRangeIsSpacedGeometricallyWithExactEndpoints() {
        List<Object> axis = GridSampler.axis(new FloatParameter("lr", 1e-4, 1e-2, true, null), 3);
        assertEquals(1e-4, (double) axis.get(0));
        assertEquals(1e-3, (double) axis.get(1), 1e-12);
        assertEquals(1e-2, (double) axis.get(2));
    }

    @Test
    void intRangeWithFewerIntegersThanPointsYieldsEachInteger() {
        assertEquals(List.of(1, 2, 3, 4, 5), GridSampler.axis(new IntParameter("k", 1, 5, true, null), 10));
    }

    @Test
    void intRangeIsDeduplicatedAfterRounding() {
        // exp(i/7 * ln 10) for i = 0..7 rounds to 1, 1, 2, 3, 4, 5, 7, 10
        assertEquals(List.of(1, 2, 3, 4, 5, 7, 10), GridSampler.axis(new IntParameter("k", 1, 10, true, null), 8));
    }

    @Test
    void skipsCombinationsAlreadyFinishedOrPending() {
        SearchSpace space = new SearchSpace(List.of(new CategoricalParameter("c", List.of("a", "b", "c"), null)));
        GridSampler grid = new GridSampler(space, 2);
        SearchHistory history = new SearchHistory(
                List.of(new Observation(Map.of("c", "a"), 1.0, Observation.Kind.COMPLETED)),
                List.of(Map.of("c", "b")));
        assertEquals(Optional.of(Map.of("c", "c")), grid.propose(history));
        assertFalse(grid.propose(history).isPresent());
    }
}
