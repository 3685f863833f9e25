package io.gradtune.driver.calibration;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;
import io.gradtune.worker.stopping.ExplodingGradientsRule;

import java.util.List;

/**
 * How a full-budget run ended, by the labelling rule of docs/stopping.md ("Calibration set and labels"), with the
 * clause that decided it. The rule reads only the run's epoch records, the number of classes and the chance rate
 * (majority-class rate of the validation split); it was written before the set was run and is not tuned with the
 * detectors.
 *
 * @param label  the label
 * @param clause which clause decided (E1, E2, E3, V1, V2, V1+V2, end_g, best_g), with the figures compared
 */
record RunLabel(Label label, String clause) {

    /** The labels; EXPLODING, VANISHING and HEALTHY are scored, STUCK and UNDERFITTING only reported. */
    enum Label { EXPLODING, VANISHING, HEALTHY, STUCK, UNDERFITTING }

    /** Chance band: a run whose best accuracy is at most this fraction of the way from chance to 1 never left it. */
    static final double CHANCE_BAND = 0.1;
    /** HEALTHY: the last records reached at least this fraction of the way from chance to 1. */
    static final double LEARNED = 0.5;
    /** Records at the end of the run whose best accuracy says how it ended. */
    static final int END_RECORDS = 3;
    /**
     * E2: the largest layer gradient norm of the last record is at least this multiple of the first record's. (The
     * first run of the set used "greater than", and three runs stuck at chance with gradients that grew by noise,
     * x1.1-x2.6, while the loss ended 0.01 % - 2 % above epoch 1's, were labelled EXPLODING; docs/stopping.md.)
     */
    static final double RUNAWAY_GROWTH = 10.0;
    /** E3: a train loss above this multiple of ln K (a uniform guess's loss). */
    static final double BLOWN_UP_LOSS_FACTOR = 2.0;
    /** V1: layer-0 gradient norm at most this fraction of the output layer's. */
    static final double STARVED_GRADIENT_RATIO = 1e-2;
    /** V2: layer-0 update ratio below this. */
    static final double STARVED_UPDATE_RATIO = 1e-4;

    /**
     * @param curve   the run's records in epoch order (its full budget, or fewer if training failed)
     * @param chance  majority-class rate of the validation split
     * @param classes number of classes K
     */
    static RunLabel of(List<EpochMetrics> curve, double chance, int classes) {
        if (curve.isEmpty()) {
            return new RunLabel(Label.STUCK, "no records");
        }
        EpochMetrics first = curve.get(0);
        EpochMetrics last = curve.get(curve.size() - 1);
        double bestG = Double.NEGATIVE_INFINITY;
        double maxLoss = Double.NEGATIVE_INFINITY;
        for (EpochMetrics m : curve) {
            if (!Double.isFinite(m.trainLoss()) || !Double.isFinite(m.valLoss()) || !m.layers().stream().allMatch(
                    l -> l.nanCount() == 0 && l.infCount() == 0 && Double.isFinite(l.gradL2())
                            && Double.isFinite(l.weightL2()))) {
                return new RunLabel(Label.EXPLODING, "E1 non-finite at epoch " + m.epoch());
            }
            bestG = Math.max(bestG, g(m.valAccuracy(), chance));
            maxLoss = Math.max(maxLoss, m.trainLoss());
        }
        double firstGrad = ExplodingGradientsRule.maxGradL2(first);
        double lastGrad = ExplodingGradientsRule.maxGradL2(last);
        if (curve.size() >= 2 && last.trainLoss() > first.trainLoss() && lastGrad >= RUNAWAY_GROWTH * firstGrad) {
            return new RunLabel(Label.EXPLODING, String.format("E2 train loss %.3g > %.3g, max gradL2 %.3g > %.3g",
                    last.trainLoss(), first.trainLoss(), lastGrad, firstGrad));
        }
        boolean stuck = bestG <= CHANCE_BAND;
        double blownUp = BLOWN_UP_LOSS_FACTOR * Math.log(classes);
        if (stuck && maxLoss > blownUp) {
            return new RunLabel(Label.EXPLODING, String.format("E3 train loss %.3g > %.3g and best_g %.3f",
                    maxLoss, blownUp, bestG));
        }
        if (stuck) {
            List<EpochMetrics> half = secondHalf(curve);
            long v1 = half.stream().filter(RunLabel::almostNoGradient).count();
            long v2 = half.stream().filter(m -> m.layers().get(0).updateRatio() < STARVED_UPDATE_RATIO).count();
            boolean starvedGradient = 2 * v1 >= half.size();
            boolean barelyMoves = 2 * v2 >= half.size();
            if (starvedGradient || barelyMoves) {
                String which = starvedGradient && barelyMoves ? "V1+V2" : starvedGradient ? "V1" : "V2";
                return new RunLabel(Label.VANISHING, String.format(
                        "%s in %d/%d and %d/%d second-half epochs, best_g %.3f", which, v1, half.size(), v2,
                        half.size(), bestG));
            }
            return new RunLabel(Label.STUCK, String.format("best_g %.3f, first layer not starved (V1 %d/%d, V2 %d/%d)",
                    bestG, v1, half.size(), v2, half.size()));
        }
        double endG = Double.NEGATIVE_INFINITY;
        for (EpochMetrics m : curve.subList(Math.max(0, curve.size() - END_RECORDS), curve.size())) {
            endG = Math.max(endG, g(m.valAccuracy(), chance));
        }
        if (endG >= LEARNED) {
            return new RunLabel(Label.HEALTHY, String.format("end_g %.3f", endG));
        }
        return new RunLabel(Label.UNDERFITTING, String.format("best_g %.3f, end_g %.3f", bestG, endG));
    }

    /** Accuracy as a fraction of the way from chance to perfect. */
    static double g(double accuracy, double chance) {
        return (accuracy - chance) / (1 - chance);
    }

    /** The last ceil(n / 2) records. */
    static List<EpochMetrics> secondHalf(List<EpochMetrics> curve) {
        int n = curve.size();
        return curve.subList(n - (n + 1) / 2, n);
    }

    /** V1 for one record: layer-0 gradient norm at most 1e-2 of the output layer's (0 <= 0 counts). */
    static boolean almostNoGradient(EpochMetrics m) {
        List<LayerStats> layers = m.layers();
        if (layers.size() < 2) {
            return false;
        }
        return layers.get(0).gradL2() <= STARVED_GRADIENT_RATIO * layers.get(layers.size() - 1).gradL2();
    }
}
