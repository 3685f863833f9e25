package io.gradtune.worker.stopping;

import io.gradtune.worker.protocol.EpochMetrics;

/**
 * What a study optimizes: the metric of an epoch record it ranks by and its direction. The driver's study curves are
 * one; {@link TrialStopping} is the worker's.
 */
public interface Objective {

    /** The objective metrics a study may name. */
    java.util.List<String> METRICS = java.util.List.of("val_accuracy", "val_loss", "train_loss");

    /** The metric's name: {@code val_accuracy}, {@code val_loss} or {@code train_loss}. */
    String objectiveMetric();

    /** Whether larger values are better. */
    boolean maximize();

    /** The objective value of one record, as reported (see {@link Objectives#value} for the rules' view). */
    default double objective(EpochMetrics m) {
        return switch (objectiveMetric()) {
            case "val_accuracy" -> m.valAccuracy();
            case "val_loss" -> m.valLoss();
            case "train_loss" -> m.trainLoss();
            default -> throw new IllegalArgumentException("unknown objective metric " + objectiveMetric());
        };
    }

}
