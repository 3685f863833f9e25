package io.gradtune.worker.train;

import io.gradtune.worker.protocol.DataSpec;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.TrialSpec;
import io.gradtune.worker.telemetry.Delivery;
import io.gradtune.worker.telemetry.MetricsPublisher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A trial small enough to train in milliseconds: 60 rows of two separable Gaussian classes, one layer of 4 units. */
final class TinyTrial {

    private TinyTrial() {
    }

    /** The trial's spec, its data written to {@code dir/d.csv}. */
    static TrialSpec spec(Path dir, int epochs) throws IOException {
        return spec(dir, epochs, Map.of("layers", 1, "units", 4));
    }

    /** As {@link #spec(Path, int)}, with the trial's parameters. */
    static TrialSpec spec(Path dir, int epochs, Map<String, Object> params) throws IOException {
        Random r = new Random(1);
        StringBuilder csv = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 60; i++) {
            int label = i % 2;
            csv.append(r.nextGaussian() + 2 * label).append(',').append(r.nextGaussian()).append(',').append(label)
                    .append('\n');
        }
        Path data = dir.resolve("d.csv");
        Files.writeString(data, csv);
        return TrialSpec.of("s", "run-1", "t0001", params, epochs, 1,
                new DataSpec(data.toString(), "csv", "label", null, 0.6, 0.2, "standard", 0), "unused:9092", "unused");
    }

    /** A broker that acknowledges every record at once and keeps them. */
    static final class Recording implements MetricsPublisher {
        final List<EpochMetrics> records = new ArrayList<>();

        @Override
        public void publish(EpochMetrics metrics) {
            send(metrics);
        }

        @Override
        public synchronized Delivery send(EpochMetrics metrics) {
            records.add(metrics);
            return stop -> true;
        }

        @Override
        public void flush() {
        }
    }
}
