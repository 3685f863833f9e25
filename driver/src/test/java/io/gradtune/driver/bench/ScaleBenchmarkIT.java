package io.gradtune.driver.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bench scale} on a tiny load (12 trials, 4 slots, 3 epochs x 10 ms): the output's shape, not its timings. */
class ScaleBenchmarkIT {

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void smallRunReportsEveryFigure(@TempDir Path dir) throws Exception {
        ScaleBenchmark.Result r = ScaleBenchmark.run(new ScaleBenchmark.Options(12, 4, 3, 10, dir));
        assertEquals(12, r.trials());
        assertTrue(r.records() >= 12, r.toJson());
        assertTrue(r.decisions() > 0 && r.decisionP99() >= r.decisionP50(), r.toJson());
        assertTrue(r.gpP99() >= r.gpP50() && r.gpP50() >= 0, r.toJson());
        assertTrue(r.driverCpuMsPerTrial() > 0 && r.peakHeapMb() > 0, r.toJson());
        String json = r.toJson();
        for (String key : new String[]{"\"cpu_ms_per_trial\"", "\"decision_latency_ms\"", "\"gp_proposal_ms\"",
                "\"peak_heap_mb\"", "\"slow_decisions_by_10s\""}) {
            assertTrue(json.contains(key), json);
        }
        Path run = dir.resolve("bench-scale");
        assertEquals(13, Files.readAllLines(run.resolve("trials.csv")).size()); // header + 12 trials
        assertTrue(Files.readString(run.resolve("journal.jsonl")).contains("trial_finished"));
    }

    @Test
    void rejectsEmptyLoads() {
        assertThrows(IllegalArgumentException.class, () -> new ScaleBenchmark.Options(0, 1, 1, 1, Path.of("o")));
        assertThrows(IllegalArgumentException.class, () -> new ScaleBenchmark.Options(1, 0, 1, 1, Path.of("o")));
    }
}
