package io.gradtune.worker.data;

import java.util.Locale;

/**
 * Feature scaling fitted on the training part only and applied to every part, so validation and test rows
 * never leak into the statistics. Constant columns are left centred but unscaled.
 */
public enum Scaling {
    STANDARD, MINMAX, NONE;

    public static Scaling parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT).replace("-", "").replace("_", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown scaling '" + name + "', expected standard, minmax or none");
        }
    }

    /** Per-column offset and divisor: {@code x' = (x - offset[c]) / scale[c]}. */
    public record Fitted(float[] offset, float[] scale) {
        public Table apply(Table t) {
            float[] out = t.features().clone();
            int c = t.columns();
            for (int i = 0; i < out.length; i++) {
                int col = i % c;
                out[i] = (out[i] - offset[col]) / scale[col];
            }
            return t.withFeatures(out);
        }
    }

    public Fitted fit(Table train) {
        int c = train.columns();
        float[] offset = new float[c];
        float[] scale = new float[c];
        java.util.Arrays.fill(scale, 1f);
        if (this == NONE) {
            return new Fitted(offset, scale);
        }
        int n = train.rows();
        float[] f = train.features();
        for (int col = 0; col < c; col++) {
            double sum = 0;
            double sumSq = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int r = 0; r < n; r++) {
                double v = f[r * c + col];
                sum += v;
                sumSq += v * v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            if (this == STANDARD) {
                double mean = sum / n;
                double std = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
                offset[col] = (float) mean;
                scale[col] = std > 1e-12 ? (float) std : 1f;
            } else {
                offset[col] = (float) min;
                scale[col] = max - min > 1e-12 ? (float) (max - min) : 1f;
            }
        }
        return new Fitted(offset, scale);
    }
}
