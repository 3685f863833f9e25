package io.gradtune.worker.stopping;

import io.gradtune.worker.protocol.EpochMetrics;

/**
 * What a study optimizes: the metric of an epoch record it ranks by and its direction. The driver's study curves are
 * one; {@link TrialStopping} is the worker's.
 */
public interface Objective {

    /** The objective metrics a study may name. */
    java.util.List<String> METRICS = java.util.List.of("val_accuracy", "val_loss", "train_loss", "val_mse", "val_mae",
            "val_r2");

    /** The metrics only a regression ({@code data.task: regression}) reports. */
    java.util.List<String> REGRESSION_METRICS = java.util.List.of("val_mse", "val_mae", "val_r2");

    /** The metric's name, one of {@link #METRICS}. */
    String objectiveMetric();

    /** Whether larger values are better. */
    boolean maximize();

    /** The objective value of one record, as reported (see {@link Objectives#value} for the rules' view). */
    default double objective(EpochMetrics m) {
        return valueOf(objectiveMetric(), m);
    }

    /**
     * The value of metric {@code metric} in a record: {@code val_mse} is a regression's {@code valLoss}, and a
     * metric the record does not carry ({@code val_r2} of a classification's record) is NaN.
     */
    static double valueOf(String metric, EpochMetrics m) {
        return switch (metric) {
            case "val_accuracy" -> m.valAccuracy();
            case "val_loss", "val_mse" -> m.valLoss();
            case "train_loss" -> m.trainLoss();
            case "val_mae" -> m.valMaeOrNaN();
            case "val_r2" -> m.valR2OrNaN();
            default -> throw new IllegalArgumentException("unknown objective metric " + metric);
        };
    }

}
