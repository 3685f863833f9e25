package io.gradtune.driver.bench;

import io.gradtune.worker.train.SyntheticWork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench overhead} on a tiny load: a real study on local[2] with the embedded broker, 4 synthetic trials of
 * 2 epochs x 10 ms. Checks the output's shape, not its timings.
 */
class OverheadBenchmarkIT {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void smallRunReportsEveryFigure(@TempDir Path dir) throws Exception {
        OverheadBenchmark.Options o = new OverheadBenchmark.Options(4, 2, 10, 2, Path.of("../data/digits.csv"), dir);
        OverheadBenchmark.Result r = OverheadBenchmark.run(o);
        assertNull(r.failure());
        assertEquals(4, r.completed());
        assertEquals(4 * 2 * 10 / 1000.0 / 2, r.idealSeconds(), 1e-9);
        assertTrue(r.phaseSeconds() > 0 && r.runSeconds() >= r.phaseSeconds(), r.toJson());
        assertTrue(Double.isFinite(r.slotToWorkP50Millis()) && r.slotToWorkP99Millis() >= r.slotToWorkP50Millis(),
                r.toJson());
        assertNull(System.getProperty(SyntheticWork.PROPERTY), "the benchmark clears its switch");
        String json = r.toJson();
        for (String key : new String[]{"\"overhead_phase\"", "\"overhead_run\"", "\"slot_to_first_work_ms\"",
                "\"p99\"", "\"ideal_s\""}) {
            assertTrue(json.contains(key), json);
        }
        // the records went through Kafka into the run directory like a real study's
        Path metrics = dir.resolve("bench-overhead").resolve("metrics.jsonl");
        assertEquals(8, Files.readAllLines(metrics).size());
    }
}
