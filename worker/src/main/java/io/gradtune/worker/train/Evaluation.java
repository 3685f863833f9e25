package io.gradtune.worker.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One evaluation of a network's output on a labelled split: the mean training loss of the epoch it follows, and the
 * split's loss and accuracy. The one place that turns an output layer's activations into the figures an epoch record,
 * an outcome and a held-out score report.
 *
 * @param trainLoss   mean training loss of the epoch (NaN when there was none)
 * @param valLoss     mean cross-entropy on the split; NaN when any output is not finite
 * @param valAccuracy fraction of rows whose largest output is their label; a row with a non-finite output is wrong
 */
public record Evaluation(double trainLoss, double valLoss, double valAccuracy) {

    /** Before any epoch: every figure NaN. */
    public static final Evaluation NONE = new Evaluation(Double.NaN, Double.NaN, Double.NaN);

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
