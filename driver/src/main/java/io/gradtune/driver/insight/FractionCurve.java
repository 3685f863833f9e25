package io.gradtune.driver.insight;

import java.util.List;

/**
 * What one fraction's training gave: per epoch, the loss and accuracy on its own training rows and on the whole
 * validation split (both measured after the epoch's mini-batches by one inference pass each, so training and validation
 * figures are comparable; the trials' {@code train_loss} is instead the mean mini-batch loss during the epoch).
 *
 * @param fraction the share of the training part
 * @param rows     training rows used
 * @param seconds  wall time of the task's training and evaluation
 * @param epochs   one point per epoch, in order
 */
public record FractionCurve(double fraction, int rows, double seconds, List<Point> epochs) {

    public FractionCurve {
        epochs = List.copyOf(epochs);
    }

    /** One epoch's figures. */
    public record Point(int epoch, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy) {
    }

    /** The last epoch's point. */
    public Point last() {
        return epochs.get(epochs.size() - 1);
    }

    /** The point of the highest validation accuracy (the earliest on a tie). */
    public Point bestByAccuracy() {
        Point best = epochs.get(0);
        for (Point p : epochs) {
            if (p.valAccuracy() > best.valAccuracy()) {
                best = p;
            }
        }
        return best;
    }

    /** The lowest validation loss of any epoch. */
    public double bestValLoss() {
        return epochs.stream().mapToDouble(Point::valLoss).filter(Double::isFinite).min().orElse(Double.NaN);
    }
}
