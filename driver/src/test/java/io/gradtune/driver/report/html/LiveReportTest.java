package io.gradtune.driver.report.html;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiveReportTest {

    private static final String EVENT = "{\"event\":\"trial_created\",\"at\":\"2026-11-30T01:41:30.759977891Z\","
            + "\"trial\":\"t0001\",\"number\":1,\"params\":{\"learning_rate\":0.005},\"seed\":2,\"seen_finished\":0}\n";
    private static final String RECORD = "{\"type\":\"epoch_metrics\",\"schemaVersion\":3,\"study\":\"s\","
            + "\"trialId\":\"t0001\",\"attempt\":0,\"executorId\":\"driver\",\"host\":\"127.0.0.1\",\"epoch\":1,"
            + "\"trainLoss\":2.0,\"valLoss\":2.1,\"valAccuracy\":0.2,\"learningRate\":0.001,\"epochMillis\":10,"
            + "\"timestampMillis\":1796002900325,\"layers\":[]}";

    @Test
    void aRewriteIsSkippedWhenNothingItShowsChanged(@TempDir Path dir) throws Exception {
        // Warm: with the report's classes loaded a model builds in milliseconds, so every step below comes within the
        // model's cache time (CI ran this test after the other report tests: a rewrite showed a model built before the
        // change that caused it, and the next one was skipped as unchanged).
        Path warm = Files.createDirectories(dir.resolve("warm"));
        Files.writeString(warm.resolve("journal.jsonl"), "{\"event\":\"study_started\",\"at\":\"2026-11-30T01:41:28Z\",\"mode\":\"run\"}\n");
        for (int i = 0; i < 3; i++) {
            new LiveReport(warm, m -> { }).writeIfChanged();
        }
        Path journal = dir.resolve("journal.jsonl");
        Files.writeString(journal, "{\"event\":\"study_started\",\"at\":\"2026-11-30T01:41:28Z\",\"mode\":\"run\"}\n");
        List<String> warnings = new ArrayList<>();
        LiveReport live = new LiveReport(dir, warnings::add);

        assertTrue(live.writeIfChanged(), "the first rewrite");
        assertTrue(Files.exists(dir.resolve(HtmlReport.FILE)));
        assertFalse(live.writeIfChanged(), "nothing changed");
        assertEquals(1, live.rewrites());

        live.accept(RECORD);
        assertTrue(live.writeIfChanged(), "a new epoch record");
        assertTrue(Files.readString(dir.resolve(HtmlReport.FILE)).contains("t0001"), "the new record shown");
        assertFalse(live.writeIfChanged());

        Files.writeString(journal, EVENT, StandardOpenOption.APPEND);
        assertTrue(live.writeIfChanged(), "a new journal event");
        assertFalse(live.writeIfChanged());

        Files.writeString(dir.resolve("trials.csv"), "trial_id,state\nt0001,COMPLETED\n");
        assertTrue(live.writeIfChanged(), "trials.csv rewritten");
        assertEquals(4, live.rewrites());
        assertEquals(List.of(), warnings);
        assertTrue(Files.readString(dir.resolve(HtmlReport.FILE)).contains("t0001"), "the record and trial shown");
    }

    @Test
    void closeDropsTheNextRewriteAndWritesNothingAfter(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("journal.jsonl"),
                "{\"event\":\"study_started\",\"at\":\"2026-11-30T01:41:28Z\",\"mode\":\"run\"}\n");
        String before = System.getProperty("gradtune.report.intervalSeconds");
        System.setProperty("gradtune.report.intervalSeconds", "3");
        try {
            LiveReport live = new LiveReport(dir, m -> { }).start();
            long t0 = System.nanoTime();
            live.close();
            // a delayed rewrite kept after shutdown would hold close for its 10 s wait, then write after it
            assertTrue(System.nanoTime() - t0 < 2_500_000_000L, "close waited for the next rewrite");
            long deadline = System.nanoTime() + 4_000_000_000L; // past the rewrite's due time (3 s)
            while (System.nanoTime() < deadline) {
                assertFalse(Files.exists(dir.resolve(HtmlReport.FILE)), "report.html written after close");
                Thread.sleep(100);
            }
            assertEquals(0, live.rewrites());
        } finally {
            if (before == null) {
                System.clearProperty("gradtune.report.intervalSeconds");
            } else {
                System.setProperty("gradtune.report.intervalSeconds", before);
            }
        }
    }
}
