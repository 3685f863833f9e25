package io.gradtune.driver.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scan finds the sentinel where it is (a scan that finds nothing anywhere would prove nothing). */
class SecretScanTest {

    @TempDir
    Path dir;

    @Test
    void findsTheSentinelInFilesTextAndSettingsAndNamesEachPlace() throws Exception {
        String sentinel = SecretScan.newSentinel();
        assertTrue(sentinel.matches("gtSentinel[0-9a-f]{24}"), sentinel);
        Files.createDirectories(dir.resolve("a/b"));
        Files.writeString(dir.resolve("a/b/study.json"), "{\"x\":\"" + sentinel + "\"}");
        Files.writeString(dir.resolve("a/clean.txt"), "nothing here");
        SecretScan scan = new SecretScan(sentinel);
        assertEquals(2, scan.files(dir));
        scan.text("log", "line one\nINFO password=" + sentinel + " here\nline three");
        scan.entries("conf", Map.of("spark.executorEnv.X", sentinel, "spark.app.name", "y"));
        scan.text("clean text", "no secret");
        assertEquals(List.of("file " + dir.resolve("a/b/study.json"), "log: INFO password=<SENTINEL> here",
                "conf: spark.executorEnv.X"), scan.hits());
        AssertionError e = assertThrows(AssertionError.class, scan::assertNotFound);
        assertTrue(e.getMessage().contains("3 place(s)") && !e.getMessage().contains(sentinel), e.getMessage());
    }

    @Test
    void aScanThatFindsNothingPasses() {
        SecretScan scan = new SecretScan(SecretScan.newSentinel());
        assertEquals(0, scan.files(dir.resolve("missing")));
        scan.text("t", "plain");
        scan.assertNotFound();
        assertThrows(IllegalArgumentException.class, () -> new SecretScan("short"));
    }
}
