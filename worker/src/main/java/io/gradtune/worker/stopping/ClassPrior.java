package io.gradtune.worker.stopping;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.gradtune.worker.protocol.EpochMetrics;

import java.util.List;

/**
 * What a classifier that learned nothing from the features achieves on the study's data, so the per-trial rules can
 * judge a loss on any dataset without a per-dataset threshold: a net worse than predicting the class frequencies has
 * blown up, one whose loss stays at them has learned nothing. The driver computes it from the validation split
 * ({@code ChanceLevel}) and sends it inside {@link TrialStopping}, so the worker and the driver judge the same
 * records against the same figures.
 *
 * <p>A regression's prior ({@link #regression(double)}) is the predictor of the training targets' mean: its loss is
 * the mean squared error of that constant on the validation split (about the target's variance), its score the R²
 * of a constant, 0; the chance band is then R² at most {@link #CHANCE_MARGIN}, and "a uniform guess's loss" (what a
 * fresh network starts at) is the prior loss too, since a fresh network's output on the standardized target is near
 * 0, i.e. near the mean.
 *
 * @param classes      the number of classes K (at least 1; 1 for a regression)
 * @param priorLoss    the cross-entropy (nats) of predicting the class frequencies for every row: ln K for balanced
 *                     classes, less for imbalanced ones; the lowest loss without information from the features
 *                     (regression: the mean squared error of predicting the training mean)
 * @param majorityRate the accuracy of always answering the most frequent class, in [1/K, 1] (regression: 0, the R²
 *                     of a constant prediction)
 * @param regression   whether this is a regression's prior, whose score is the validation R² instead of accuracy
 */
public record ClassPrior(int classes, double priorLoss, double majorityRate, boolean regression) {

    /**
     * The chance band's width above the majority-class rate, as a fraction of the headroom {@code 1 - majorityRate}
     * (the driver's {@code ChanceLevel.MARGIN} and the calibration labels' "best_g <= 0.1").
     */
    public static final double CHANCE_MARGIN = 0.1;

    @JsonCreator
    public ClassPrior {
        Check.atLeast("classes", classes, 1);
        Check.finiteAtLeast("prior_loss", priorLoss, 0);
        if (regression) {
            if (classes != 1 || majorityRate != 0) {
                throw new InvalidSettingException("majority_rate", majorityRate,
                        "a regression's prior has 1 class and a chance score (R²) of 0");
            }
        } else if (!(majorityRate >= 1.0 / classes - 1e-9 && majorityRate <= 1)) {
            throw new InvalidSettingException("majority_rate", majorityRate,
                    "must be between 1/classes (" + Format.num(1.0 / classes) + ") and 1");
        }
    }

    /** A classification's prior. */
    public ClassPrior(int classes, double priorLoss, double majorityRate) {
        this(classes, priorLoss, majorityRate, false);
    }

    /** A regression's prior: {@code priorLoss} is the mean squared error of predicting the training targets' mean. */
    public static ClassPrior regression(double priorLoss) {
        return new ClassPrior(1, priorLoss, 0, true);
    }

    /**
     * ln K: the loss of spreading probability evenly over the classes, as a freshly initialised net roughly does
     * (regression: the prior loss, the loss of predicting the mean, where a fresh net's output starts).
     */
    public double uninformedLoss() {
        return regression ? priorLoss : Math.log(classes);
    }

    /** What the uninformed loss is, for messages: {@code ln K} or {@code the target's prior MSE}. */
    public String uninformedLossName() {
        return regression ? "the prior MSE" : "ln " + classes;
    }

    /** The metric the chance band is about: {@code val_accuracy}, or {@code val_r2} for a regression. */
    public String scoreName() {
        return regression ? "val_r2" : "val_accuracy";
    }

    /** The score in words, for messages: {@code validation accuracy} or {@code validation R²}. */
    public String scoreLabel() {
        return regression ? "validation R²" : "validation accuracy";
    }

    /** The best (largest finite) score of the records ({@link #scoreName}), or NaN when none is finite. */
    public double bestScore(List<EpochMetrics> curve) {
        if (!regression) {
            return bestAccuracy(curve);
        }
        double best = Double.NaN;
        for (EpochMetrics m : curve) {
            double r2 = m.valR2OrNaN();
            if (Double.isFinite(r2) && !(r2 <= best)) {
                best = r2;
            }
        }
        return best;
    }

    /**
     * The highest validation accuracy still at chance: the majority rate plus {@link #CHANCE_MARGIN} of the headroom
     * (regression: the highest R² still at chance, {@link #CHANCE_MARGIN}).
     */
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

    /** Whether no record's validation score ({@link #scoreName}) has left the chance band ({@link #band}): nothing learned yet. */
    public boolean neverLeftChance(List<EpochMetrics> curve) {
        double best = bestScore(curve);
        return Double.isNaN(best) || best <= band();
    }
}
