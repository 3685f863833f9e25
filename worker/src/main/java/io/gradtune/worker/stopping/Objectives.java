package io.gradtune.worker.stopping;

import io.gradtune.worker.protocol.EpochMetrics;

import java.util.List;

/**
 * Objective arithmetic shared by the comparative rules, in the study's direction. Non-finite objective values
 * (a diverged trial) count as the worst possible value, so they never look like an improvement and always rank last.
 * The values in the driver's per-epoch indexes ({@code StudyCurves}) are {@link #value}s, so a rule that compares a record with
 * them should go through {@link #value} too.
 */
public final class Objectives {

    private Objectives() {
    }

    /** The record's objective with non-finite values replaced by the worst value for the direction. */
    public static double value(EpochMetrics m, Objective study) {
        double v = study.objective(m);
        return Double.isFinite(v) ? v : worst(study);
    }

    /** The worst value for the study's direction: -Infinity when maximizing, +Infinity when minimizing. */
    public static double worst(Objective study) {
        return study.maximize() ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    /** Whether {@code a} is strictly better than {@code b} in the study's direction. */
    public static boolean better(double a, double b, Objective study) {
        return study.maximize() ? a > b : a < b;
    }

    /** The best objective ({@link #value}) among the records, or the worst value if there are none. */
    public static double best(List<EpochMetrics> records, Objective study) {
        double best = worst(study);
        for (EpochMetrics m : records) {
            double v = value(m, study);
            if (better(v, best, study)) {
                best = v;
            }
        }
        return best;
    }
}
