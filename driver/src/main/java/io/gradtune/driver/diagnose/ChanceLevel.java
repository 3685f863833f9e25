package io.gradtune.driver.diagnose;

import io.gradtune.worker.stopping.ClassPrior;

/**
 * What a classifier that learned nothing from the features scores on a study's validation split, so a diagnosis can
 * tell "stuck at chance" from "learned, but not well" on any dataset, balanced or not: a fixed accuracy bound would
 * sit below the majority-class rate of an imbalanced dataset and call a net that always answers the majority class
 * healthy.
 *
 * <p>A regression's chance level ({@link #ofTargets}) is the predictor of the training targets' mean: its score is an
 * R² of 0 (the chance band: R² up to {@link #MARGIN}), its loss that constant's mean squared error on the validation
 * split, and a fresh network's loss starts there too ({@link #uninformedLoss()}).
 *
 * @param majorityRate the share of the most frequent class: the accuracy of always answering it (regression: 0, the
 *                     R² of predicting a constant)
 * @param classes      the number of classes K (1 for data of one class: nothing to learn, everything is chance; 1
 *                     for a regression)
 * @param priorLoss    the cross-entropy (nats) of predicting the class frequencies for every row: the lowest loss
 *                     without information from the features; ln K for balanced classes, less for imbalanced ones
 *                     (regression: the mean squared error of predicting the training mean on the validation split)
 * @param regression   whether the score is a regression's validation R² rather than accuracy
 */
public record ChanceLevel(double majorityRate, int classes, double priorLoss, boolean regression) {

    /**
     * The chance band's width above the majority-class rate, as a fraction of the headroom {@code 1 - majorityRate}:
     * best validation accuracy at or below {@link #band()} has not left chance. The stopping rules' figure
     * ({@link ClassPrior#CHANCE_MARGIN}): one definition of chance for diagnosis and stopping.
     */
    public static final double MARGIN = ClassPrior.CHANCE_MARGIN;

    public ChanceLevel {
        if (classes < 1) {
            throw new IllegalArgumentException("a classification needs at least 1 class, got " + classes);
        }
        if (regression) {
            if (classes != 1 || majorityRate != 0) {
                throw new IllegalArgumentException("a regression's chance level has 1 class and an R² of 0");
            }
        } else if (!(majorityRate >= 1.0 / classes - 1e-9 && majorityRate <= 1)) {
            throw new IllegalArgumentException("majority-class rate " + majorityRate + " is not in [1/" + classes + ", 1]");
        }
        if (!(priorLoss >= 0)) {
            throw new IllegalArgumentException("prior loss " + priorLoss + " is not a non-negative number");
        }
    }

    /** A classification's chance level. */
    public ChanceLevel(double majorityRate, int classes, double priorLoss) {
        this(majorityRate, classes, priorLoss, false);
    }

    /**
     * A regression's chance level: predicting the mean of {@code trainTargets} for every row of the validation split.
     *
     * @throws IllegalArgumentException when either part is empty or the loss is not finite
     */
    public static ChanceLevel ofTargets(float[] trainTargets, float[] valTargets) {
        if (trainTargets.length == 0 || valTargets.length == 0) {
            throw new IllegalArgumentException("no targets: the chance level of an empty split is undefined");
        }
        double mean = 0;
        for (float y : trainTargets) {
            mean += y;
        }
        mean /= trainTargets.length;
        double se = 0;
        for (float y : valTargets) {
            se += (y - mean) * (y - mean);
        }
        double loss = se / valTargets.length;
        if (!Double.isFinite(loss)) {
            throw new IllegalArgumentException("the targets' squared error overflows: rescale the target column");
        }
        return new ChanceLevel(0, 1, loss, true);
    }

    /**
     * The chance level of labels {@code 0 .. classes - 1}, for example a validation split's.
     *
     * @throws IllegalArgumentException when there are no labels or one is outside the classes
     */
    public static ChanceLevel ofLabels(int[] labels, int classes) {
        if (labels.length == 0) {
            throw new IllegalArgumentException("no labels: the chance level of an empty split is undefined");
        }
        if (classes < 1) {
            throw new IllegalArgumentException("a classification needs at least 1 class, got " + classes);
        }
        long[] counts = new long[classes];
        for (int y : labels) {
            if (y < 0 || y >= classes) {
                throw new IllegalArgumentException("label " + y + " is not one of " + classes + " classes");
            }
            counts[y]++;
        }
        return ofCounts(counts);
    }

    /** The chance level of the given per-class row counts (their length is the number of classes). */
    public static ChanceLevel ofCounts(long... counts) {
        long total = 0;
        long max = 0;
        for (long c : counts) {
            total += c;
            max = Math.max(max, c);
        }
        if (total == 0) {
            throw new IllegalArgumentException("no rows: the chance level of an empty split is undefined");
        }
        double entropy = 0;
        for (long c : counts) {
            if (c > 0) {
                double p = (double) c / total;
                entropy -= p * Math.log(p);
            }
        }
        return new ChanceLevel((double) max / total, counts.length, entropy);
    }

    /** The highest validation accuracy still at chance: the majority rate plus {@link #MARGIN} of the headroom. */
    public double band() {
        return prior().band();
    }

    /**
     * ln K: the loss of a classifier that spreads its probability evenly, as a freshly initialised net roughly does
     * (regression: the prior loss).
     */
    public double uninformedLoss() {
        return prior().uninformedLoss();
    }

    /** The best score of a curve: validation accuracy, or R² for a regression (NaN when none is finite). */
    public double bestScore(java.util.List<io.gradtune.worker.protocol.EpochMetrics> curve) {
        return prior().bestScore(curve);
    }

    /** The name of the score {@link #bestScore} reads: {@code val_accuracy} or {@code val_r2}. */
    public String scoreName() {
        return prior().scoreName();
    }

    /** The same figures as the worker's stopping rules receive them ({@code TrialStopping.prior}). */
    public ClassPrior prior() {
        return regression ? ClassPrior.regression(priorLoss) : new ClassPrior(classes, priorLoss, majorityRate);
    }
}
