package io.gradtune.worker.stopping;

import io.gradtune.worker.protocol.EpochMetrics;

import java.util.List;

/**
 * What a classifier that learned nothing from the features achieves on the study's data, so the per-trial rules can
 * judge a loss on any dataset without a per-dataset threshold: a net worse than predicting the class frequencies has
 * blown up, one whose loss stays at them has learned nothing. The driver computes it from the validation split
 * ({@code ChanceLevel}) and sends it inside {@link TrialStopping}, so the worker and the driver judge the same
 * records against the same figures.
 *
 * @param classes      the number of classes K (at least 1)
 * @param priorLoss    the cross-entropy (nats) of predicting the class frequencies for every row: ln K for balanced
 *                     classes, less for imbalanced ones; the lowest loss without information from the features
 * @param majorityRate the accuracy of always answering the most frequent class, in [1/K, 1]
 */
public record ClassPrior(int classes, double priorLoss, double majorityRate) {

    /**
     * The chance band's width above the majority-class rate, as a fraction of the headroom {@code 1 - majorityRate}
     * (the driver's {@code ChanceLevel.MARGIN} and the calibration labels' "best_g <= 0.1").
     */
    public static final double CHANCE_MARGIN = 0.1;

    public ClassPrior {
        Check.atLeast("classes", classes, 1);
        Check.finiteAtLeast("prior_loss", priorLoss, 0);
        if (!(majorityRate >= 1.0 / classes - 1e-9 && majorityRate <= 1)) {
            throw new InvalidSettingException("majority_rate", majorityRate,
                    "must be between 1/classes (" + Format.num(1.0 / classes) + ") and 1");
        }
    }

    /** ln K: the loss of spreading probability evenly over the classes, as a freshly initialised net roughly does. */
    public double uninformedLoss() {
        return Math.log(classes);
    }

    /** The highest validation accuracy still at chance: the majority rate plus {@link #CHANCE_MARGIN} of the headroom. */
    public double band() {
        return majorityRate + CHANCE_MARGIN * (1 - majorityRate);
    }

    /** The best (largest finite) validation accuracy of the records, or NaN when none is finite. */
    public static double bestAccuracy(List<EpochMetrics> curve) {
        double best = Double.NaN;
        for (EpochMetrics m : curve) {
            if (Double.isFinite(m.valAccuracy()) && !(m.valAccuracy() <= best)) {
                best = m.valAccuracy();
            }
        }
        return best;
    }

    /** Whether no record's validation accuracy has left the chance band ({@link #band}): nothing learned yet. */
    public boolean neverLeftChance(List<EpochMetrics> curve) {
        double best = bestAccuracy(curve);
        return Double.isNaN(best) || best <= band();
    }
}
