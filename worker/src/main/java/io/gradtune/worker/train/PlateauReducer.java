package io.gradtune.worker.train;

/**
 * Reduce-on-plateau learning rate: multiplies the rate by a factor once the validation loss has not improved
 * (by a relative 1e-4) for {@code patience} epochs in a row, then waits another {@code patience} epochs. It
 * needs the validation loss, which DL4J's updater schedules never see, hence it lives in the trainer.
 */
final class PlateauReducer {

    private static final double MIN_RELATIVE_IMPROVEMENT = 1e-4;

    private final int patience;
    private final double factor;
    private double best = Double.POSITIVE_INFINITY;
    private int epochsWithoutImprovement;

    PlateauReducer(int patience, double factor) {
        this.patience = patience;
        this.factor = factor;
    }

    /** The rate for the next epoch, given the epoch's validation loss and the rate it used. */
    double next(double valLoss, double rate) {
        if (improves(valLoss)) {
            best = valLoss;
            epochsWithoutImprovement = 0;
            return rate;
        }
        if (++epochsWithoutImprovement < patience) {
            return rate;
        }
        epochsWithoutImprovement = 0;
        return rate * factor;
    }

    private boolean improves(double valLoss) {
        return Double.isInfinite(best) ? valLoss < best : valLoss < best - Math.abs(best) * MIN_RELATIVE_IMPROVEMENT;
    }
}
