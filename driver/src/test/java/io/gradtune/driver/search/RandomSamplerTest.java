package io.gradtune.driver.search;

import io.gradtune.driver.space.CategoricalParameter;
import io.gradtune.driver.space.Condition;
import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.IntParameter;
import io.gradtune.driver.space.SearchSpace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomSamplerTest {

    private static final SearchSpace SPACE = new SearchSpace(List.of(
            new FloatParameter("lr", 1e-5, 1e-1, true, null),
            new FloatParameter("dropout", 0.0, 0.5, false, null),
            new IntParameter("batch", 16, 256, true, null),
            new CategoricalParameter("optimizer", List.of("sgd", "adam"), null),
            new FloatParameter("momentum", 0.5, 0.99, false, new Condition("optimizer", List.of("sgd"), null))));

    private static List<Map<String, Object>> draws(int n) {
        RandomSampler sampler = new RandomSampler(SPACE, 42);
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(sampler.propose(SearchHistory.empty()).orElseThrow());
        }
        return out;
    }

    @Test
    void drawsStayWithinBounds() {
        for (Map<String, Object> a : draws(2000)) {
            double lr = (Double) a.get("lr");
            double dropout = (Double) a.get("dropout");
            int batch = (Integer) a.get("batch");
            assertTrue(lr >= 1e-5 && lr <= 1e-1, a.toString());
            assertTrue(dropout >= 0 && dropout <= 0.5, a.toString());
            assertTrue(batch >= 16 && batch <= 256, a.toString());
        }
    }

    @Test
    void logUniformMedianIsNearTheGeometricMean() {
        double[] logs = draws(2001).stream().mapToDouble(a -> Math.log10((Double) a.get("lr"))).sorted().toArray();
        // geometric mean of 1e-5 and 1e-1 is 1e-3; a uniform draw would put the median near 5e-2
        assertEquals(-3.0, logs[1000], 0.15);
    }

    @Test
    void conditionalParameterIsPresentExactlyWhenItsConditionHolds() {
        int sgd = 0;
        for (Map<String, Object> a : draws(500)) {
            boolean isSgd = a.get("optimizer").equals("sgd");
            assertEquals(isSgd, a.containsKey("momentum"), a.toString());
            sgd += isSgd ? 1 : 0;
        }
        assertTrue(sgd > 200 && sgd < 300, "sgd drawn " + sgd + " of 500");
    }
}
