package io.gradtune.driver.bench;

import io.gradtune.worker.train.SyntheticWork;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code bench overhead}'s arithmetic on hand-made timestamps and its options' checks. */
class OverheadBenchmarkTest {

    private static final long MS = 1_000_000L;

    @Test
    void pairsTheIthEndWithTheStartItFreedASlotFor() {
        OverheadBenchmark.Options o = new OverheadBenchmark.Options(4, 1, 100, 2, Path.of("d.csv"), Path.of("out"));
        // slots: t1 0..100, t2 0..100; t3 starts 105 (5 ms after the first end), t4 starts 120 (20 ms after the second)
        List<SyntheticWork.Timing> t = List.of(
                new SyntheticWork.Timing("t1", 0, 0, 100 * MS, 100 * MS),
                new SyntheticWork.Timing("t2", 0, 0, 100 * MS, 100 * MS),
                new SyntheticWork.Timing("t3", 0, 105 * MS, 205 * MS, 100 * MS),
                new SyntheticWork.Timing("t4", 0, 120 * MS, 220 * MS, 100 * MS));
        OverheadBenchmark.Result r = OverheadBenchmark.result(o, t, 0.5, 4, null);
        assertEquals(0.2, r.idealSeconds(), 1e-12);
        assertEquals(0.22, r.phaseSeconds(), 1e-12);
        assertEquals(0.1, r.phaseOverhead(), 1e-9);
        assertEquals(1.5, r.runOverhead(), 1e-9);
        assertEquals(5.0, r.slotToWorkP50Millis(), 1e-9);
        assertEquals(20.0, r.slotToWorkP99Millis(), 1e-9);
    }

    @Test
    void rejectsEmptyLoads() {
        assertThrows(IllegalArgumentException.class,
                () -> new OverheadBenchmark.Options(0, 1, 1, 2, Path.of("d"), Path.of("o")));
        assertThrows(IllegalArgumentException.class,
                () -> new OverheadBenchmark.Options(1, 1, 1, 0, Path.of("d"), Path.of("o")));
    }

    @Test
    void theStudyHasNoStoppingRulesAndNoRefit() {
        String yaml = OverheadBenchmark.configText(
                new OverheadBenchmark.Options(3, 2, 10, 2, Path.of("/d/x.csv"), Path.of("/o")), Path.of("/o"));
        assertEquals(true, yaml.contains("early_stopping: none"));
        assertEquals(true, yaml.contains("refit: {enabled: false}"));
        assertEquals(true, yaml.contains("local[2]"));
    }
}
