package io.gradtune.driver.stream;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link EmbeddedKafka#removeLeftovers()} deletes only the directories of dead embedded brokers: never a live
 * process's, and never one named the way an older gradtune named them ({@code gradtune-kafka-<random digits>}),
 * whose digits would otherwise read as the pid of a process that does not exist.
 */
class EmbeddedKafkaLeftoversTest {

    @Test
    void removesADeadProcesssDirectoryOnly() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        long deadPid = done.pid();
        long random = ThreadLocalRandom.current().nextLong(100_000_000_000_000_000L, 999_999_999_999_999_999L);
        Path oldStyle = Files.createDirectory(tmp.resolve(EmbeddedKafka.TEMP_PREFIX + random));
        Path live = Files.createDirectory(tmp.resolve(EmbeddedKafka.TEMP_PREFIX + ProcessHandle.current().pid()
                + "-" + random));
        Path dead = Files.createDirectory(tmp.resolve(EmbeddedKafka.TEMP_PREFIX + deadPid + "-" + random));
        Files.writeString(dead.resolve("meta.properties"), "x");
        try {
            List<Path> removed = EmbeddedKafka.removeLeftovers();
            assertTrue(removed.contains(dead), "removed: " + removed);
            assertFalse(Files.exists(dead));
            assertTrue(Files.isDirectory(oldStyle), "an old-style directory (maybe a running older broker's) stays");
            assertTrue(Files.isDirectory(live), "a live process's directory stays");
        } finally {
            Files.deleteIfExists(oldStyle);
            Files.deleteIfExists(live);
        }
    }
}
