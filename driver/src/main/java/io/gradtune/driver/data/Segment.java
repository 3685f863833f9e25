package io.gradtune.driver.data;

import io.gradtune.worker.data.DataProblems;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Consecutive rows of one input file as one Spark task converted them: row-major {@code float} features and
 * {@code int} labels, and the values it could not convert. What a read collects to the driver, so no row object per
 * row crosses to it.
 */
final class Segment implements Serializable {

    private static final long serialVersionUID = 1L;

    final String file;
    final int columns;
    int rows;
    float[] features;
    int[] labels;
    int maxLabel = -1;
    /** The first few values that could not be converted (up to {@link DataProblems#SHOWN}); see {@link #badValues}. */
    final List<BadValue> bad = new ArrayList<>();
    /** How many values could not be converted in all. */
    long badValues;

    /**
     * A value that could not be converted.
     *
     * @param row 0-based row within this segment (the driver adds the rows of the file's earlier segments)
     */
    record BadValue(int row, String column, String value, String problem, String remedy) implements Serializable {
    }

    Segment(String file, int columns) {
        this.file = file;
        this.columns = columns;
        this.features = new float[Math.max(columns, 1) * 256];
        this.labels = new int[256];
    }

    /** Records a bad value in the current row; the row is kept, so later rows keep their numbers. */
    void bad(String column, String value, String problem, String remedy) {
        if (bad.size() < DataProblems.SHOWN) {
            bad.add(new BadValue(rows, column, value, problem, remedy));
        }
        badValues++;
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
