package io.gradtune.worker.data;

import io.gradtune.worker.protocol.Preprocessing;
import io.gradtune.worker.protocol.Quantiles;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fitted first steps of {@link Preprocessing}: missing-value imputation, missing-indicator columns and outlier
 * clipping, all fitted on a training part only ({@link #fit}) and then applied unchanged to any rows ({@link #apply}):
 * validation, test, the refit's test rows and {@code gradtune predict}'s rows.
 *
 * <p>A missing cell is a NaN in the {@link Table} (the readers keep empty and {@code NaN} cells as NaN when
 * {@link Preprocessing#readsMissing} says so). {@code drop} settings remove training rows only ({@link Fit#train}):
 * the validation and test rows a trial is scored on are the same whatever a trial picks, so trials stay comparable.
 *
 * @param inputColumns the number of feature columns the rows have before these steps
 * @param fill         the value each column's missing cells get, or null (missing: error; a NaN is then an error)
 * @param indicators   the columns that get a 0/1 indicator column appended (1 = the cell was missing), in order
 * @param lower        per input column lower clip bound, or null (no clipping at apply time)
 * @param upper        per input column upper clip bound, or null
 * @param droppedRows  training rows the fit dropped (missing: drop, outliers: drop), for the record
 */
public record Cleaning(int inputColumns, float[] fill, int[] indicators, float[] lower, float[] upper,
                       int droppedRows) {

    /** A fit: the fitted steps and the training rows they leave (rows dropped, cells filled, clipped). */
    public record Fit(Cleaning cleaning, Table train) {
    }

    /** The suffix of an indicator column's name: {@code age_missing} for {@code age}. */
    public static final String INDICATOR_SUFFIX = "_missing";

    /**
     * Fits the steps on {@code train} and returns them with the cleaned training rows.
     *
     * @throws DataFormatException when a training cell is missing and {@code missing} is {@code error}, or when the
     *                             drops leave no training row
     */
    public static Fit fit(Preprocessing p, Table train) {
        int c = train.columns();
        int n = train.rows();
        float[] f = train.features();
        boolean[] colMissing = new boolean[c];
        boolean[] rowMissing = new boolean[n];
        for (int r = 0; r < n; r++) {
            for (int col = 0; col < c; col++) {
                if (Float.isNaN(f[r * c + col])) {
                    if (p.missing().equals("error")) {
                        throw new DataFormatException("the training part's row " + (r + 1) + " has a missing value in "
                                + "column '" + train.featureNames().get(col) + "' and missing is error: choose "
                                + "another data.missing (drop, mean, median, most_frequent) or fill the cell");
                    }
                    colMissing[col] = true;
                    rowMissing[r] = true;
                }
            }
        }
        int dropped = 0;
        Table kept = train;
        if (p.missing().equals("drop")) {
            kept = train.select(rows(rowMissing, false));
            dropped += n - kept.rows();
            requireRows(kept, "missing: drop (every training row has a missing cell)");
        }
        float[] fill = p.missing().equals("error") ? null : fill(kept, p.missing());
        int[] indicators = p.missingIndicators() && !p.missing().equals("drop") ? indices(colMissing) : new int[0];
        Cleaning imputing = new Cleaning(c, fill, indicators, null, null, 0);
        Table imputed = imputing.apply(kept);
        if (p.outliers().equals("none")) {
            return new Fit(new Cleaning(c, fill, indicators, null, null, dropped), imputed);
        }
        float[][] bounds = bounds(imputed, c, p);
        if (p.outliers().equals("clip")) {
            Cleaning cleaning = new Cleaning(c, fill, indicators, bounds[0], bounds[1], dropped);
            return new Fit(cleaning, cleaning.clip(imputed));
        }
        boolean[] outside = new boolean[imputed.rows()];
        int w = imputed.columns();
        for (int r = 0; r < imputed.rows(); r++) {
            for (int col = 0; col < c; col++) {
                float v = imputed.features()[r * w + col];
                if (v < bounds[0][col] || v > bounds[1][col]) {
                    outside[r] = true;
                    break;
                }
            }
        }
        Table inside = imputed.select(rows(outside, false));
        dropped += imputed.rows() - inside.rows();
        requireRows(inside, "outliers: drop (every training row is outside the bounds)");
        return new Fit(new Cleaning(c, fill, indicators, null, null, dropped), inside);
    }

    /** Whether applying these steps changes nothing (no fill needed aside, no indicators, no clipping). */
    public boolean doesNothing() {
        return fill == null && indicators.length == 0 && lower == null;
    }

    /** The number of feature columns after these steps: the inputs plus one per indicator. */
    public int outputColumns() {
        return inputColumns + indicators.length;
    }

    /**
     * {@code t}'s rows with the fitted steps applied: missing cells filled, indicator columns appended, values clipped.
     * Never drops a row.
     *
     * @throws DataFormatException for a missing cell when nothing was fitted to fill it (missing: error)
     */
    public Table apply(Table t) {
        if (t.columns() != inputColumns) {
            throw new IllegalArgumentException("rows have " + t.columns() + " feature columns, the cleaning was "
                    + "fitted on " + inputColumns);
        }
        int n = t.rows();
        int w = outputColumns();
        float[] in = t.features();
        float[] out = new float[n * w];
        for (int r = 0; r < n; r++) {
            for (int col = 0; col < inputColumns; col++) {
                float v = in[r * inputColumns + col];
                if (Float.isNaN(v)) {
                    if (fill == null) {
                        throw new DataFormatException("row " + (r + 1) + " has a missing value in column '"
                                + t.featureNames().get(col) + "' and the model fills none (missing: error)");
                    }
                    v = fill[col];
                }
                out[r * w + col] = v;
            }
            for (int k = 0; k < indicators.length; k++) {
                out[r * w + inputColumns + k] = Float.isNaN(in[r * inputColumns + indicators[k]]) ? 1f : 0f;
            }
        }
        List<String> names = new ArrayList<>(t.featureNames());
        for (int k : indicators) {
            names.add(t.featureNames().get(k) + INDICATOR_SUFFIX);
        }
        Table filled = new Table(names, out, t.labels(), t.numClasses(), t.targets());
        return lower == null ? filled : clip(filled);
    }

    /** Clips the input columns of already imputed rows (indicator columns are never clipped). */
    private Table clip(Table t) {
        float[] out = t.features().clone();
        int w = t.columns();
        for (int r = 0; r < t.rows(); r++) {
            for (int col = 0; col < inputColumns; col++) {
                int i = r * w + col;
                out[i] = Math.max(lower[col], Math.min(upper[col], out[i]));
            }
        }
        return t.withFeatures(out);
    }

    /** Per column fill value over the non-missing cells: mean, median (also for drop) or most frequent; 0 if none. */
    static float[] fill(Table t, String how) {
        int c = t.columns();
        float[] fill = new float[c];
        float[] f = t.features();
        for (int col = 0; col < c; col++) {
            float[] values = new float[t.rows()];
            int k = 0;
            for (int r = 0; r < t.rows(); r++) {
                float v = f[r * c + col];
                if (!Float.isNaN(v)) {
                    values[k++] = v;
                }
            }
            values = Arrays.copyOf(values, k);
            if (k == 0) {
                continue;
            }
            Arrays.sort(values);
            switch (how) {
                case "mean" -> {
                    double sum = 0;
                    for (float v : values) {
                        sum += v;
                    }
                    fill[col] = (float) (sum / k);
                }
                case "most_frequent" -> {
                    // the smallest of the most frequent values: deterministic on ties
                    int bestCount = 0;
                    for (int i = 0; i < k; ) {
                        int j = i;
                        while (j < k && values[j] == values[i]) {
                            j++;
                        }
                        if (j - i > bestCount) {
                            bestCount = j - i;
                            fill[col] = values[i];
                        }
                        i = j;
                    }
                }
                default -> fill[col] = (float) quantile(values, 0.5);
            }
        }
        return fill;
    }

    /** {lower, upper} per input column of imputed rows: quantiles (linear interpolation) or mean +- z std. */
    static float[][] bounds(Table imputed, int c, Preprocessing p) {
        int w = imputed.columns();
        int n = imputed.rows();
        float[] lower = new float[c];
        float[] upper = new float[c];
        float[] values = new float[n];
        for (int col = 0; col < c; col++) {
            for (int r = 0; r < n; r++) {
                values[r] = imputed.features()[r * w + col];
            }
            if (p.zscore() > 0) {
                double sum = 0;
                for (float v : values) {
                    sum += v;
                }
                double mean = sum / n;
                double ss = 0;
                for (float v : values) {
                    ss += (v - mean) * (v - mean);
                }
                double std = Math.sqrt(ss / n);
                lower[col] = (float) (mean - p.zscore() * std);
                upper[col] = (float) (mean + p.zscore() * std);
            } else {
                float[] sorted = values.clone();
                Arrays.sort(sorted);
                lower[col] = (float) quantile(sorted, p.clipLow());
                upper[col] = (float) quantile(sorted, p.clipHigh());
            }
        }
        return new float[][] {lower, upper};
    }

    /** The q-quantile of sorted values: {@link Quantiles#ofSorted}, linear interpolation (R's type 7, numpy's default). */
    static double quantile(float[] sorted, double q) {
        return Quantiles.ofSorted(i -> sorted[i], sorted.length, q);
    }

    private static int[] rows(boolean[] flag, boolean value) {
        int[] out = new int[flag.length];
        int k = 0;
        for (int i = 0; i < flag.length; i++) {
            if (flag[i] == value) {
                out[k++] = i;
            }
        }
        return Arrays.copyOf(out, k);
    }

    private static int[] indices(boolean[] flag) {
        return rows(flag, true);
    }

    private static void requireRows(Table t, String why) {
        if (t.rows() == 0) {
            throw new DataFormatException("no training rows left after " + why + ": loosen the setting");
        }
    }
}
