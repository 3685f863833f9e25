package io.gradtune.driver.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void concurrentWritersOfOneFileAllSucceedAndLeaveOneCompleteCopy() throws Exception {
        Path file = dir.resolve("runs/x/trials.csv");
        int writers = 8;
        int rounds = 200;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String content = ("writer " + w + "\n").repeat(500);
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        AtomicFiles.write(file, content);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(); // rethrows a writer's UncheckedIOException
            }
        } finally {
            pool.shutdownNow();
        }
        String text = Files.readString(file);
        String firstLine = text.substring(0, text.indexOf('\n') + 1);
        assertEquals(firstLine.repeat(500), text, "the file is one writer's complete content");
        try (Stream<Path> left = Files.list(file.getParent())) {
            assertEquals(List.of(file), left.toList(), "no temp files left behind");
        }
    }

    @Test
    void replacesExistingContentAndKeepsItReadable() throws Exception {
        Path file = dir.resolve("leaderboard.txt");
        AtomicFiles.write(file, "old");
        AtomicFiles.write(file, "new");
        assertEquals("new", Files.readString(file));
        assertTrue(Files.isReadable(file));
    }
}
