package io.gradtune.worker.data;

import java.util.List;

/**
 * A labelled table held as one row-major float array: the form the trainer copies into ND4J once.
 *
 * <p>A regression table ({@code data.task: regression}) has a numeric target per row in {@code targets}; its
 * {@code labels} are all 0 and {@code numClasses} is 1, so the stratified split, which shuffles and cuts each class,
 * is a plain seeded shuffle of the rows. A classification table has no targets (null).
 *
 * @param featureNames names of the feature columns
 * @param features     row-major features, {@code rows * featureNames.size()} values
 * @param labels       class label of each row, 0-based (all 0 for regression)
 * @param numClasses   number of classes (max label + 1 over the whole source; 1 for regression)
 * @param targets      the numeric target of each row (regression), or null (classification)
 */
public record Table(List<String> featureNames, float[] features, int[] labels, int numClasses, float[] targets) {

    public Table {
        featureNames = List.copyOf(featureNames);
        if (features.length != (long) labels.length * featureNames.size()) {
            throw new IllegalArgumentException("features length " + features.length + " != rows " + labels.length
                    + " x columns " + featureNames.size());
        }
        if (targets != null && targets.length != labels.length) {
            throw new IllegalArgumentException("targets length " + targets.length + " != rows " + labels.length);
        }
    }

    /** A classification table (no numeric targets). */
    public Table(List<String> featureNames, float[] features, int[] labels, int numClasses) {
        this(featureNames, features, labels, numClasses, null);
    }

    /** A regression table: the rows' numeric targets, every label 0, one "class". */
    public static Table regression(List<String> featureNames, float[] features, float[] targets) {
        return new Table(featureNames, features, new int[targets.length], 1, targets);
    }

    /** Whether the rows carry numeric targets (a regression table). */
    public boolean isRegression() {
        return targets != null;
    }

    public int rows() {
        return labels.length;
    }

    public int columns() {
        return featureNames.size();
    }

    /** This table's rows with other features (same labels and targets): what scaling makes. */
    public Table withFeatures(float[] newFeatures) {
        return new Table(featureNames, newFeatures, labels, numClasses, targets);
    }

    /** The rows at the given indices, in that order. */
    public Table select(int[] rowIndices) {
        int c = columns();
        float[] f = new float[rowIndices.length * c];
        int[] l = new int[rowIndices.length];
        float[] t = targets == null ? null : new float[rowIndices.length];
        for (int i = 0; i < rowIndices.length; i++) {
            System.arraycopy(features, rowIndices[i] * c, f, i * c, c);
            l[i] = labels[rowIndices[i]];
            if (t != null) {
                t[i] = targets[rowIndices[i]];
            }
        }
        return new Table(featureNames, f, l, numClasses, t);
    }
}
