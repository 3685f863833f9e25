package io.gradtune.worker.model;

import io.gradtune.worker.protocol.DataSpec;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.protocol.TrialSpec;
import io.gradtune.worker.telemetry.MetricsPublisher;
import io.gradtune.worker.train.TrialRunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Runs real trials on a small seeded iris-like data set (120 rows, 4 features, 3 Gaussian classes). */
final class TestTrials {

    /** The records and outcome of one trial. */
    record Run(TrialOutcome outcome, List<EpochMetrics> epochs) {
        List<Double> learningRates() {
            return epochs.stream().map(EpochMetrics::learningRate).toList();
        }
    }

    /** Collects records in memory. */
    static final class RecordingPublisher implements MetricsPublisher {
        final List<EpochMetrics> records = new ArrayList<>();

        @Override
        public synchronized void publish(EpochMetrics metrics) {
            records.add(metrics);
        }

        @Override
        public void flush() {
        }
    }

    private static final Path DATA = writeData();

    private TestTrials() {
    }

    static Run run(Map<String, Object> params, int epochs) {
        RecordingPublisher publisher = new RecordingPublisher();
        DataSpec data = new DataSpec(DATA.toString(), "csv", "label", null, 0.8, 0.2, "standard", 7L);
        TrialSpec spec = TrialSpec.of("test", "run-1", "t0001", params, epochs, 42L, data, "unused:9092", "unused");
        TrialOutcome outcome = new TrialRunner(publisher).run(spec, 0, () -> false);
        return new Run(outcome, List.copyOf(publisher.records));
    }

    private static Path writeData() {
        Random random = new Random(2024);
        double[][] centres = {{0, 0, 0, 0}, {2, 1, -1, 0.5}, {-1, 2, 1, -1}};
        StringBuilder csv = new StringBuilder("f1,f2,f3,f4,label\n");
        for (int row = 0; row < 120; row++) {
            int label = row % 3;
            for (int f = 0; f < 4; f++) {
                csv.append(centres[label][f] + random.nextGaussian()).append(',');
            }
            csv.append(label).append('\n');
        }
        try {
            Path file = Files.createTempFile("gradtune-iris-like", ".csv");
            file.toFile().deleteOnExit();
            return Files.writeString(file, csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
