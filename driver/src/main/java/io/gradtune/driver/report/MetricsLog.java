package io.gradtune.driver.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code metrics.jsonl}: every accepted epoch record exactly as it came from Kafka, one JSON object a line,
 * appended as records arrive. The consumer calls {@link #flush()} after each poll's records, so a crash loses at
 * most the records of the poll being handled, and a busy consumer makes one write call per poll, not per record.
 *
 * <p>A write that fails (a full disk) throws once; from then on the log writes nothing and {@link #close()} does not
 * throw, so the study can stop in order and report why. The journal holds every finished trial's records, from which
 * a resumed study rebuilds this file.
 */
public final class MetricsLog implements AutoCloseable {

    private final BufferedWriter out;
    private boolean failed;

    /** A new, empty log (an existing file is truncated). */
    public MetricsLog(Path file) {
        this(file, false);
    }

    /** @param append keep what the file holds and append to it (a resumed study), else start it empty */
    public MetricsLog(Path file, boolean append) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
    }

    public synchronized void append(String json) {
        if (failed) {
            return;
        }
        try {
            out.write(json.replace('\n', ' '));
            out.newLine();
        } catch (IOException e) {
            failed = true;
            throw new UncheckedIOException("cannot append to metrics.jsonl", e);
        }
    }

    /** Hands everything appended so far to the operating system. */
    public synchronized void flush() {
        if (failed) {
            return;
        }
        try {
            out.flush();
        } catch (IOException e) {
            failed = true;
            throw new UncheckedIOException("cannot write metrics.jsonl", e);
        }
    }

    /** True once a write failed: the log has stopped writing. */
    public synchronized boolean failed() {
        return failed;
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            if (!failed) {
                failed = true;
                throw new UncheckedIOException("cannot close metrics.jsonl", e);
            }
        }
    }
}
