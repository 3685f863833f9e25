package io.gradtune.worker.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One evaluation of a network's output on a labelled split: the mean training loss of the epoch it follows, and the
 * split's loss and accuracy (classification) or mean squared error, mean absolute error and R² (regression). The one
 * place that turns an output layer's activations into the figures an epoch record, an outcome and a held-out score
 * report.
 *
 * @param trainLoss   mean training loss of the epoch (NaN when there was none)
 * @param valLoss     mean cross-entropy on the split (regression: the mean squared error); NaN when any output is not
 *                    finite
 * @param valAccuracy fraction of rows whose largest output is their label; a row with a non-finite output is wrong
 *                    (regression: NaN)
 * @param valMae      regression: mean absolute error on the split; classification: NaN
 * @param valR2       regression: the coefficient of determination {@code 1 - SS_res / SS_tot} on the split (0 for
 *                    predicting the split's mean, negative for worse); classification: NaN
 */
public record Evaluation(double trainLoss, double valLoss, double valAccuracy, double valMae, double valR2) {

    /** Before any epoch: every figure NaN. */
    public static final Evaluation NONE = new Evaluation(Double.NaN, Double.NaN, Double.NaN);

    /** A classification's figures (no mean absolute error, no R²). */
    public Evaluation(double trainLoss, double valLoss, double valAccuracy) {
        this(trainLoss, valLoss, valAccuracy, Double.NaN, Double.NaN);
    }

    /**
     * Mean squared error, mean absolute error and R² of a one-unit identity output that predicts the standardized
     * target {@code (y - mean) / std}, on the original scale: each prediction is {@code mean + std * out}.
     *
     * @param out              the output layer's activations on the split, rows x 1 (not modified)
     * @param targets          the split's targets, original scale
     * @param mean             the training targets' mean the network's target was centred with
     * @param std              their standard deviation it was divided by
     * @param trainLossScaled  the epoch's mean training loss on the standardized target; reported times {@code std²},
     *                         the original scale's squared units (its regularization term is scaled alike)
     */
    public static Evaluation regression(INDArray out, float[] targets, double mean, double std,
                                        double trainLossScaled) {
        return regression(destandardized(out, mean, std), targets, trainLossScaled * std * std);
    }

    /**
     * A one-unit output that predicts the standardized target, on the original scale: {@code out * std + mean} per
     * row. The one de-standardization: a trial's figures, the refit's test figure and a saved model's predictions all
     * come from it, so they agree to the bit.
     *
     * @param out the output layer's activations, rows x 1 (not modified)
     */
    public static double[] destandardized(INDArray out, double mean, double std) {
        INDArray copy = out.dup('c');
        float[] p = copy.data().asFloat();
        copy.close();
        double[] predictions = new double[p.length];
        for (int r = 0; r < p.length; r++) {
            predictions[r] = p[r] * std + mean;
        }
        return predictions;
    }

    /**
     * The regression figures of predictions on the original scale: MSE (as {@code valLoss}), MAE and R² against the
     * split's own mean. Any non-finite prediction makes all three NaN; a constant target (no variance) makes R² NaN.
     */
    public static Evaluation regression(double[] predictions, float[] targets, double trainLoss) {
        int n = targets.length;
        double mean = 0;
        for (float y : targets) {
            mean += y;
        }
        mean /= n;
        double se = 0;
        double ae = 0;
        double tot = 0;
        for (int r = 0; r < n; r++) {
            double e = predictions[r] - targets[r];
            se += e * e;
            ae += Math.abs(e);
            tot += (targets[r] - mean) * (targets[r] - mean);
        }
        if (!Double.isFinite(se) || !Double.isFinite(ae)) {
            return new Evaluation(trainLoss, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double r2 = tot > 0 ? 1 - se / tot : Double.NaN;
        return new Evaluation(trainLoss, se / n, Double.NaN, ae / n, r2);
    }

    /**
     * Cross-entropy and accuracy from a softmax output, rows x classes.
     *
     * @param out       the output layer's activations on the split (not modified)
     * @param labels    the split's class indices, one per row
     * @param classes   number of classes (columns of {@code out})
     * @param trainLoss carried into the result as is
     */
    public static Evaluation classification(INDArray out, int[] labels, int classes, double trainLoss) {
        INDArray copy = out.dup('c');
        float[] p = copy.data().asFloat();
        copy.close();
        double loss = 0;
        int correct = 0;
        for (int r = 0; r < labels.length; r++) {
            int base = r * classes;
            int best = 0;
            boolean finite = true;
            for (int c = 0; c < classes; c++) {
                float v = p[base + c];
                if (!Float.isFinite(v)) {
                    finite = false;
                }
                if (v > p[base + best]) {
                    best = c;
                }
            }
            loss -= finite ? Math.log(Math.max(p[base + labels[r]], 1e-12f)) : Double.NaN;
            if (finite && best == labels[r]) {
                correct++;
            }
        }
        return new Evaluation(trainLoss, loss / labels.length, (double) correct / labels.length);
    }
}
