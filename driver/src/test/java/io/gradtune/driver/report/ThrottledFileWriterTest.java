package io.gradtune.driver.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThrottledFileWriterTest {

    @TempDir
    Path dir;

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(5);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theFirstRequestWritesAtOnceAndRequestsWithinTheIntervalShareOneLaterWrite() throws Exception {
        Path file = dir.resolve("trials.csv");
        AtomicInteger version = new AtomicInteger(1);
        AtomicInteger renders = new AtomicInteger();
        ThrottledFileWriter writer = new ThrottledFileWriter(file, () -> {
            renders.incrementAndGet();
            return "v" + version.get();
        }, 60_000, e -> { });
        writer.request();
        await(() -> writer.writes() == 1, "the first write");
        assertEquals("v1", read(file));
        for (int i = 2; i <= 100; i++) {
            version.set(i);
            writer.request(); // all within the minute: one write, waiting for the interval
        }
        writer.close(); // drops the waiting write
        assertEquals(1, writer.writes(), "99 requests within the interval made no write of their own");
        assertEquals(1, renders.get(), "and rendered nothing");
        assertEquals("v1", read(file));
        writer.request(); // after close: nothing
        assertEquals(1, writer.writes());
    }

    @Test
    void theFileEndsUpWithTheLastRequestsSnapshot() throws Exception {
        Path file = dir.resolve("trials.csv");
        AtomicInteger version = new AtomicInteger();
        ThrottledFileWriter writer = new ThrottledFileWriter(file, () -> "v" + version.get(), 20, e -> { });
        Thread[] finishers = new Thread[4];
        for (int t = 0; t < finishers.length; t++) {
            finishers[t] = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    version.incrementAndGet();
                    writer.request();
                }
            });
            finishers[t].start();
        }
        for (Thread t : finishers) {
            t.join();
        }
        await(() -> "v800".equals(read(file)), "trials.csv showing the last of 800 changes, was " + read(file));
        assertTrue(writer.writes() < 800, "coalesced: " + writer.writes() + " writes for 800 requests");
        writer.close();
        assertEquals("v800", read(file));
    }

    @Test
    void aFailedWriteIsReportedAndTheNextRequestTriesAgain() throws Exception {
        Path blocker = Files.writeString(dir.resolve("run"), "a file where the run directory should be");
        Path missing = blocker.resolve("trials.csv");
        List<UncheckedIOException> failures = new CopyOnWriteArrayList<>();
        ThrottledFileWriter writer = new ThrottledFileWriter(missing, () -> "x", 0, failures::add);
        writer.request();
        await(() -> failures.size() == 1, "the failure reported");
        assertEquals(0, writer.writes());
        Files.delete(blocker);
        writer.request();
        await(() -> writer.writes() == 1, "the retry written");
        assertEquals("x", read(missing));
        writer.close();
        assertFalse(failures.size() > 1);
    }

    @Test
    void rejectsANegativeInterval() {
        assertThrows(IllegalArgumentException.class, () -> new ThrottledFileWriter(dir.resolve("f"), () -> "", -1,
                e -> { }));
    }
}
