package io.gradtune.driver.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradtune.driver.report.AtomicFiles;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The report of a running study: the epoch records the driver accepted from the Kafka stream, kept in memory as they
 * arrive ({@link #accept}: a list append on the consumer thread, parsed later), with the run directory's journal and
 * trials.csv (trial starts, ends and stops, which the driver makes durable before anything else sees them).
 * {@link #model} is what the live view serves (rebuilt at most every {@value #MODEL_MILLIS} ms); {@link #start}
 * rewrites report.html on its own thread every {@code gradtune.report.intervalSeconds} seconds (default 10) until
 * {@link #close}, so the consumer thread, which decides stops, never builds a report.
 */
public final class LiveReport implements AutoCloseable {

    static final long MODEL_MILLIS = 500;
    private final Path runDir;
    private final List<String> raw = new ArrayList<>();
    private final List<JsonNode> parsed = new ArrayList<>();
    private final Consumer<String> warn;
    private ScheduledExecutorService writer;
    private long lastModel;
    private int modelRecords = -1;
    private ObjectNode model;

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
        if (model == null || now - lastModel >= MODEL_MILLIS || parsed.size() != modelRecords && now - lastModel >= 100) {
            model = ReportModel.build(RunSnapshot.readWith(runDir, new ArrayList<>(parsed)), null, true);
            modelRecords = parsed.size();
            lastModel = now;
        }
        return model;
    }

    /** Starts rewriting report.html every interval on a daemon thread. */
    public synchronized LiveReport start() {
        long seconds = Math.max(1, Long.getLong("gradtune.report.intervalSeconds", 10));
        writer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gradtune-report-writer");
            t.setDaemon(true);
            return t;
        });
        writer.scheduleWithFixedDelay(this::write, seconds, seconds, TimeUnit.SECONDS);
        return this;
    }

    /** Writes report.html now; a failed write is reported, the study goes on. */
    void write() {
        try {
            ObjectNode m = model().deepCopy();
            m.put("live", false);
            AtomicFiles.write(runDir.resolve(HtmlReport.FILE), ReportPage.render(m));
        } catch (RuntimeException e) {
            warn.accept("warning: cannot rewrite " + HtmlReport.FILE + ": " + e.getMessage());
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
