package io.gradtune.driver.run;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Plausible epoch records for exercising the driver without training: the decision warm-up and the stream
 * benchmark. Accuracy rises towards a per-trial ceiling ({@code quality} in [0, 1]) over four healthy layers; a
 * diverging trial's loss and gradients grow geometrically instead.
 */
public final class SyntheticRecords {

    private SyntheticRecords() {
    }

    /** Epoch {@code epoch} (from 1) of attempt 0 of trial {@code trialId} of run {@code runId}; draws five values from {@code r}. */
    public static EpochMetrics epoch(String study, String runId, String trialId, int epoch, double quality, boolean diverges,
                                     long epochMillis, SplittableRandom r) {
        List<LayerStats> layers = new ArrayList<>();
        for (int l = 0; l < 4; l++) {
            boolean output = l == 3;
            double grad = diverges ? Math.pow(10, epoch) : 0.5 + r.nextDouble();
            layers.add(new LayerStats(l, String.valueOf(l), output ? "output" : "dense", output ? "softmax" : "relu",
                    grad, 0.01, 0.2, 1e-3, 5, 0, 0, output ? null : 0.05, null, 0.8));
        }
        double acc = Math.min(0.99, (0.5 + 0.45 * quality) * (1 - Math.exp(-0.3 * epoch)) + 0.02 * r.nextDouble());
        double loss = diverges ? 2.0 * Math.pow(3, epoch) : 2.0 / epoch;
        return EpochMetrics.of(study, runId, trialId, 0, "driver", "localhost", epoch, loss, loss * 1.05, acc, 1e-3, epochMillis,
                System.currentTimeMillis(), layers);
    }
}
