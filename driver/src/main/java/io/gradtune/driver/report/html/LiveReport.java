package io.gradtune.driver.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradtune.driver.report.AtomicFiles;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The report of a running study: the epoch records the driver accepted from the Kafka stream, kept in memory as they
 * arrive ({@link #accept}), with the run directory's journal and trials.csv (trial starts, ends and stops, which the
 * driver makes durable before anything else sees them). {@link #model} is what the live view serves (rebuilt at most
 * every {@value #MODEL_MILLIS} ms); {@link #maybeWrite} rewrites report.html at most every
 * {@code gradtune.report.intervalSeconds} seconds (default 10) while the study runs.
 */
public final class LiveReport {

    static final long MODEL_MILLIS = 500;
    private final Path runDir;
    private final List<JsonNode> records = new ArrayList<>();
    private final long writeMillis = Math.max(1, Long.getLong("gradtune.report.intervalSeconds", 10)) * 1000;
    private final Consumer<String> warn;
    private long lastWrite;
    private long lastModel;
    private int modelRecords = -1;
    private ObjectNode model;

    /** Starts from the records already in the run directory's metrics.jsonl (a resumed study's finished trials). */
    public LiveReport(Path runDir, Consumer<String> warn) {
        this.runDir = runDir;
        this.warn = warn;
        records.addAll(RunSnapshot.readRecords(runDir.resolve("metrics.jsonl")));
        this.lastWrite = System.currentTimeMillis();
    }

    /** One accepted epoch record, as received from Kafka. */
    public void accept(String raw) {
        JsonNode n = RunSnapshot.parse(raw);
        if (n != null) {
            synchronized (records) {
                records.add(n);
            }
        }
    }

    /** The live model: the in-memory records and the run directory's journal and trials.csv now. */
    public synchronized ObjectNode model() {
        long now = System.currentTimeMillis();
        int count;
        synchronized (records) {
            count = records.size();
        }
        if (model == null || now - lastModel >= MODEL_MILLIS || count != modelRecords && now - lastModel >= 100) {
            List<JsonNode> copy;
            synchronized (records) {
                copy = new ArrayList<>(records);
            }
            model = ReportModel.build(RunSnapshot.readWith(runDir, copy), null, true);
            modelRecords = copy.size();
            lastModel = now;
        }
        return model;
    }

    /** Rewrites report.html when the interval has passed since the last write; a failed write is only reported. */
    public void maybeWrite() {
        long now = System.currentTimeMillis();
        if (now - lastWrite < writeMillis) {
            return;
        }
        lastWrite = now;
        try {
            ObjectNode m = model().deepCopy();
            m.put("live", false);
            AtomicFiles.write(runDir.resolve(HtmlReport.FILE), ReportPage.render(m));
        } catch (UncheckedIOException | RunSnapshot.NotARunDirectory e) {
            warn.accept("warning: cannot rewrite " + HtmlReport.FILE + ": " + e.getMessage());
        }
    }
}
