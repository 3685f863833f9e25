package io.gradtune.driver.calibration;

import io.gradtune.driver.diagnose.ChanceLevel;
import io.gradtune.driver.diagnose.Diagnoser;
import io.gradtune.driver.diagnose.DiagnosisKind;
import io.gradtune.driver.stopping.StoppingPolicy;
import io.gradtune.driver.stopping.StoppingRule;
import io.gradtune.driver.stopping.StoppingSettings;
import io.gradtune.driver.stopping.StudyCurves;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.stopping.ClassPrior;
import io.gradtune.worker.stopping.Decision;
import io.gradtune.worker.stopping.DivergenceRule;
import io.gradtune.worker.stopping.ExplodingGradientsRule;
import io.gradtune.worker.stopping.PlateauRule;
import io.gradtune.worker.stopping.TrialStopping;
import io.gradtune.worker.stopping.VanishingGradientsRule;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the shipped rules and the diagnoser make of a full-budget run, found by replaying its records prefix by prefix as the
 * driver would have received them (study curves holding only this trial): the first stop of the gradient rules
 * (divergence, exploding_gradients, vanishing_gradients at their defaults with the dataset's class prior, built as
 * production builds them, one policy in that order), the first
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

    /**
     * The per-trial rules as production builds them ({@code StoppingSettings.defaults().perTrial(...)}, the dataset's
     * class prior included, as {@code StudyRunner} builds each trial's spec).
     */
    static TrialStopping shipped(ClassPrior prior) {
        return StoppingSettings.defaults().perTrial("val_accuracy", true, prior);
    }

    /** The gradient rules (divergence, exploding_gradients, vanishing_gradients) of {@link #shipped}, in policy order. */
    static StoppingPolicy gradientPolicy(ClassPrior prior) {
        TrialStopping s = shipped(prior);
        return policy(new TrialStopping(s.objectiveMetric(), s.maximize(), s.divergence(), s.explodingGradients(),
                s.vanishingGradients(), null, prior));
    }

    private static StoppingPolicy policy(TrialStopping rules) {
        return new StoppingPolicy(rules.rules().stream().map(StoppingRule::of).toList());
    }

    static RuleReplay of(List<EpochMetrics> curve, ChanceLevel chance) {
        if (curve.isEmpty()) {
            return new RuleReplay(null, Map.of(), null, null, null);
        }
        ClassPrior prior = chance.prior();
        TrialStopping s = shipped(prior);
        String metric = s.objectiveMetric();
        Map<String, StoppingPolicy> single = new LinkedHashMap<>();
        single.put(DivergenceRule.NAME, policy(new TrialStopping(metric, true, s.divergence(), null, null, null, prior)));
        single.put(ExplodingGradientsRule.NAME,
                policy(new TrialStopping(metric, true, null, s.explodingGradients(), null, null, prior)));
        single.put(VanishingGradientsRule.NAME,
                policy(new TrialStopping(metric, true, null, null, s.vanishingGradients(), null, prior)));
        single.put(PlateauRule.NAME, policy(new TrialStopping(metric, true, null, null, null, s.plateau(), prior)));
        StoppingPolicy policy = gradientPolicy(prior);
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
            for (Map.Entry<String, StoppingPolicy> e : single.entrySet()) {
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
