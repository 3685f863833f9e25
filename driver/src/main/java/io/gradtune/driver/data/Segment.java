package io.gradtune.driver.data;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Consecutive rows of one input file as one Spark task converted them: row-major {@code float} features and
 * {@code int} labels, or the first bad value it met. What a read collects to the driver, so no row object per row
 * crosses to it.
 */
final class Segment implements Serializable {

    private static final long serialVersionUID = 1L;

    final String file;
    final int columns;
    int rows;
    float[] features;
    int[] labels;
    int maxLabel = -1;
    /** Why the rows could not be converted (the column, the row, the value); null when they could. */
    String error;

    Segment(String file, int columns) {
        this.file = file;
        this.columns = columns;
        this.features = new float[Math.max(columns, 1) * 256];
        this.labels = new int[256];
    }

    static Segment failed(String file, String error) {
        Segment s = new Segment(file, 0);
        s.features = new float[0];
        s.labels = new int[0];
        s.error = error;
        return s;
    }

    /** Starts a row with its label; its features follow through {@link #feature}. */
    void startRow(int label) {
        if (rows == labels.length) {
            labels = Arrays.copyOf(labels, rows * 2);
            features = Arrays.copyOf(features, rows * 2 * columns);
        }
        labels[rows] = label;
        maxLabel = Math.max(maxLabel, label);
    }

    void feature(int column, float value) {
        features[rows * columns + column] = value;
    }

    void endRow() {
        rows++;
    }

    /** Drops the unused capacity before the segment is sent to the driver. */
    Segment trimmed() {
        features = Arrays.copyOf(features, rows * columns);
        labels = Arrays.copyOf(labels, rows);
        return this;
    }
}
