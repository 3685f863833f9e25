package io.gradtune.driver.calibration;

import io.gradtune.worker.data.DataLoader;
import io.gradtune.worker.data.PreparedData;
import io.gradtune.worker.protocol.DataSpec;
import io.gradtune.worker.protocol.EpochMetrics;
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
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Runs the calibration set of issue 11 (profile {@code calibration}, not part of the default build): trains every
 * configuration of {@link CalibrationSet} to its full budget with the real worker {@link TrialRunner} in this JVM
 * (no Spark or Kafka: the records are collected in memory), labels it by docs/stopping.md's rule, replays its
 * records through today's stopping rules and diagnoser, and writes {@code target/calibration/calibration.csv} and
 * {@code target/calibration/summary.md}. It measures; it asserts only that every configuration ran.
 *
 * <p>{@code -Dcalibration.only=id1,id2} runs only the configurations whose id contains one of the given strings.
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
        List<CalibrationResult> results = new ArrayList<>();
        long start = System.nanoTime();
        for (CalibrationConfig c : configs) {
            CalibrationResult r = run(c, dataDir);
            results.add(r);
            System.out.printf(Locale.ROOT,
                    "[calibration %d/%d] %s: %s (%s) | best acc %.3f | gradient stop: %s | %.1f s%n", results.size(),
                    configs.size(), c.id(), r.label().label(), r.label().clause(), r.bestAccuracy(),
                    r.replay().stopped() ? r.replay().stopRule() + " after epoch " + r.replay().gradientStop().epoch()
                            : "none", r.seconds());
        }
        double minutes = (System.nanoTime() - start) / 6e10;
        CalibrationReport.writeCsv(results, OUT.resolve("calibration.csv"));
        String summary = String.format(Locale.ROOT, "%d configurations, %d epochs each, %.1f minutes of training%n%n",
                results.size(), CalibrationSet.EPOCHS, minutes) + CalibrationReport.summary(results);
        Files.writeString(OUT.resolve("summary.md"), summary);
        System.out.println(summary);
    }

    private static CalibrationResult run(CalibrationConfig c, Path dataDir) {
        DataSpec spec = c.data().spec(dataDir);
        Object scaling = c.params().get("scaling");
        PreparedData data = DataLoader.prepared(spec, scaling == null ? null : scaling.toString());
        double chance = chance(data.valLabels(), data.numClasses());
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
        List<EpochMetrics> curve = List.copyOf(records);
        RunLabel label = RunLabel.of(curve, chance, data.numClasses());
        return new CalibrationResult(c, curve, outcome.status().name(), outcome.error(), chance, data.numClasses(),
                label, RuleReplay.of(curve), seconds);
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
