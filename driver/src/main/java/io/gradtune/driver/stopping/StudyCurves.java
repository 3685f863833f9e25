package io.gradtune.driver.stopping;

import io.gradtune.worker.protocol.EpochMetrics;

import java.util.List;
import java.util.Map;

/**
 * The study's curves as comparative stopping rules need them: the objective value of each trial at each epoch.
 *
 * @param objectiveMetric name of the objective metric ({@code val_accuracy} or {@code val_loss})
 * @param maximize        whether larger objective values are better
 * @param curves          per trial id, its records in epoch order (running and finished trials)
 */
public record StudyCurves(String objectiveMetric, boolean maximize, Map<String, List<EpochMetrics>> curves) {

    /** The objective value of one record. */
    public double objective(EpochMetrics m) {
        return switch (objectiveMetric) {
            case "val_accuracy" -> m.valAccuracy();
            case "val_loss" -> m.valLoss();
            case "train_loss" -> m.trainLoss();
            default -> throw new IllegalArgumentException("unknown objective metric " + objectiveMetric);
        };
    }
}
