package io.gradtune.driver.run;

import io.gradtune.driver.journal.Journal;
import io.gradtune.driver.report.MetricsLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run directory that can no longer be written (simulated here by writing through closed files; {@code
 * DiskFullFaultIT} fills a real tmpfs): the journal does not throw at the thread that made the event, it stops
 * writing and tells its handler once; metrics.jsonl throws once and then writes nothing, and closes quietly.
 */
class StorageFailureTest {

    @TempDir
    Path dir;

    @Test
    void aJournalThatCannotWriteStopsWritingAndReportsOnce() {
        Journal file = Journal.open(dir.resolve(Journal.FILE));
        StudyJournal journal = new StudyJournal(file);
        List<String> reasons = new ArrayList<>();
        journal.onFailure(reasons::add);
        journal.running("t0001");
        assertNull(journal.failure());
        file.close(); // every later write fails, as on a full disk

        assertDoesNotThrow(() -> journal.running("t0002"));
        assertDoesNotThrow(() -> journal.ended("finished", "budget", "2 of 2 trials"));
        assertEquals(1, reasons.size(), "the handler runs once: " + reasons);
        assertNotNull(journal.failure());
        assertTrue(reasons.get(0).contains("journal"), reasons.get(0));
        assertEquals(1, Journal.read(dir.resolve(Journal.FILE)).size(), "what was written before stays");
    }

    @Test
    void anotherFileOfTheRunDirectoryFailingStopsTheJournalToo() {
        StudyJournal journal = new StudyJournal(Journal.open(dir.resolve(Journal.FILE)));
        List<String> reasons = new ArrayList<>();
        journal.onFailure(reasons::add);
        journal.failed("cannot append to metrics.jsonl: No space left on device");
        journal.failed("again");
        journal.running("t0001");
        assertEquals(List.of("cannot append to metrics.jsonl: No space left on device"), reasons);
        assertEquals(0, Journal.read(dir.resolve(Journal.FILE)).size(), "nothing written after the failure");
    }

    @Test
    void metricsLogThrowsOnceThenWritesNothingAndClosesQuietly() throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        MetricsLog log = new MetricsLog(file);
        log.append("{\"epoch\":1}");
        log.flush();
        log.close();
        assertThrows(UncheckedIOException.class, () -> {
            log.append("{\"epoch\":2}");
            log.flush();
        });
        assertTrue(log.failed());
        assertDoesNotThrow(() -> log.append("{\"epoch\":3}"));
        assertDoesNotThrow(log::flush);
        assertDoesNotThrow(log::close);
        assertEquals(List.of("{\"epoch\":1}"), Files.readAllLines(file));
    }
}
