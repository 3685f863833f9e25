package io.gradtune.driver.calibration;

import io.gradtune.driver.diagnose.ChanceLevel;
import io.gradtune.worker.data.DataLoader;
import io.gradtune.worker.data.PreparedData;
import io.gradtune.worker.protocol.DataSpec;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.ProtocolCodec;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.protocol.TrialSpec;
import io.gradtune.worker.telemetry.MetricsPublisher;
import io.gradtune.worker.train.TrialRunner;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Runs the calibration set of issue 11 (profile {@code calibration}, not part of the default build): trains every
 * configuration of {@link CalibrationSet} to its full budget with the real worker {@link TrialRunner} in this JVM
 * (no Spark or Kafka: the records are collected in memory), labels it by docs/stopping.md's rule, replays its
 * records through the shipped stopping rules (as production builds them) and the diagnoser, and writes {@code target/calibration/calibration.csv} and
 * {@code target/calibration/summary.md}. It measures; it asserts only that every configuration ran.
 *
 * <p>{@code -Dcalibration.only=id1,id2} runs only the configurations whose id contains one of the given strings.
 *
 * <p>Every run's records are also written to {@code target/calibration/curves.jsonl} (one epoch record a line, as the
 * worker publishes it). {@code -Dcalibration.replay=path/to/curves.jsonl} skips training and labels and replays the
 * stored records instead: training is deterministic (docs/stopping.md), so after a rule change this gives the rows a
 * full run would, in seconds; the training time column is then 0.
 */
class CalibrationRun {

    private static final Path OUT = Path.of("target", "calibration");

    @Test
    void theCalibrationSetIsTrainedLabelledAndReplayedThroughTodaysRules() throws IOException {
        Path dataDir = CalibrationData.dataDir();
        String only = System.getProperty("calibration.only", "").trim();
        List<CalibrationConfig> configs = CalibrationSet.configs().stream()
                .filter(c -> only.isEmpty() || Arrays.stream(only.split(",")).anyMatch(s -> c.id().contains(s.trim())))
                .toList();
        assertFalse(configs.isEmpty(), "no configuration matches calibration.only=" + only);
        String replay = System.getProperty("calibration.replay", "").trim();
        Map<String, List<EpochMetrics>> stored = replay.isEmpty() ? null : readCurves(Path.of(replay));
        List<CalibrationResult> results = new ArrayList<>();
        StringBuilder curves = new StringBuilder();
        long start = System.nanoTime();
        for (CalibrationConfig c : configs) {
            CalibrationResult r = stored == null ? run(c, dataDir)
                    : replayed(c, dataDir, stored.getOrDefault(c.id(), List.of()));
            for (EpochMetrics m : r.curve()) {
                curves.append(ProtocolCodec.encode(m)).append('\n');
            }
            results.add(r);
            System.out.printf(Locale.ROOT,
                    "[calibration %d/%d] %s: %s (%s) | best acc %.3f | gradient stop: %s | %.1f s%n", results.size(),
                    configs.size(), c.id(), r.label().label(), r.label().clause(), r.bestAccuracy(),
                    r.replay().stopped() ? r.replay().stopRule() + " after epoch " + r.replay().gradientStop().epoch()
                            : "none", r.seconds());
        }
        double minutes = (System.nanoTime() - start) / 6e10;
        CalibrationReport.writeCsv(results, OUT.resolve("calibration.csv"));
        if (stored == null) {
            Files.writeString(OUT.resolve("curves.jsonl"), curves);
        }
        String summary = String.format(Locale.ROOT, "%d configurations, %d epochs each, %.1f minutes of training%n%n",
                results.size(), CalibrationSet.EPOCHS, minutes) + CalibrationReport.summary(results);
        Files.writeString(OUT.resolve("summary.md"), summary);
        System.out.println(summary);
    }

    private static CalibrationResult run(CalibrationConfig c, Path dataDir) {
        DataSpec spec = c.data().spec(dataDir);
        PreparedData data = prepared(c, dataDir);
        List<EpochMetrics> records = new ArrayList<>();
        MetricsPublisher collect = new MetricsPublisher() {
            @Override
            public synchronized void publish(EpochMetrics metrics) {
                records.add(metrics);
            }

            @Override
            public void flush() {
            }
        };
        TrialSpec trial = TrialSpec.of("calibration", "calibration", c.id(), c.params(), CalibrationSet.EPOCHS,
                c.seed(), spec, "unused:9092", "unused");
        long t0 = System.nanoTime();
        TrialOutcome outcome = new TrialRunner(collect).run(trial, 0, () -> false);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return result(c, data, List.copyOf(records), outcome.status().name(), outcome.error(), seconds);
    }

    /** A stored run ({@code calibration.replay}) labelled and replayed again without training. */
    private static CalibrationResult replayed(CalibrationConfig c, Path dataDir, List<EpochMetrics> curve) {
        return result(c, prepared(c, dataDir), curve, curve.isEmpty() ? "MISSING" : "REPLAYED", null, 0);
    }

    private static PreparedData prepared(CalibrationConfig c, Path dataDir) {
        Object scaling = c.params().get("scaling");
        return DataLoader.prepared(c.data().spec(dataDir), scaling == null ? null : scaling.toString());
    }

    private static CalibrationResult result(CalibrationConfig c, PreparedData data, List<EpochMetrics> curve,
                                            String status, String error, double seconds) {
        ChanceLevel level = ChanceLevel.ofLabels(data.valLabels(), data.numClasses());
        RunLabel label = RunLabel.of(curve, level.majorityRate(), data.numClasses());
        return new CalibrationResult(c, curve, status, error, level.majorityRate(), data.numClasses(), label,
                RuleReplay.of(curve, level), seconds);
    }

    /** The records of {@code curves.jsonl} by trial id (the configuration id), in file order. */
    private static Map<String, List<EpochMetrics>> readCurves(Path file) throws IOException {
        Map<String, List<EpochMetrics>> curves = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                EpochMetrics m = ProtocolCodec.decodeEpochMetrics(line).value();
                curves.computeIfAbsent(m.trialId(), k -> new ArrayList<>()).add(m);
            }
        }
        return curves;
    }

    /** The majority-class rate of a split's labels. */
    static double chance(int[] labels, int classes) {
        int[] counts = new int[classes];
        for (int l : labels) {
            counts[l]++;
        }
        return (double) Arrays.stream(counts).max().orElse(0) / labels.length;
    }
}
