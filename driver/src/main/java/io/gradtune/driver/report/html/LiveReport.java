package io.gradtune.driver.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradtune.driver.journal.Journal;
import io.gradtune.driver.report.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The report of a running study: the epoch records the driver accepted from the Kafka stream, kept in memory as they
 * arrive ({@link #accept}: a list append on the consumer thread, parsed later), with the run directory's journal and
 * trials.csv (trial starts, ends and stops, which the driver makes durable before anything else sees them).
 * {@link #model} is what the live view serves (rebuilt at most every {@value #MODEL_MILLIS} ms); {@link #start}
 * rewrites report.html on its own thread every {@code gradtune.report.intervalSeconds} seconds (default 10) until
 * {@link #close}, so the consumer thread, which decides stops, never builds a report. A rewrite costs O(trials +
 * records) (the model is built from everything each time), so the wait before the next one is the interval or
 * {@value #COST_FACTOR} x the last rewrite's CPU time, whichever is longer: the rewrites take at most 1/{@value
 * #COST_FACTOR} of one core however large the study grows. A rewrite is skipped when nothing it shows changed (no new
 * record, journal.jsonl and trials.csv as they were).
 */
public final class LiveReport implements AutoCloseable {

    static final long MODEL_MILLIS = 500;
    /** The least wait between two rewrites, as a multiple of the last rewrite's CPU time. */
    static final long COST_FACTOR = 200;
    private final Path runDir;
    private final List<String> raw = new ArrayList<>();
    private final List<JsonNode> parsed = new ArrayList<>();
    private final Consumer<String> warn;
    private ScheduledExecutorService writer;
    private long lastModel;
    private int modelRecords = -1;
    private ObjectNode model;
    private long intervalNanos;
    private List<Long> written = List.of();
    private long rewrites;

    /** Starts from the records already in the run directory's metrics.jsonl (a resumed study's finished trials). */
    public LiveReport(Path runDir, Consumer<String> warn) {
        this.runDir = runDir;
        this.warn = warn;
        parsed.addAll(RunSnapshot.readRecords(runDir.resolve("metrics.jsonl")));
    }

    /** One accepted epoch record, as received from Kafka. */
    public void accept(String record) {
        synchronized (raw) {
            raw.add(record);
        }
    }

    /** The live model: the in-memory records and the run directory's journal and trials.csv now. */
    public synchronized ObjectNode model() {
        return model(false);
    }

    /**
     * The model, rebuilt if {@code rebuild} or if the last one is older than {@value #MODEL_MILLIS} ms (100 ms when
     * records arrived since). A rewrite of report.html always rebuilds: it runs because something it shows changed,
     * which a model built a moment earlier may not hold yet.
     */
    private synchronized ObjectNode model(boolean rebuild) {
        List<String> fresh;
        synchronized (raw) {
            fresh = new ArrayList<>(raw);
            raw.clear();
        }
        for (String r : fresh) {
            JsonNode n = RunSnapshot.parse(r);
            if (n != null) {
                parsed.add(n);
            }
        }
        long now = System.currentTimeMillis();
        if (rebuild || model == null || now - lastModel >= MODEL_MILLIS || parsed.size() != modelRecords && now - lastModel >= 100) {
            model = ReportModel.build(RunSnapshot.readWith(runDir, new ArrayList<>(parsed)), null, true);
            modelRecords = parsed.size();
            lastModel = now;
        }
        return model;
    }

    /** Starts rewriting report.html on a daemon thread: every interval, or less often when a rewrite is costly. */
    public synchronized LiveReport start() {
        long seconds = Math.max(1, Long.getLong("gradtune.report.intervalSeconds", 10));
        intervalNanos = TimeUnit.SECONDS.toNanos(seconds);
        ScheduledThreadPoolExecutor w = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "gradtune-report-writer");
            t.setDaemon(true);
            return t;
        });
        w.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // close drops the next rewrite, waits for one under way
        writer = w;
        writer.schedule(this::rewrite, intervalNanos, TimeUnit.NANOSECONDS);
        return this;
    }

    /** One periodic rewrite (when something changed), then the next one scheduled after its wait. */
    private void rewrite() {
        long cpu0 = threadCpuNanos();
        boolean wrote = writeIfChanged();
        long cost = threadCpuNanos() - cpu0;
        nextAfter(Math.max(intervalNanos, wrote && cost > 0 ? cost * COST_FACTOR : 0));
    }

    /** Schedules the next rewrite, unless {@link #close} has begun. */
    private synchronized void nextAfter(long delayNanos) {
        if (writer != null) {
            writer.schedule(this::rewrite, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private static long threadCpuNanos() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        return mx.isCurrentThreadCpuTimeSupported() ? mx.getCurrentThreadCpuTime() : 0;
    }

    /**
     * Writes report.html unless nothing it shows changed since the last write (the records held, journal.jsonl's
     * size, trials.csv's size and time); true if it wrote.
     */
    boolean writeIfChanged() {
        List<Long> now = changeMarks();
        if (now.equals(written)) {
            return false;
        }
        if (write()) {
            written = now;
        }
        return true;
    }

    /** Rewrites so far ({@link #writeIfChanged} and {@link #write}). */
    synchronized long rewrites() {
        return rewrites;
    }

    private List<Long> changeMarks() {
        int records;
        synchronized (raw) {
            records = raw.size();
        }
        synchronized (this) {
            records += parsed.size();
        }
        return List.of((long) records, size(runDir.resolve(Journal.FILE)), size(runDir.resolve("trials.csv")),
                modified(runDir.resolve("trials.csv")));
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Writes report.html now; a failed write is reported (false), the study goes on. */
    boolean write() {
        try {
            ObjectNode m = model(true).deepCopy();
            m.put("live", false);
            AtomicFiles.write(runDir.resolve(HtmlReport.FILE), ReportPage.render(m));
            synchronized (this) {
                rewrites++;
            }
            return true;
        } catch (RuntimeException e) {
            warn.accept("warning: cannot rewrite " + HtmlReport.FILE + ": " + e.getMessage());
            return false;
        }
    }

    /** Stops the periodic rewrite, waiting for one in progress, so the end-of-run report is the last one written. */
    @Override
    public void close() {
        ScheduledExecutorService w;
        synchronized (this) {
            w = writer;
            writer = null;
        }
        if (w != null) {
            w.shutdown(); // not shutdownNow: an interrupted write would leave its temp file
            try {
                w.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
