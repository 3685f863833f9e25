package io.gradtune.worker.data;

import java.util.List;

/**
 * A labelled table held as one row-major float array: the form the trainer copies into ND4J once.
 *
 * @param featureNames names of the feature columns
 * @param features     row-major features, {@code rows * featureNames.size()} values
 * @param labels       class label of each row, 0-based
 * @param numClasses   number of classes (max label + 1 over the whole source)
 */
public record Table(List<String> featureNames, float[] features, int[] labels, int numClasses) {

    public Table {
        featureNames = List.copyOf(featureNames);
        if (features.length != (long) labels.length * featureNames.size()) {
            throw new IllegalArgumentException("features length " + features.length + " != rows " + labels.length
                    + " x columns " + featureNames.size());
        }
    }

    public int rows() {
        return labels.length;
    }

    public int columns() {
        return featureNames.size();
    }

    /** The rows at the given indices, in that order. */
    public Table select(int[] rowIndices) {
        int c = columns();
        float[] f = new float[rowIndices.length * c];
        int[] l = new int[rowIndices.length];
        for (int i = 0; i < rowIndices.length; i++) {
            System.arraycopy(features, rowIndices[i] * c, f, i * c, c);
            l[i] = labels[rowIndices[i]];
        }
        return new Table(featureNames, f, l, numClasses);
    }
}
