package io.gradtune.driver.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes report files atomically (a private temp file in the same directory, then a rename), so a crash never
 * leaves a half-written report and concurrent writers of the same file never trip over each other's temp file:
 * each one renames its own complete copy, and the last rename wins.
 */
public final class AtomicFiles {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private AtomicFiles() {
    }

    public static void write(Path file, String content) {
        Path tmp = null;
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            // A name of our own (not createTempFile, whose 0600 mode would survive the rename).
            tmp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + "-"
                    + SEQUENCE.incrementAndGet() + ".tmp");
            Files.writeString(tmp, content, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the write already failed and reports that
                }
            }
        }
    }
}
