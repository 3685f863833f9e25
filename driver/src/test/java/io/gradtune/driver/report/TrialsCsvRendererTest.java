package io.gradtune.driver.report;

import io.gradtune.driver.study.TrialResult;
import io.gradtune.driver.study.TrialState;
import io.gradtune.worker.stopping.Decision;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.gradtune.driver.report.TrialsCsvTest.SPACE;
import static io.gradtune.driver.report.TrialsCsvTest.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The cached renderer writes exactly {@link TrialsCsv#render}'s bytes as results come and change. */
class TrialsCsvRendererTest {

    @Test
    void sameBytesAsTrialsCsvAsTrialsEndAndChange() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("learning_rate", 0.001);
        p.put("units_2", 32);
        p.put("activation", "relu");
        TrialsCsvRenderer renderer = new TrialsCsvRenderer(SPACE, false);
        List<TrialResult> results = new ArrayList<>();
        assertEquals(TrialsCsv.render(SPACE, results, false), renderer.render(results));

        results.add(result("t0001", p, TrialState.COMPLETED, 0.9375, null, null));
        results.add(result("t0002", p, TrialState.FAILED, Double.NaN,
                new Decision(Decision.Action.PRUNE, "divergence", 1, "loss NaN, \"diverged\"", Map.of()),
                "boom, \"bad\"\n\tat a.B(B.java:1)\r\n"));
        assertEquals(TrialsCsv.render(SPACE, results, false), renderer.render(results));

        // a result replaced by another object (a resumed trial that ran again) is rendered again, not reused
        results.set(0, result("t0001", p, TrialState.PRUNED, 0.5, null, null));
        results.add(result("t0003", p, TrialState.COMPLETED, 0.75, null, null, TrialResult.Placement.NONE));
        assertEquals(TrialsCsv.render(SPACE, results, false), renderer.render(results));
        assertEquals(true, renderer.render(results).contains("t0001,PRUNED,0.5"), renderer.render(results));

        TrialsCsvRenderer regression = new TrialsCsvRenderer(SPACE, true);
        assertEquals(TrialsCsv.render(SPACE, results, true), regression.render(results));
    }
}
