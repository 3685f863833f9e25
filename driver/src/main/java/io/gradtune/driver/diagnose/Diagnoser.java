package io.gradtune.driver.diagnose;

import io.gradtune.driver.stopping.StoppingSettings;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;
import io.gradtune.worker.stopping.Decision;
import io.gradtune.worker.stopping.DivergenceRule;
import io.gradtune.worker.stopping.ExplodingGradientsRule;
import io.gradtune.worker.stopping.Format;
import io.gradtune.worker.stopping.VanishingGradientsRule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Names what happened in a trial from its curve and stop decision, with rules of thumb whose thresholds are the
 * constants below (docs/stopping.md has the table). The gradient tests are the stopping rules' own, with the study's
 * configured thresholds ({@link #forSettings}), so a trial pruned for vanishing gradients is also diagnosed with them.
 *
 * <p>With the dataset's {@link ChanceLevel} ({@link #withChance}) underfitting is judged against chance: a net
 * whose best validation accuracy never left the chance band is UNDERFITTING however imbalanced the classes, and so
 * is a trial pruned (by ASHA or the median rule) after an epoch or two at chance whose loss never fell below the
 * class prior's. A pruned trial that was learning stays HEALTHY: being slower than others is not a pathology.
 * Dead units and saturation are read per activation ({@link ActivationFamily}).
 */
public final class Diagnoser {

    /** A hidden ReLU layer ({@link ActivationFamily#canDie()}) with at least this fraction of dead units counts as DEAD_UNITS. */
    public static final double DEAD_FRACTION = 0.5;
    /** A hidden layer with a saturating activation and at least this fraction of saturated outputs counts as SATURATION. */
    public static final double SATURATED_FRACTION = 0.5;
    /** OVERFITTING: epochs the validation loss must have been above its minimum ... */
    public static final int OVERFIT_EPOCHS = 3;
    /** ... ending more than this fraction above it, while the training loss fell. */
    public static final double OVERFIT_RISE = 0.10;
    /** UNDERFITTING: final training loss above this fraction of the first epoch's ... */
    public static final double UNDERFIT_LOSS_FRACTION = 0.5;
    /** ... and best validation accuracy below this, when the chance level is not known. */
    public static final double UNDERFIT_ACCURACY = 0.6;
    /**
     * ... and best validation accuracy below the majority-class rate plus this fraction of the headroom above it, when
     * the chance level is known (0.6 for three balanced classes, 0.7 for two, 0.46 for ten).
     */
    public static final double UNDERFIT_GAIN = 0.4;
    /**
     * A curve too short for the curve-shape tests (a trial pruned at epoch 1 or 2) is at chance when its accuracy
     * stayed in the chance band and its best validation loss is at least (1 - this) x the class prior's loss.
     */
    public static final double CHANCE_LOSS_MARGIN = 0.05;
    /**
     * With the chance level: a training loss above this many times ln K (a uniform guess's loss) in a trial that never
     * left the chance band blew up and stayed stuck: EXPLODING_GRADIENT, as the calibration set labels it (clause E3
     * of docs/stopping.md), even when no gradient norm crossed {@code max_norm}.
     */
    public static final double BLOWN_UP_LOSS = 2.0;
    /**
     * UNSTABLE: the validation loss changes direction at least epochs / 2 times, counting only moves larger than
     * this fraction of the previous value.
     */
    public static final double UNSTABLE_MOVE = 0.05;
    /** Fewest epochs for the curve-shape tests (overfitting needs more, see {@link #OVERFIT_EPOCHS}). */
    public static final int MIN_EPOCHS = 3;

    private final VanishingGradientsRule vanishing;
    private final ExplodingGradientsRule.Settings exploding;
    /** The dataset's chance level, or null when unknown (the fixed {@link #UNDERFIT_ACCURACY} bound applies). */
    private final ChanceLevel chance;

    /** A diagnoser with the default gradient thresholds of the stopping rules. */
    public Diagnoser() {
        this(VanishingGradientsRule.Settings.defaults(), ExplodingGradientsRule.Settings.defaults());
    }

    /**
     * A diagnoser with a study's configured gradient thresholds: those of its vanishing- and exploding-gradient
     * rules, or the defaults for a rule the study switched off (the diagnosis still looks for the problem).
     */
    public static Diagnoser forSettings(StoppingSettings settings) {
        return new Diagnoser(
                settings.vanishingGradients() != null ? settings.vanishingGradients() : VanishingGradientsRule.Settings.defaults(),
                settings.explodingGradients() != null ? settings.explodingGradients() : ExplodingGradientsRule.Settings.defaults());
    }

    /** A diagnoser using the given gradient thresholds. */
    public Diagnoser(VanishingGradientsRule.Settings vanishing, ExplodingGradientsRule.Settings exploding) {
        this(new VanishingGradientsRule(vanishing), exploding, null);
    }

    private Diagnoser(VanishingGradientsRule vanishing, ExplodingGradientsRule.Settings exploding, ChanceLevel chance) {
        this.vanishing = vanishing;
        this.exploding = exploding;
        this.chance = chance;
    }

    /** This diagnoser (same thresholds) judging underfitting against the dataset's chance level. */
    public Diagnoser withChance(ChanceLevel chance) {
        return new Diagnoser(vanishing, exploding, Objects.requireNonNull(chance, "chance"));
    }

    /**
     * @param curve the trial's records in epoch order, at least one
     * @param stop  the decision that stopped the trial, or null if it ran to the end
     * @throws IllegalArgumentException for an empty curve: a trial without epochs has nothing to diagnose
     */
    public Diagnosis diagnose(List<EpochMetrics> curve, Decision stop) {
        if (curve.isEmpty()) {
            throw new IllegalArgumentException("curve is empty: a trial without epoch records cannot be diagnosed");
        }
        Findings f = new Findings();
        explodingGradient(curve, f);
        if (chance != null) {
            blownUp(curve, f);
        }
        vanishingGradient(curve, f);
        layerHealth(curve.get(curve.size() - 1), f);
        unstable(curve, f);
        if (chance == null) {
            underfittingWithoutChance(curve, f);
        } else {
            underfitting(curve, stop, f);
        }
        overfitting(curve, f);
        if (stop != null && stop.stops()) {
            fromStop(stop, f);
        }
        return f.diagnosis();
    }

    private void explodingGradient(List<EpochMetrics> curve, Findings f) {
        for (EpochMetrics m : curve) {
            if (!Double.isFinite(m.trainLoss()) || !Double.isFinite(m.valLoss())) {
                f.add(DiagnosisKind.EXPLODING_GRADIENT, "non-finite loss at epoch " + m.epoch(),
                        Map.of("epoch", m.epoch(), "train_loss", m.trainLoss(), "val_loss", m.valLoss()));
                return;
            }
            for (LayerStats l : m.layers()) {
                Double maxNorm = exploding.maxNorm();
                if (!l.allFinite() || (maxNorm != null && l.gradL2() > maxNorm)) {
                    f.add(DiagnosisKind.EXPLODING_GRADIENT, "layer " + l.index() + " gradient norm "
                                    + Format.num(l.gradL2()) + " (" + (maxNorm == null ? "" : "max_norm "
                                    + Format.num(maxNorm) + ", ") + (l.nanCount() + l.infCount())
                                    + " NaN/Inf entries) at epoch " + m.epoch(),
                            maxNorm == null
                                    ? Map.of("epoch", m.epoch(), "layer", l.index(), "grad_l2", l.gradL2(),
                                            "nan_inf", l.nanCount() + l.infCount())
                                    : Map.of("epoch", m.epoch(), "layer", l.index(), "grad_l2", l.gradL2(),
                                            "max_norm", maxNorm, "nan_inf", l.nanCount() + l.infCount()));
                    return;
                }
            }
        }
    }

    private void blownUp(List<EpochMetrics> curve, Findings f) {
        double bestAccuracy = chance.bestScore(curve);
        double bound = BLOWN_UP_LOSS * chance.uninformedLoss();
        if (!(bestAccuracy <= chance.band()) || bound <= 0) {
            return;
        }
        for (EpochMetrics m : curve) {
            if (m.trainLoss() > bound) {
                f.add(DiagnosisKind.EXPLODING_GRADIENT, "train loss " + Format.num(m.trainLoss()) + " at epoch "
                                + m.epoch() + " > " + Format.num(bound) + " (" + BLOWN_UP_LOSS + " x "
                                + chance.prior().uninformedLossName() + (chance.regression() ? ", the mean's loss"
                                : ", a uniform guess's loss") + ") and " + chance.prior().scoreLabel()
                                + " never left chance (<= "
                                + Format.num(chance.band()) + ")",
                        Map.of("epoch", m.epoch(), "train_loss", m.trainLoss(), "loss_bound", bound,
                                "best_" + chance.scoreName(), bestAccuracy));
                return;
            }
        }
    }

    private void vanishingGradient(List<EpochMetrics> curve, Findings f) {
        // A trial pruned before it had `patience` epochs is judged on all it had.
        int p = Math.min(vanishing.settings().patience(), curve.size());
        List<EpochMetrics> tail = curve.subList(curve.size() - p, curve.size());
        if (tail.stream().allMatch(vanishing::isVanishing)) {
            EpochMetrics last = curve.get(curve.size() - 1);
            double ratio = VanishingGradientsRule.gradientRatio(last);
            double update = last.layers().get(VanishingGradientsRule.firstTrained(last)).updateRatio();
            f.add(DiagnosisKind.VANISHING_GRADIENT, "layer 0 / output gradient-norm ratio " + Format.num(ratio)
                            + " < " + Format.num(vanishing.settings().minRatio()) + " and layer-0 update ratio "
                            + Format.num(update) + " < " + Format.num(vanishing.settings().minUpdateRatio())
                            + (p == 1 ? " in its only epoch" : " over the last " + p + " epochs"),
                    Map.of("grad_ratio", ratio, "update_ratio", update));
        }
    }

    private static void layerHealth(EpochMetrics last, Findings f) {
        List<LayerStats> layers = last.layers();
        LayerStats dead = null;
        LayerStats saturated = null;
        for (LayerStats l : layers.subList(0, Math.max(0, layers.size() - 1))) {
            ActivationFamily family = ActivationFamily.of(l.activation());
            if (family.canDie() && l.deadFraction() != null && l.deadFraction() >= DEAD_FRACTION
                    && (dead == null || l.deadFraction() > dead.deadFraction())) {
                dead = l;
            }
            if (family.saturates() && l.saturatedFraction() != null && l.saturatedFraction() >= SATURATED_FRACTION
                    && (saturated == null || l.saturatedFraction() > saturated.saturatedFraction())) {
                saturated = l;
            }
        }
        if (dead != null) {
            f.add(DiagnosisKind.DEAD_UNITS, dead.activation() + " layer " + dead.index() + " has "
                            + Format.num(dead.deadFraction()) + " dead units (>= " + DEAD_FRACTION + ")",
                    Map.of("layer", dead.index(), "activation", dead.activation(), "dead_fraction", dead.deadFraction()));
        }
        if (saturated != null) {
            f.add(DiagnosisKind.SATURATION, saturated.activation() + " layer " + saturated.index() + " has "
                            + Format.num(saturated.saturatedFraction()) + " saturated outputs (>= " + SATURATED_FRACTION + ")",
                    Map.of("layer", saturated.index(), "activation", saturated.activation(),
                            "saturated_fraction", saturated.saturatedFraction()));
        }
    }

    private static void unstable(List<EpochMetrics> curve, Findings f) {
        if (curve.size() < MIN_EPOCHS + 1) {
            return;
        }
        int changes = 0;
        int previousSign = 0;
        for (int i = 1; i < curve.size(); i++) {
            double before = curve.get(i - 1).valLoss();
            double delta = curve.get(i).valLoss() - before;
            int sign = Math.abs(delta) > UNSTABLE_MOVE * Math.abs(before) ? (int) Math.signum(delta) : 0;
            if (sign != 0 && previousSign != 0 && sign != previousSign) {
                changes++;
            }
            previousSign = sign;
        }
        if (changes >= curve.size() / 2.0) {
            f.add(DiagnosisKind.UNSTABLE, "validation loss changed direction " + changes + " times in " + curve.size()
                            + " epochs (moves > " + Format.num(UNSTABLE_MOVE * 100) + " %)",
                    Map.of("direction_changes", changes, "epochs", curve.size()));
        }
    }

    /**
     * Judged against chance: UNDERFITTING when the best validation accuracy never left the chance band (at least
     * {@link #MIN_EPOCHS} epochs, or fewer with a loss still at the prior's), or when the train loss barely fell and
     * the accuracy stayed below the relative bound ({@link #UNDERFIT_GAIN}).
     */
    private void underfitting(List<EpochMetrics> curve, Decision stop, Findings f) {
        if (chance.regression()) {
            underfittingRegression(curve, stop, f);
            return;
        }
        double bestAccuracy = curve.stream().mapToDouble(EpochMetrics::valAccuracy).max().orElse(Double.NaN);
        double bestValLoss = curve.stream().mapToDouble(EpochMetrics::valLoss).min().orElse(Double.NaN);
        double first = curve.get(0).trainLoss();
        double last = curve.get(curve.size() - 1).trainLoss();
        double band = chance.band();
        double lossFloor = (1 - CHANCE_LOSS_MARGIN) * chance.priorLoss();
        String pruned = stop != null && stop.stops() ? " (" + stop.action().name().toLowerCase() + "d by " + stop.rule()
                + " at epoch " + stop.epoch() + ")" : "";
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("best_val_accuracy", bestAccuracy);
        values.put("majority_rate", chance.majorityRate());
        values.put("classes", chance.classes());
        values.put("chance_band", band);
        if (bestAccuracy <= band && (curve.size() >= MIN_EPOCHS || bestValLoss >= lossFloor)) {
            values.put("at_chance", true);
            values.put("best_val_loss", bestValLoss);
            values.put("prior_loss", chance.priorLoss());
            f.add(DiagnosisKind.UNDERFITTING, "stuck at chance: best validation accuracy " + Format.num(bestAccuracy)
                    + " never left the chance band (<= " + Format.num(band) + ", majority-class rate "
                    + Format.num(chance.majorityRate()) + " of " + chance.classes() + " classes) in " + curve.size()
                    + (curve.size() == 1 ? " epoch" : " epochs") + pruned + "; best validation loss " + Format.num(bestValLoss) + " vs "
                    + Format.num(chance.priorLoss()) + " for predicting the class frequencies", values);
            return;
        }
        double bound = chance.majorityRate() + UNDERFIT_GAIN * (1 - chance.majorityRate());
        if (curve.size() >= MIN_EPOCHS && last > UNDERFIT_LOSS_FRACTION * first && bestAccuracy < bound) {
            values.put("at_chance", false);
            values.put("accuracy_bound", bound);
            values.put("first_train_loss", first);
            values.put("train_loss", last);
            f.add(DiagnosisKind.UNDERFITTING, "train loss only fell from " + Format.num(first) + " to "
                    + Format.num(last) + " (> " + UNDERFIT_LOSS_FRACTION + " x first) and best validation accuracy "
                    + Format.num(bestAccuracy) + " < " + Format.num(bound) + " (majority-class rate "
                    + Format.num(chance.majorityRate()) + " + " + UNDERFIT_GAIN + " x the rest)", values);
        }
    }

    /**
     * A regression judged against predicting the mean: UNDERFITTING when the best validation R² never left the chance
     * band (R² <= {@link ChanceLevel#MARGIN}; at least {@link #MIN_EPOCHS} epochs, or fewer with an MSE still at the
     * prior's), or when the train loss barely fell and R² stayed below {@link #UNDERFIT_GAIN}.
     */
    private void underfittingRegression(List<EpochMetrics> curve, Decision stop, Findings f) {
        double bestR2 = chance.bestScore(curve);
        double bestValLoss = curve.stream().mapToDouble(EpochMetrics::valLoss).min().orElse(Double.NaN);
        double first = curve.get(0).trainLoss();
        double last = curve.get(curve.size() - 1).trainLoss();
        double band = chance.band();
        String pruned = stop != null && stop.stops() ? " (" + stop.action().name().toLowerCase() + "d by " + stop.rule()
                + " at epoch " + stop.epoch() + ")" : "";
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("best_val_r2", bestR2);
        values.put("chance_band", band);
        boolean atChance = Double.isNaN(bestR2) || bestR2 <= band;
        if (atChance && (curve.size() >= MIN_EPOCHS || bestValLoss >= (1 - CHANCE_LOSS_MARGIN) * chance.priorLoss())) {
            values.put("at_chance", true);
            values.put("best_val_mse", bestValLoss);
            values.put("prior_loss", chance.priorLoss());
            f.add(DiagnosisKind.UNDERFITTING, "stuck at chance: best validation R² " + Format.num(bestR2)
                    + " never left the chance band (<= " + Format.num(band) + ") in " + curve.size()
                    + (curve.size() == 1 ? " epoch" : " epochs") + pruned + "; best validation MSE "
                    + Format.num(bestValLoss) + " vs " + Format.num(chance.priorLoss()) + " for predicting the mean",
                    values);
            return;
        }
        if (curve.size() >= MIN_EPOCHS && last > UNDERFIT_LOSS_FRACTION * first && bestR2 < UNDERFIT_GAIN) {
            values.put("at_chance", false);
            values.put("r2_bound", UNDERFIT_GAIN);
            values.put("first_train_loss", first);
            values.put("train_loss", last);
            f.add(DiagnosisKind.UNDERFITTING, "train loss only fell from " + Format.num(first) + " to "
                    + Format.num(last) + " (> " + UNDERFIT_LOSS_FRACTION + " x first) and best validation R² "
                    + Format.num(bestR2) + " < " + UNDERFIT_GAIN, values);
        }
    }

    /** Without the chance level: the fixed {@link #UNDERFIT_ACCURACY} bound. */
    private static void underfittingWithoutChance(List<EpochMetrics> curve, Findings f) {
        if (curve.size() < MIN_EPOCHS) {
            return;
        }
        double first = curve.get(0).trainLoss();
        double last = curve.get(curve.size() - 1).trainLoss();
        double bestAccuracy = curve.stream().mapToDouble(EpochMetrics::valAccuracy).max().orElse(Double.NaN);
        if (last > UNDERFIT_LOSS_FRACTION * first && bestAccuracy < UNDERFIT_ACCURACY) {
            f.add(DiagnosisKind.UNDERFITTING, "train loss only fell from " + Format.num(first) + " to "
                            + Format.num(last) + " (> " + UNDERFIT_LOSS_FRACTION + " x first) and best validation accuracy "
                            + Format.num(bestAccuracy) + " < " + UNDERFIT_ACCURACY,
                    Map.of("first_train_loss", first, "train_loss", last, "best_val_accuracy", bestAccuracy));
        }
    }

    private static void overfitting(List<EpochMetrics> curve, Findings f) {
        int best = 0;
        for (int i = 1; i < curve.size(); i++) {
            if (curve.get(i).valLoss() < curve.get(best).valLoss()) {
                best = i;
            }
        }
        EpochMetrics min = curve.get(best);
        EpochMetrics last = curve.get(curve.size() - 1);
        int since = curve.size() - 1 - best;
        if (since >= OVERFIT_EPOCHS && last.valLoss() > (1 + OVERFIT_RISE) * min.valLoss()
                && last.trainLoss() < min.trainLoss()) {
            f.add(DiagnosisKind.OVERFITTING, "validation loss rose from its minimum " + Format.num(min.valLoss())
                            + " at epoch " + min.epoch() + " to " + Format.num(last.valLoss()) + " (> +"
                            + Format.num(OVERFIT_RISE * 100) + " % over " + since + " epochs) while train loss fell from "
                            + Format.num(min.trainLoss()) + " to " + Format.num(last.trainLoss()),
                    Map.of("min_val_loss", min.valLoss(), "min_epoch", min.epoch(), "val_loss", last.valLoss(),
                            "epochs_since_min", since));
        }
    }

    private static void fromStop(Decision stop, Findings f) {
        if (ExplodingGradientsRule.NAME.equals(stop.rule())) {
            f.add(DiagnosisKind.EXPLODING_GRADIENT, "stopped by " + stop.rule() + ": " + stop.reason(), Map.of());
        } else if (VanishingGradientsRule.NAME.equals(stop.rule())) {
            f.add(DiagnosisKind.VANISHING_GRADIENT, "stopped by " + stop.rule() + ": " + stop.reason(), Map.of());
        } else if (DivergenceRule.NAME.equals(stop.rule())) {
            f.add(DiagnosisKind.UNSTABLE, "stopped by " + stop.rule() + ": " + stop.reason(), Map.of());
        }
        f.evidence.put("stop.rule", stop.rule());
        f.evidence.put("stop.action", stop.action().name());
        f.evidence.put("stop.epoch", stop.epoch());
    }

    /** The kinds found so far, the first message and evidence of each. */
    private static final class Findings {
        private final Map<DiagnosisKind, String> messages = new LinkedHashMap<>();
        private final Map<String, Object> evidence = new LinkedHashMap<>();

        void add(DiagnosisKind kind, String message, Map<String, Object> values) {
            if (messages.putIfAbsent(kind, message) == null) {
                String prefix = kind.name().toLowerCase() + ".";
                values.forEach((k, v) -> evidence.put(prefix + k, v));
            }
        }

        Diagnosis diagnosis() {
            List<DiagnosisKind> kinds = new ArrayList<>(messages.keySet());
            kinds.sort(Comparator.comparingInt(DiagnosisKind::severity));
            if (kinds.isEmpty()) {
                return new Diagnosis(DiagnosisKind.HEALTHY, List.of(DiagnosisKind.HEALTHY), evidence,
                        "healthy: no gradient, activation or curve problem found");
            }
            List<String> parts = new ArrayList<>();
            for (DiagnosisKind k : kinds) {
                parts.add(k.name().toLowerCase().replace('_', ' ') + ": " + messages.get(k));
            }
            return new Diagnosis(kinds.get(0), kinds, evidence, String.join("; ", parts));
        }
    }
}
