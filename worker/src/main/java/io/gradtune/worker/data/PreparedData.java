package io.gradtune.worker.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trial's data as ready ND4J arrays: scaled features and one-hot labels for the train and validation parts.
 * Built once per (data, scaling) in an executor JVM and shared read-only by every trial that uses it, so no
 * epoch parses, copies or iterates over files.
 *
 * <p>A regression's {@code trainY} and {@code valY} are rows x 1: the target standardized with the training part's
 * mean and standard deviation ({@link Target}), whatever the features' scaling, so a learning rate means the same on
 * any target's units; its figures are reported on the original scale ({@code train.Evaluation#regression}).
 *
 * @param trainX     training features, rows x features
 * @param trainY     training labels, one-hot, rows x classes (regression: standardized target, rows x 1)
 * @param trainLabels training class indices (regression: all 0)
 * @param valX       validation features
 * @param valY       validation labels, one-hot (regression: standardized target, rows x 1)
 * @param valLabels  validation class indices (regression: all 0)
 * @param numClasses number of classes (regression: 1, the one output unit)
 * @param target     the regression target's standardization and original validation values, or null (classification)
 */
public record PreparedData(INDArray trainX, INDArray trainY, int[] trainLabels, INDArray valX, INDArray valY,
                           int[] valLabels, int numClasses, Target target) {

    /**
     * A regression target: {@code y' = (y - mean) / std} is what the network fits.
     *
     * @param mean       mean of the training targets
     * @param std        their (population) standard deviation, 1 for a constant target
     * @param valTargets the validation targets on the original scale
     */
    public record Target(double mean, double std, float[] valTargets) {
    }

    public int numFeatures() {
        return (int) trainX.columns();
    }

    /** Whether this is a regression's data ({@link #target} set). */
    public boolean regression() {
        return target != null;
    }

    public static PreparedData of(Table train, Table validation) {
        if (train.isRegression()) {
            double[] meanStd = meanStd(train.targets());
            return new PreparedData(features(train), standardized(train.targets(), meanStd), train.labels(),
                    features(validation), standardized(validation.targets(), meanStd), validation.labels(), 1,
                    new Target(meanStd[0], meanStd[1], validation.targets()));
        }
        int classes = Math.max(train.numClasses(), validation.numClasses());
        return new PreparedData(features(train), oneHot(train.labels(), classes), train.labels(),
                features(validation), oneHot(validation.labels(), classes), validation.labels(), classes, null);
    }

    /**
     * A regression's refit data: the features (already scaled) and targets of train + validation together, the
     * target standardized with their own mean and standard deviation, as a trial's is with its training part's. The
     * "validation" part is the same rows (a trainer of the refit never evaluates it).
     *
     * @param x       scaled features, rows x features
     * @param targets the rows' targets, original scale
     */
    public static PreparedData regressionRefit(INDArray x, float[] targets) {
        if (x.rows() != targets.length) {
            throw new IllegalArgumentException("features have " + x.rows() + " rows but targets " + targets.length);
        }
        double[] meanStd = meanStd(targets);
        INDArray y = standardized(targets, meanStd);
        int[] labels = new int[targets.length];
        return new PreparedData(x, y, labels, x, y, labels, 1, new Target(meanStd[0], meanStd[1], targets));
    }

    /** {mean, std} of the values; std 1 when they are constant. */
    static double[] meanStd(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        double mean = values.length == 0 ? 0 : sum / values.length;
        double ss = 0;
        for (float v : values) {
            ss += (v - mean) * (v - mean);
        }
        double std = values.length == 0 ? 0 : Math.sqrt(ss / values.length);
        return new double[] {mean, std > 1e-12 ? std : 1};
    }

    private static INDArray standardized(float[] y, double[] meanStd) {
        float[] values = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            values[i] = (float) ((y[i] - meanStd[0]) / meanStd[1]);
        }
        return Nd4j.create(values, new long[]{y.length, 1}, DataType.FLOAT);
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
