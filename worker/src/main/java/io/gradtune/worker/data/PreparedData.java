package io.gradtune.worker.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trial's data as ready ND4J arrays: scaled features and one-hot labels for the train and validation parts.
 * Built once per (data, scaling) in an executor JVM and shared read-only by every trial that uses it, so no
 * epoch parses, copies or iterates over files.
 *
 * @param trainX     training features, rows x features
 * @param trainY     training labels, one-hot, rows x classes
 * @param trainLabels training class indices
 * @param valX       validation features
 * @param valY       validation labels, one-hot
 * @param valLabels  validation class indices
 * @param numClasses number of classes
 */
public record PreparedData(INDArray trainX, INDArray trainY, int[] trainLabels, INDArray valX, INDArray valY,
                           int[] valLabels, int numClasses) {

    public int numFeatures() {
        return (int) trainX.columns();
    }

    public static PreparedData of(Table train, Table validation) {
        int classes = Math.max(train.numClasses(), validation.numClasses());
        return new PreparedData(features(train), oneHot(train.labels(), classes), train.labels(),
                features(validation), oneHot(validation.labels(), classes), validation.labels(), classes);
    }

    private static INDArray features(Table t) {
        return Nd4j.create(t.features(), new long[]{t.rows(), t.columns()}, DataType.FLOAT);
    }

    private static INDArray oneHot(int[] labels, int classes) {
        float[] values = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            values[i * classes + labels[i]] = 1f;
        }
        return Nd4j.create(values, new long[]{labels.length, classes}, DataType.FLOAT);
    }
}
