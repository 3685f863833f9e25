package io.gradtune.worker.data;

import io.gradtune.worker.protocol.Preprocessing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Everything {@link Preprocessing} fitted on a training part, in the order it is applied: {@link Cleaning} (impute,
 * missing indicators, clip) before scaling, {@link Pca} after it. A trial's arrays are made by {@link #prepare}; the
 * refit fits the same on train + validation and saves it in {@code best-model.zip} as JSON ({@link #toJson}), which
 * {@code gradtune predict} reads back ({@link #fromJson}) and applies around the saved normalizer.
 *
 * @param cleaning the fitted cleaning (never null; may do nothing)
 * @param pca      the fitted PCA, or null
 */
public record FittedPreprocessing(Cleaning cleaning, Pca pca) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * A trial's arrays: {@code p} fitted on {@code train} (cleaning, then {@code scaling} on the cleaned rows, then PCA
     * on the scaled rows) and applied to {@code train} and {@code validation}. Training rows may be dropped
     * ({@code drop} settings); validation rows never are.
     */
    public static PreparedData prepare(Preprocessing p, Scaling scaling, Table train, Table validation) {
        Cleaning.Fit fit = Cleaning.fit(p, train);
        Table val = fit.cleaning().apply(validation);
        Scaling.Fitted scaled = scaling.fit(fit.train());
        Table tr = scaled.apply(fit.train());
        val = scaled.apply(val);
        if (p.pcaComponents() > 0) {
            Pca pca = Pca.fit(tr, p.pcaComponents());
            tr = pca.apply(tr);
            val = pca.apply(val);
        }
        return PreparedData.of(tr, val);
    }

    /** The number of columns the network takes: PCA components, else the cleaned columns. */
    public int outputColumns() {
        return pca != null ? pca.components() : cleaning.outputColumns();
    }

    /** This as JSON (the zip entry of a saved model). */
    public String toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the fitted preprocessing as JSON", e);
        }
    }

    /**
     * Reads {@link #toJson}'s form.
     *
     * @throws IllegalArgumentException when the text is not that form
     */
    public static FittedPreprocessing fromJson(String json) {
        try {
            FittedPreprocessing f = JSON.readValue(json, FittedPreprocessing.class);
            if (f.cleaning() == null) {
                throw new IllegalArgumentException("no cleaning in the fitted preprocessing");
            }
            return f;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not gradtune's fitted preprocessing JSON: " + e.getOriginalMessage(), e);
        }
    }
}
