package io.gradtune.driver.calibration;

import io.gradtune.driver.diagnose.Diagnoser;
import io.gradtune.driver.diagnose.DiagnosisKind;
import io.gradtune.driver.stopping.StoppingPolicy;
import io.gradtune.driver.stopping.StoppingRule;
import io.gradtune.driver.stopping.StudyCurves;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.stopping.Decision;
import io.gradtune.worker.stopping.DivergenceRule;
import io.gradtune.worker.stopping.ExplodingGradientsRule;
import io.gradtune.worker.stopping.PlateauRule;
import io.gradtune.worker.stopping.VanishingGradientsRule;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What today's rules and diagnoser make of a full-budget run, found by replaying its records prefix by prefix as the
 * driver would have received them (study curves holding only this trial): the first stop of the gradient rules
 * (divergence, exploding_gradients, vanishing_gradients at their defaults, one policy in that order), the first
 * epoch each rule alone would fire (plateau too), and the diagnosis of the full curve, of the curve up to the
 * gradient stop with that decision, and of the first epoch alone (what a trial pruned by ASHA at rung 1 gets).
 *
 * @param gradientStop the gradient policy's first stop, or null
 * @param firstFire    per rule name, the first epoch it alone would stop the trial (absent: never)
 * @param diagnosisFull    primary diagnosis of the whole curve, no stop decision
 * @param diagnosisAtStop  primary diagnosis of the curve up to the gradient stop, with it (the full curve's if none)
 * @param diagnosisEpoch1  primary diagnosis of the first record alone
 */
record RuleReplay(Decision gradientStop, Map<String, Integer> firstFire, DiagnosisKind diagnosisFull,
                  DiagnosisKind diagnosisAtStop, DiagnosisKind diagnosisEpoch1) {

    /** The rules asked one by one, in policy order. */
    static final List<String> RULES = List.of(DivergenceRule.NAME, ExplodingGradientsRule.NAME,
            VanishingGradientsRule.NAME, PlateauRule.NAME);

    /** The gradient rules of today at their default settings, in policy order. */
    static StoppingPolicy gradientPolicy() {
        return StoppingPolicy.of(StoppingRule.of(new DivergenceRule(DivergenceRule.Settings.defaults())),
                StoppingRule.of(new ExplodingGradientsRule(ExplodingGradientsRule.Settings.defaults())),
                StoppingRule.of(new VanishingGradientsRule(VanishingGradientsRule.Settings.defaults())));
    }

    static RuleReplay of(List<EpochMetrics> curve) {
        if (curve.isEmpty()) {
            return new RuleReplay(null, Map.of(), null, null, null);
        }
        Map<String, StoppingRule> single = new LinkedHashMap<>();
        single.put(DivergenceRule.NAME, StoppingRule.of(new DivergenceRule(DivergenceRule.Settings.defaults())));
        single.put(ExplodingGradientsRule.NAME, StoppingRule.of(new ExplodingGradientsRule(ExplodingGradientsRule.Settings.defaults())));
        single.put(VanishingGradientsRule.NAME, StoppingRule.of(new VanishingGradientsRule(VanishingGradientsRule.Settings.defaults())));
        single.put(PlateauRule.NAME, StoppingRule.of(new PlateauRule(PlateauRule.Settings.defaults())));
        StoppingPolicy policy = gradientPolicy();
        String trial = curve.get(0).trialId();
        Decision stop = null;
        Map<String, Integer> firstFire = new LinkedHashMap<>();
        for (int n = 1; n <= curve.size(); n++) {
            List<EpochMetrics> prefix = List.copyOf(curve.subList(0, n));
            StudyCurves study = new StudyCurves("val_accuracy", true, Map.of(trial, prefix));
            if (stop == null) {
                Decision d = policy.evaluate(prefix, study);
                if (d.stops()) {
                    stop = d;
                }
            }
            for (Map.Entry<String, StoppingRule> e : single.entrySet()) {
                if (!firstFire.containsKey(e.getKey()) && e.getValue().evaluate(prefix, study).stops()) {
                    firstFire.put(e.getKey(), prefix.get(n - 1).epoch());
                }
            }
        }
        Diagnoser diagnoser = new Diagnoser();
        DiagnosisKind full = diagnoser.diagnose(curve, null).primary();
        DiagnosisKind atStop = full;
        if (stop != null) {
            int epoch = stop.epoch();
            List<EpochMetrics> upTo = curve.stream().filter(m -> m.epoch() <= epoch).toList();
            atStop = diagnoser.diagnose(upTo, stop).primary();
        }
        DiagnosisKind epoch1 = diagnoser.diagnose(curve.subList(0, 1), null).primary();
        return new RuleReplay(stop, Map.copyOf(firstFire), full, atStop, epoch1);
    }

    /** Whether the gradient rules stopped the trial at all. */
    boolean stopped() {
        return gradientStop != null;
    }

    /** The rule of the gradient stop, or "" if none. */
    String stopRule() {
        return gradientStop == null ? "" : gradientStop.rule();
    }
}
