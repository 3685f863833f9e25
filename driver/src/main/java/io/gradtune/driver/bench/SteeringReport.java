package io.gradtune.driver.bench;

import io.gradtune.worker.protocol.ReportJson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The steering benchmark's result: every (arm, seed) study, and per arm the means over seeds and the waste ratios
 * against the unaware arm. Waste is what the pathological trials cost ({@link SteeringRun}); the target is a
 * third or less of the unaware arm's waste, in trials and in epochs, with a mean best accuracy no worse.
 *
 * @param config the benchmark's config file
 * @param seeds  the search seeds
 * @param trials trials per study
 * @param epochs epoch budget per trial
 * @param runs   every study, arm by arm in {@link SteeringArm} order, seeds in order
 */
public record SteeringReport(String config, List<Long> seeds, int trials, int epochs, List<SteeringRun> runs) {

    /** The target: waste at most this fraction of the unaware arm's. */
    public static final double TARGET_WASTE_RATIO = 1.0 / 3.0;

    public SteeringReport {
        seeds = List.copyOf(seeds);
        runs = List.copyOf(runs);
    }

    /**
     * One arm's means over its seeds.
     *
     * @param wasteTrialRatio   mean pathological trials over the unaware arm's (NaN when it had none)
     * @param wasteEpochRatio   mean pathological epochs over the unaware arm's (NaN when it had none)
     * @param bestDelta         mean best accuracy minus the unaware arm's
     */
    public record ArmSummary(SteeringArm arm, int studies, double pathological, double pathologicalEpochs,
                             double epochs, double repairs, double bestValAccuracy, double wasteTrialRatio,
                             double wasteEpochRatio, double bestDelta) {

        /** Whether this arm meets the target against the unaware arm. */
        public boolean meetsTarget() {
            return wasteTrialRatio <= TARGET_WASTE_RATIO && wasteEpochRatio <= TARGET_WASTE_RATIO && bestDelta >= 0;
        }
    }

    /** Per arm that ran, the means and ratios, in {@link SteeringArm} order. */
    public List<ArmSummary> summaries() {
        Map<SteeringArm, double[]> means = new LinkedHashMap<>();
        for (SteeringArm arm : SteeringArm.values()) {
            List<SteeringRun> of = runs.stream().filter(r -> r.arm() == arm).toList();
            if (!of.isEmpty()) {
                means.put(arm, new double[] {of.size(), mean(of, SteeringRun::pathological),
                        mean(of, SteeringRun::pathologicalEpochs), mean(of, SteeringRun::epochs),
                        mean(of, SteeringRun::repairs), of.stream().mapToDouble(SteeringRun::bestValAccuracy)
                        .average().orElse(Double.NaN)});
            }
        }
        double[] unaware = means.get(SteeringArm.UNAWARE);
        List<ArmSummary> out = new ArrayList<>();
        means.forEach((arm, m) -> out.add(new ArmSummary(arm, (int) m[0], m[1], m[2], m[3], m[4], m[5],
                unaware == null ? Double.NaN : ratio(m[1], unaware[1]),
                unaware == null ? Double.NaN : ratio(m[2], unaware[2]),
                unaware == null ? Double.NaN : m[5] - unaware[5])));
        return out;
    }

    /** The per-arm table for people. */
    public String table() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "%-21s %7s %12s %12s %10s %8s %9s %12s %12s %10s%n", "arm", "studies", "patho_trials",
                "patho_epochs", "epochs", "repairs", "best_acc", "waste_trials", "waste_epochs", "best_diff"));
        for (ArmSummary s : summaries()) {
            sb.append(String.format(Locale.ROOT, "%-21s %7d %12.1f %12.1f %10.1f %8.1f %9.4f %12.2f %12.2f %+10.4f%n",
                    s.arm().label(), s.studies(), s.pathological(), s.pathologicalEpochs(), s.epochs(), s.repairs(),
                    s.bestValAccuracy(), s.wasteTrialRatio(), s.wasteEpochRatio(), s.bestDelta()));
        }
        return sb.toString();
    }

    /** One line of JSON: the settings, every run, and the per-arm summaries. */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("benchmark", "steering");
        m.put("config", config);
        m.put("seeds", seeds);
        m.put("trials", trials);
        m.put("epochs", epochs);
        m.put("target_waste_ratio", TARGET_WASTE_RATIO);
        m.put("runs", runs.stream().map(r -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("arm", r.arm().label());
            o.put("seed", r.seed());
            o.put("trials", r.trials());
            o.put("pathological_trials", r.pathological());
            o.put("pathological_epochs", r.pathologicalEpochs());
            o.put("epochs", r.epochs());
            o.put("repairs", r.repairs());
            o.put("repairs_succeeded", r.repairsSucceeded());
            o.put("best_val_accuracy", r.bestValAccuracy());
            o.put("wall_seconds", r.wallSeconds());
            o.put("failure", r.failure());
            return o;
        }).toList());
        m.put("arms", summaries().stream().map(s -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("arm", s.arm().label());
            o.put("studies", s.studies());
            o.put("mean_pathological_trials", s.pathological());
            o.put("mean_pathological_epochs", s.pathologicalEpochs());
            o.put("mean_epochs", s.epochs());
            o.put("mean_repairs", s.repairs());
            o.put("mean_best_val_accuracy", s.bestValAccuracy());
            o.put("waste_trial_ratio", s.wasteTrialRatio());
            o.put("waste_epoch_ratio", s.wasteEpochRatio());
            o.put("best_delta", s.bestDelta());
            o.put("meets_target", s.arm() == SteeringArm.UNAWARE ? null : s.meetsTarget());
            return o;
        }).toList());
        return ReportJson.line(m);
    }

    private static double mean(List<SteeringRun> runs, java.util.function.ToIntFunction<SteeringRun> f) {
        return runs.stream().mapToInt(f).average().orElse(Double.NaN);
    }

    private static double ratio(double a, double b) {
        return b == 0 ? Double.NaN : a / b;
    }
}
