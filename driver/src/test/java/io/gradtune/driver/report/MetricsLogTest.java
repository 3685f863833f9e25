package io.gradtune.driver.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {

    @TempDir
    Path dir;

    @Test
    void flushedRecordsAreOnDiskOneLineEachBeforeClose() throws Exception {
        Path file = dir.resolve("run/metrics.jsonl");
        try (MetricsLog log = new MetricsLog(file)) {
            log.append("{\"epoch\":1}");
            log.append("{\"epoch\":\n2}");
            log.flush();
            assertEquals(List.of("{\"epoch\":1}", "{\"epoch\": 2}"), Files.readAllLines(file));
            log.append("{\"epoch\":3}");
        }
        assertEquals(3, Files.readAllLines(file).size());
    }
}
