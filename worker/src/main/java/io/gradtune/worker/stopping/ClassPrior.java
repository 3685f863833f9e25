package io.gradtune.worker.stopping;

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
}
