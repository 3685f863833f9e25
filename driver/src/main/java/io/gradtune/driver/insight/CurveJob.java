package io.gradtune.driver.insight;

import io.gradtune.worker.protocol.Preprocessing;

import java.util.Map;

/**
 * One point of the learning curve as a Spark task trains it: the best trial's configuration on a subset of the training
 * part. Crosses the Spark boundary as JSON ({@link LearningCurve#JSON}), so no Java class is chosen from serialized data.
 *
 * @param fraction   the share of the training part, in (0, 1]
 * @param rows       the subset's row indices into the training part ({@link NestedSubsets})
 * @param params     the best trial's parameters, as journaled
 * @param modelClass the study's model class ({@code model.class}), or null for gradtune's network
 * @param scaling    the data section's scaling (the trial's own {@code scaling} parameter wins)
 * @param epochs     epochs to train
 * @param seed       the trial's seed: initial weights and mini-batch order
 * @param rates      the trial's learning rate per epoch (replayed under {@code lr_schedule: plateau}), or null
 * @param cleaning   the data section's cleaning and PCA (the trial's own {@code missing}, {@code outliers} and
 *                   {@code pca_components} win), or null for none
 */
public record CurveJob(double fraction, int[] rows, Map<String, Object> params, String modelClass, String scaling,
                       int epochs, long seed, double[] rates, Preprocessing cleaning) {

    /** A job without data cleaning. */
    public CurveJob(double fraction, int[] rows, Map<String, Object> params, String modelClass, String scaling,
                    int epochs, long seed, double[] rates) {
        this(fraction, rows, params, modelClass, scaling, epochs, seed, rates, null);
    }
}
