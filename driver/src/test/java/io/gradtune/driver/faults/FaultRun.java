package io.gradtune.driver.faults;

import io.gradtune.driver.testing.DigitsStudy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradtune.driver.cli.Gradtune;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.ProtocolCodec;
import io.gradtune.worker.telemetry.KafkaMetricsPublisher;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One study run through the CLI ({@code gradtune run}) for a fault test, and what it left behind: the exit code,
 * the console, {@code trials.csv}, {@code metrics.jsonl} and {@code study.json}. Also computes the fault line the
 * reliability table is built from, from those files, never from the test's expectations.
 */
final class FaultRun {

    /** One row of trials.csv. */
    record Trial(String id, String state, int epochs, String stopReason, String error) {
    }

    final int exitCode;
    final String console;
    final Path runDir;
    final Map<String, Trial> trials = new LinkedHashMap<>();
    /** Every record in metrics.jsonl, in file order. */
    final List<EpochMetrics> records = new ArrayList<>();
    final JsonNode summary;

    private FaultRun(int exitCode, String console, Path runDir) throws IOException {
        this.exitCode = exitCode;
        this.console = console;
        this.runDir = runDir;
        try (Reader r = Files.newBufferedReader(runDir.resolve("trials.csv"))) {
            for (CSVRecord row : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r)) {
                trials.put(row.get("trial_id"), new Trial(row.get("trial_id"), row.get("state"),
                        Integer.parseInt(row.get("epochs")), row.get("stop_reason"), row.get("error")));
            }
        }
        for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
            records.add(ProtocolCodec.decodeEpochMetrics(line).value());
        }
        this.summary = new ObjectMapper().readTree(runDir.resolve("study.json").toFile());
    }

    /** A config for a small study on data/digits.csv against {@code bootstrap}; {@code extra} ends the file. */
    static Path config(Path dir, String study, String bootstrap, int trials, int epochs, String kafkaExtra,
                       String stopping) {
        return DigitsStudy.named(study).trials(trials).epochs(epochs).earlyStopping(stopping)
                .kafka("  bootstrap: " + bootstrap + "\n  topic_prefix: " + study + "\n  partitions: 2\n" + kafkaExtra)
                .spark("  master: \"local[2]\"\n  max_attempts: 2\n").write(dir);
    }

    /** Runs {@code gradtune run cfg --output dir/runs}, the console copied to this JVM's as well as captured. */
    static FaultRun run(Path cfg, Path dir, String study) throws IOException {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream tee = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                captured.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                original.write(b, off, len);
                synchronized (captured) {
                    captured.write(b, off, len);
                }
            }
        }, true);
        int code;
        System.setOut(tee);
        try {
            code = Gradtune.execute("run", cfg.toString(), "--output", dir.resolve("runs").toString());
        } finally {
            System.setOut(original);
            KafkaMetricsPublisher.closeAll();
        }
        String console;
        synchronized (captured) {
            console = captured.toString();
        }
        return new FaultRun(code, console, dir.resolve("runs").resolve(study));
    }

    /** The metrics.jsonl file of a study whose run directory is {@code runDir}, for a watcher. */
    static Path metricsLog(Path dir, String study) {
        return dir.resolve("runs").resolve(study).resolve("metrics.jsonl");
    }

    /** The records of one trial's final attempt, in file order. */
    List<EpochMetrics> finalAttempt(String trialId) {
        int attempt = records.stream().filter(m -> m.trialId().equals(trialId)).mapToInt(EpochMetrics::attempt)
                .max().orElse(-1);
        return records.stream().filter(m -> m.trialId().equals(trialId) && m.attempt() == attempt).toList();
    }

    /**
     * Whether a trial's final attempt has the records 1..n in order, n its reported epochs. Records after them are
     * allowed: epochs a stopped trial trained before its cancel landed, which arrive after it ended.
     */
    boolean intactCurve(Trial t) {
        List<EpochMetrics> curve = finalAttempt(t.id());
        if (curve.size() < t.epochs()) {
            return false;
        }
        for (int i = 0; i < t.epochs(); i++) {
            if (curve.get(i).epoch() != i + 1) {
                return false;
            }
        }
        return true;
    }

    /** The last epoch a trial's final attempt trained, from every record that arrived. */
    int lastEpochTrained(String trialId) {
        return finalAttempt(trialId).stream().mapToInt(EpochMetrics::epoch).max().orElse(0);
    }

    /** Trials with an epoch record of the same attempt twice in metrics.jsonl. */
    int duplicatedTrials() {
        Set<String> seen = new HashSet<>();
        Set<String> dup = new HashSet<>();
        for (EpochMetrics m : records) {
            if (!seen.add(m.trialId() + "/" + m.attempt() + "/" + m.epoch())) {
                dup.add(m.trialId());
            }
        }
        return dup.size();
    }

    /**
     * Trials the fault at {@code atMillis} hit: every trial except those provably done before it (ended with an
     * intact curve whose last record is older than the fault). A fault test starts every trial before its fault.
     */
    List<Trial> notDoneAt(long atMillis) {
        List<Trial> out = new ArrayList<>();
        for (Trial t : trials.values()) {
            List<EpochMetrics> curve = finalAttempt(t.id());
            boolean doneBefore = !t.state().equals("FAILED") && intactCurve(t) && !curve.isEmpty()
                    && curve.get(curve.size() - 1).timestampMillis() < atMillis;
            if (!doneBefore) {
                out.add(t);
            }
        }
        return out;
    }

    /** The epoch a trial's stop rule decided at, from its stop reason ({@code plateau@6: ...}), or -1. */
    static int stopEpoch(Trial t) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^[a-z_]+@(\\d+):").matcher(t.stopReason());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /**
     * The fault line: trials the fault hit, those that ended with an intact curve (COMPLETED or PRUNED), the
     * records study.json declares lost plus any hole in a reported curve, and trials with a duplicated record.
     */
    String faultLine(String family, List<Trial> hit) {
        long survived = hit.stream().filter(t -> !t.state().equals("FAILED") && intactCurve(t)).count();
        long holes = trials.values().stream().filter(t -> !t.state().equals("FAILED") && !intactCurve(t)).count();
        long lost = summary.path("kafka").path("recordsLost").asLong() + holes;
        return "[fault] " + family + " | injected=" + hit.size() + " | survived=" + survived + " | records_lost="
                + lost + " | trials_duplicated=" + duplicatedTrials();
    }
}
