package io.gradtune.driver.diagnose;

import io.gradtune.driver.stopping.Decision;
import io.gradtune.driver.stopping.DivergenceRule;
import io.gradtune.driver.stopping.ExplodingGradientsRule;
import io.gradtune.driver.stopping.Format;
import io.gradtune.driver.stopping.StoppingSettings;
import io.gradtune.driver.stopping.VanishingGradientsRule;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Names what happened in a trial from its curve and stop decision, with rules of thumb whose thresholds are the
 * constants below (docs/stopping.md has the table). The gradient tests are the stopping rules' own, so a trial
 * pruned for vanishing gradients is also diagnosed with them.
 */
public final class Diagnoser {

    /** A hidden layer with at least this fraction of dead units (ReLU family) counts as DEAD_UNITS. */
    public static final double DEAD_FRACTION = 0.5;
    /** A hidden layer with at least this fraction of saturated outputs (sigmoid, tanh) counts as SATURATION. */
    public static final double SATURATED_FRACTION = 0.5;
    /** OVERFITTING: epochs the validation loss must have been above its minimum ... */
    public static final int OVERFIT_EPOCHS = 3;
    /** ... ending more than this fraction above it, while the training loss fell. */
    public static final double OVERFIT_RISE = 0.10;
    /** UNDERFITTING: final training loss above this fraction of the first epoch's ... */
    public static final double UNDERFIT_LOSS_FRACTION = 0.5;
    /** ... and best validation accuracy below this. */
    public static final double UNDERFIT_ACCURACY = 0.6;
    /**
     * UNSTABLE: the validation loss changes direction at least epochs / 2 times, counting only moves larger than
     * this fraction of the previous value.
     */
    public static final double UNSTABLE_MOVE = 0.05;
    /** Fewest epochs for the curve-shape tests (overfitting needs more, see {@link #OVERFIT_EPOCHS}). */
    public static final int MIN_EPOCHS = 3;

    private final VanishingGradientsRule vanishing;
    private final ExplodingGradientsRule.Settings exploding;

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
        this.vanishing = new VanishingGradientsRule(vanishing);
        this.exploding = exploding;
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
        vanishingGradient(curve, f);
        layerHealth(curve.get(curve.size() - 1), f);
        unstable(curve, f);
        underfitting(curve, f);
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
                if (!l.allFinite() || l.gradL2() > exploding.maxNorm()) {
                    f.add(DiagnosisKind.EXPLODING_GRADIENT, "layer " + l.index() + " gradient norm "
                                    + Format.num(l.gradL2()) + " (max_norm " + Format.num(exploding.maxNorm()) + ", "
                                    + (l.nanCount() + l.infCount()) + " NaN/Inf entries) at epoch " + m.epoch(),
                            Map.of("epoch", m.epoch(), "layer", l.index(), "grad_l2", l.gradL2(),
                                    "max_norm", exploding.maxNorm(), "nan_inf", l.nanCount() + l.infCount()));
                    return;
                }
            }
        }
    }

    private void vanishingGradient(List<EpochMetrics> curve, Findings f) {
        int p = vanishing.settings().patience();
        if (curve.size() < p) {
            return;
        }
        List<EpochMetrics> tail = curve.subList(curve.size() - p, curve.size());
        if (tail.stream().allMatch(vanishing::isVanishing)) {
            EpochMetrics last = curve.get(curve.size() - 1);
            double ratio = VanishingGradientsRule.gradientRatio(last);
            double update = last.layers().get(0).updateRatio();
            f.add(DiagnosisKind.VANISHING_GRADIENT, "layer 0 / output gradient-norm ratio " + Format.num(ratio)
                            + " < " + Format.num(vanishing.settings().minRatio()) + " and layer-0 update ratio "
                            + Format.num(update) + " < " + Format.num(vanishing.settings().minUpdateRatio())
                            + " over the last " + p + " epochs",
                    Map.of("grad_ratio", ratio, "update_ratio", update));
        }
    }

    private static void layerHealth(EpochMetrics last, Findings f) {
        List<LayerStats> layers = last.layers();
        LayerStats dead = null;
        LayerStats saturated = null;
        for (LayerStats l : layers.subList(0, Math.max(0, layers.size() - 1))) {
            if (l.deadFraction() != null && l.deadFraction() >= DEAD_FRACTION
                    && (dead == null || l.deadFraction() > dead.deadFraction())) {
                dead = l;
            }
            if (l.saturatedFraction() != null && l.saturatedFraction() >= SATURATED_FRACTION
                    && (saturated == null || l.saturatedFraction() > saturated.saturatedFraction())) {
                saturated = l;
            }
        }
        if (dead != null) {
            f.add(DiagnosisKind.DEAD_UNITS, "layer " + dead.index() + " has " + Format.num(dead.deadFraction())
                            + " dead units (>= " + DEAD_FRACTION + ")",
                    Map.of("layer", dead.index(), "dead_fraction", dead.deadFraction()));
        }
        if (saturated != null) {
            f.add(DiagnosisKind.SATURATION, "layer " + saturated.index() + " has "
                            + Format.num(saturated.saturatedFraction()) + " saturated outputs (>= " + SATURATED_FRACTION + ")",
                    Map.of("layer", saturated.index(), "saturated_fraction", saturated.saturatedFraction()));
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

    private static void underfitting(List<EpochMetrics> curve, Findings f) {
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
