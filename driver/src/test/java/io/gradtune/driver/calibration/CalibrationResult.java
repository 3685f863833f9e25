package io.gradtune.driver.calibration;

import io.gradtune.driver.calibration.RunLabel.Label;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;
import io.gradtune.worker.stopping.DivergenceRule;
import io.gradtune.worker.stopping.ExplodingGradientsRule;
import io.gradtune.worker.stopping.VanishingGradientsRule;

import java.util.List;

/**
 * One configuration's full-budget run: its records, label and what the shipped rules made of it.
 *
 * @param config  the configuration
 * @param curve   the run's epoch records
 * @param status  the runner's outcome status (COMPLETED unless training failed)
 * @param error   the runner's error message, or null
 * @param chance  majority-class rate of the validation split
 * @param classes number of classes
 * @param label   the label by docs/stopping.md's rule
 * @param replay  the shipped rules (with the dataset's class prior) and today's diagnoser on the records
 * @param seconds wall time of the run
 */
record CalibrationResult(CalibrationConfig config, List<EpochMetrics> curve, String status, String error,
                         double chance, int classes, RunLabel label, RuleReplay replay, double seconds) {

    CalibrationResult {
        curve = List.copyOf(curve);
    }

    /** Whether the gradient rules stopped it with the rule that matches its label (any gradient rule otherwise). */
    boolean stoppedByMatchingRule() {
        String rule = replay.stopRule();
        return switch (label.label()) {
            case VANISHING -> VanishingGradientsRule.NAME.equals(rule);
            case EXPLODING -> DivergenceRule.NAME.equals(rule) || ExplodingGradientsRule.NAME.equals(rule);
            default -> replay.stopped();
        };
    }

    /** Largest validation accuracy over the run (NaN without records). */
    double bestAccuracy() {
        return curve.stream().mapToDouble(EpochMetrics::valAccuracy).max().orElse(Double.NaN);
    }

    /** Validation accuracy of the last record. */
    double finalAccuracy() {
        return curve.isEmpty() ? Double.NaN : curve.get(curve.size() - 1).valAccuracy();
    }

    /** Largest layer gradient norm over the run. */
    double maxGradL2() {
        return curve.stream().flatMap(m -> m.layers().stream()).mapToDouble(LayerStats::gradL2)
                .max().orElse(Double.NaN);
    }

    /** Smallest layer-0 / output gradient-norm ratio over the run (NaN where undefined). */
    double minGradientRatio() {
        return curve.stream().mapToDouble(VanishingGradientsRule::gradientRatio).filter(d -> !Double.isNaN(d))
                .min().orElse(Double.NaN);
    }

    /** Median layer-0 update ratio over the run. */
    double medianLayer0UpdateRatio() {
        double[] v = curve.stream().filter(m -> !m.layers().isEmpty())
                .mapToDouble(m -> m.layers().get(0).updateRatio()).sorted().toArray();
        return v.length == 0 ? Double.NaN : v[v.length / 2];
    }

    /** Whether this result counts for a label's figures. */
    boolean is(Label l) {
        return label.label() == l;
    }
}
