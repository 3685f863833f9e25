package io.gradtune.driver.report;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A file rewritten from a snapshot whenever something changed, off the caller's thread and coalesced: {@link #request}
 * returns at once; one thread of its own renders the snapshot and writes it atomically ({@link AtomicFiles}), at once
 * when the last write is at least {@code minIntervalMillis} old, else when it is. Requests that arrive while a write is
 * waiting share it; one that arrives while a write renders gets another write after it, so the file always ends up
 * reflecting the last request. Writes never overlap and are made in request order, so an older snapshot never replaces
 * a newer one.
 *
 * <p>What it is for: {@code trials.csv} while a study runs. Rendering it is O(trials); rewriting it on every finished
 * trial's thread made a study O(trials²) in driver CPU and held the finishing thread (see BENCHMARKS.md, "Driver
 * scale"). With this the cost is at most one rendering per interval, whatever the number of trials finishing.
 */
public final class ThrottledFileWriter implements AutoCloseable {

    private final Path file;
    private final Supplier<String> snapshot;
    private final long minIntervalNanos;
    private final Consumer<UncheckedIOException> onFailure;
    private final ScheduledThreadPoolExecutor thread;
    private boolean scheduled;
    private boolean closed;
    private long lastStartNanos;
    private boolean written;
    private long writes;

    /**
     * @param file              the file to rewrite
     * @param snapshot          the file's whole text now; called on the writer's thread
     * @param minIntervalMillis the least time between the starts of two writes (0: none)
     * @param onFailure         told when a write fails (the next request tries again)
     */
    public ThrottledFileWriter(Path file, Supplier<String> snapshot, long minIntervalMillis,
                               Consumer<UncheckedIOException> onFailure) {
        if (minIntervalMillis < 0) {
            throw new IllegalArgumentException("minIntervalMillis must be >= 0, got " + minIntervalMillis);
        }
        this.file = file;
        this.snapshot = snapshot;
        this.minIntervalNanos = TimeUnit.MILLISECONDS.toNanos(minIntervalMillis);
        this.onFailure = onFailure;
        this.thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "gradtune-write-" + file.getFileName());
            t.setDaemon(true);
            return t;
        });
        this.thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Something the file shows changed: a write follows (at once, or when the interval has passed). */
    public synchronized void request() {
        if (closed || scheduled) {
            return;
        }
        scheduled = true;
        long delay = written ? Math.max(0, lastStartNanos + minIntervalNanos - System.nanoTime()) : 0;
        thread.schedule(this::write, delay, TimeUnit.NANOSECONDS);
    }

    /** Writes made so far. */
    public synchronized long writes() {
        return writes;
    }

    private void write() {
        synchronized (this) {
            scheduled = false; // a request from now on sees a snapshot older than its change: it gets its own write
            lastStartNanos = System.nanoTime();
            written = true;
        }
        try {
            AtomicFiles.write(file, snapshot.get());
            synchronized (this) {
                writes++;
            }
        } catch (UncheckedIOException e) {
            onFailure.accept(e);
        }
    }

    /**
     * Drops a write still waiting for its interval and waits for one under way (up to a minute), so a final write by
     * the caller after this is the last; no writes after it.
     */
    @Override
    public void close() throws InterruptedException {
        synchronized (this) {
            closed = true;
        }
        thread.shutdown();
        thread.awaitTermination(1, TimeUnit.MINUTES);
    }
}
