package io.gradtune.driver.diagnose;

import io.gradtune.worker.stopping.ClassPrior;

/**
 * What a classifier that learned nothing from the features scores on a study's validation split, so a diagnosis can
 * tell "stuck at chance" from "learned, but not well" on any dataset, balanced or not: a fixed accuracy bound would
 * sit below the majority-class rate of an imbalanced dataset and call a net that always answers the majority class
 * healthy.
 *
 * @param majorityRate the share of the most frequent class: the accuracy of always answering it
 * @param classes      the number of classes K (1 for data of one class: nothing to learn, everything is chance)
 * @param priorLoss    the cross-entropy (nats) of predicting the class frequencies for every row: the lowest loss
 *                     without information from the features; ln K for balanced classes, less for imbalanced ones
 */
public record ChanceLevel(double majorityRate, int classes, double priorLoss) {

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
        if (!(majorityRate >= 1.0 / classes - 1e-9 && majorityRate <= 1)) {
            throw new IllegalArgumentException("majority-class rate " + majorityRate + " is not in [1/" + classes + ", 1]");
        }
        if (!(priorLoss >= 0)) {
            throw new IllegalArgumentException("prior loss " + priorLoss + " is not a non-negative number");
        }
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

    /** ln K: the loss of a classifier that spreads its probability evenly, as a freshly initialised net roughly does. */
    public double uninformedLoss() {
        return Math.log(classes);
    }

    /** The same figures as the worker's stopping rules receive them ({@code TrialStopping.prior}). */
    public ClassPrior prior() {
        return new ClassPrior(classes, priorLoss, majorityRate);
    }
}
