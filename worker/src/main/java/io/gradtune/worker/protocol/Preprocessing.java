package io.gradtune.worker.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The data-cleaning settings of a study ({@code data.missing}, {@code data.missing_indicators}, {@code data.outliers},
 * {@code data.clip_quantiles} / {@code data.zscore}, {@code data.pca_components}): what {@code data.FittedPreprocessing} fits on a
 * trial's training part and applies to every part, in the order impute -> missing indicators -> outliers -> scaling ->
 * PCA. A trial's parameters {@code missing}, {@code outliers} and {@code pca_components} (searched in {@code space})
 * override the fixed values ({@link #with}).
 *
 * @param missing           {@code error} (a missing cell is a data error), {@code drop} (training rows with a missing
 *                          cell are dropped; validation, test and predicted rows are filled with the kept training
 *                          rows' medians), {@code mean}, {@code median} or {@code most_frequent}
 * @param missingIndicators add a 0/1 column per feature that had missing cells in the training part
 * @param outliers          {@code none}, {@code clip} (every part clipped to the bounds fitted on the training part) or
 *                          {@code drop} (training rows outside the bounds are dropped; other rows untouched)
 * @param clipLow           lower quantile of the bounds, in [0, 1] (when {@code zscore} is 0)
 * @param clipHigh          upper quantile, in [0, 1], above {@code clipLow}
 * @param zscore            bounds at mean +- zscore standard deviations instead of quantiles; 0 = quantiles
 * @param pcaComponents     0 = no PCA; an integer >= 1 = that many components; a fraction in (0, 1) = the fewest
 *                          components that explain at least that share of the training part's variance
 * @param readsMissing      whether the readers keep empty and NaN cells (as NaN) rather than reject them: true when
 *                          {@code missing} or any searched value of it is not {@code error}
 */
public record Preprocessing(String missing, boolean missingIndicators, String outliers, double clipLow,
                            double clipHigh, double zscore, double pcaComponents, boolean readsMissing) {

    /** The values of {@code data.missing} and of a searched {@code missing}. */
    public static final List<String> MISSING = List.of("error", "drop", "mean", "median", "most_frequent");
    /** The values of {@code data.outliers} and of a searched {@code outliers}. */
    public static final List<String> OUTLIERS = List.of("none", "clip", "drop");
    /** The trial parameters that override these settings. */
    public static final List<String> PARAMETERS = List.of("missing", "outliers", "pca_components");

    /** Nothing to do: missing cells are errors, no outlier handling, no PCA (what a study without these keys gets). */
    public static final Preprocessing NONE = new Preprocessing("error", false, "none", 0.01, 0.99, 0, 0, false);

    @JsonCreator
    public Preprocessing {
        missing = missing.toLowerCase(Locale.ROOT);
        outliers = outliers.toLowerCase(Locale.ROOT);
        check(MISSING.contains(missing), "missing", missing, String.join(", ", MISSING));
        check(OUTLIERS.contains(outliers), "outliers", outliers, String.join(", ", OUTLIERS));
        check(clipLow >= 0 && clipLow <= 1, "clip_quantiles", clipLow, "a quantile in [0, 1]");
        check(clipHigh >= 0 && clipHigh <= 1, "clip_quantiles", clipHigh, "a quantile in [0, 1]");
        check(clipLow < clipHigh, "clip_quantiles", "[" + clipLow + ", " + clipHigh + "]", "low < high");
        check(zscore >= 0, "zscore", zscore, "a number > 0");
        checkPca(pcaComponents);
    }

    /** Whether nothing is fitted: the data passes unchanged (save scaling). */
    public boolean passesThrough() {
        return missing.equals("error") && !missingIndicators && outliers.equals("none") && pcaComponents == 0;
    }

    /** A key for caches of prepared data: equal keys, equal preparation. */
    public String key() {
        return missing + "," + missingIndicators + "," + outliers + "," + clipLow + "," + clipHigh + "," + zscore + ","
                + pcaComponents;
    }

    /**
     * These settings with a trial's overrides: its {@code missing}, {@code outliers} and {@code pca_components}
     * parameters when it has them.
     *
     * @throws IllegalArgumentException naming the parameter, for a value out of its domain
     */
    public Preprocessing with(Map<String, ?> params) {
        if (params == null || PARAMETERS.stream().noneMatch(params::containsKey)) {
            return this;
        }
        String m = params.containsKey("missing") ? String.valueOf(params.get("missing")) : missing;
        String o = params.containsKey("outliers") ? String.valueOf(params.get("outliers")) : outliers;
        double pca = pcaComponents;
        Object p = params.get("pca_components");
        if (p != null) {
            try {
                pca = p instanceof Number n ? n.doubleValue() : Double.parseDouble(p.toString());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("parameter 'pca_components' = '" + p + "', expected a number");
            }
        }
        return new Preprocessing(m, missingIndicators, o, clipLow, clipHigh, zscore, pca, readsMissing);
    }

    /**
     * Checks a {@code pca_components} value: 0 (none), an integer >= 1, or a fraction in (0, 1).
     *
     * @throws IllegalArgumentException naming the field and the allowed range
     */
    public static void checkPca(double v) {
        boolean ok = v == 0 || (v > 0 && v < 1) || (v >= 1 && v == Math.rint(v));
        check(ok, "pca_components", v, "an integer >= 1 (that many components) or a variance fraction in (0, 1)");
    }

    private static void check(boolean ok, String field, Object value, String allowed) {
        if (!ok) {
            throw new IllegalArgumentException(field + " = " + value + ": expected " + allowed);
        }
    }
}
