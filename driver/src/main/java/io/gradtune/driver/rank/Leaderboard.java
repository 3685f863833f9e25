package io.gradtune.driver.rank;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.diagnose.DiagnosisKind;
import io.gradtune.driver.diagnose.Remedies;
import io.gradtune.driver.diagnose.Remedy;
import io.gradtune.driver.study.TrialResult;
import io.gradtune.driver.study.TrialState;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Completed trials ranked by the objective (best first; ties broken by fewer epochs, then trial number), and
 * its text rendering for the console and {@code leaderboard.txt}.
 */
public final class Leaderboard {

    private final StudyConfig.Objective objective;
    private final List<TrialResult> ranked;

    public Leaderboard(StudyConfig.Objective objective, List<TrialResult> results) {
        this.objective = objective;
        Comparator<TrialResult> byObjective = Comparator.comparingDouble(TrialResult::objective);
        if (objective.maximize()) {
            byObjective = byObjective.reversed();
        }
        this.ranked = results.stream()
                .filter(r -> r.state() == TrialState.COMPLETED && !Double.isNaN(r.objective()))
                .sorted(byObjective.thenComparingInt(TrialResult::epochs).thenComparingInt(TrialResult::number))
                .toList();
    }

    /** Completed trials, best first. */
    public List<TrialResult> ranked() {
        return ranked;
    }

    public TrialResult best() {
        return ranked.isEmpty() ? null : ranked.get(0);
    }

    /**
     * A fixed-width table: rank, trial, objective, accuracy, loss, epochs, seconds, diagnosis, parameters; a
     * regression's (a regression metric, or results that carry an R²) shows MSE, MAE and R² instead of accuracy and loss.
     */
    public String render(int limit) {
        if (regression()) {
            return renderRegression(limit);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-4s %-6s %12s %8s %8s %6s %7s  %-18s %s%n", "rank", "trial",
                objective.metric(), "val_acc", "val_loss", "epochs", "seconds", "diagnosis", "parameters"));
        int rank = 0;
        for (TrialResult r : ranked) {
            if (++rank > limit) {
                break;
            }
            sb.append(String.format(Locale.ROOT, "%-4d %-6s %12.4f %8.4f %8.4f %6d %7.1f  %-18s %s%n", rank, r.trialId(),
                    r.objective(), r.valAccuracy(), r.valLoss(), r.epochs(), r.seconds(), r.diagnosisName(),
                    formatParams(r)));
        }
        if (ranked.isEmpty()) {
            sb.append("(no completed trials)\n");
        }
        return sb.toString();
    }

    /** Whether these are a regression's results: its metric is one, or some result carries an R² or MAE. */
    private boolean regression() {
        return io.gradtune.worker.stopping.Objective.REGRESSION_METRICS.contains(objective.metric())
                || ranked.stream().anyMatch(r -> !Double.isNaN(r.valR2()) || !Double.isNaN(r.valMae()));
    }

    private String renderRegression(int limit) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-4s %-6s %12s %10s %10s %8s %6s %7s  %-18s %s%n", "rank", "trial",
                objective.metric(), "val_mse", "val_mae", "val_r2", "epochs", "seconds", "diagnosis", "parameters"));
        int rank = 0;
        for (TrialResult r : ranked) {
            if (++rank > limit) {
                break;
            }
            sb.append(String.format(Locale.ROOT, "%-4d %-6s %12.4f %10.4f %10.4f %8.4f %6d %7.1f  %-18s %s%n", rank,
                    r.trialId(), r.objective(), r.valLoss(), r.valMae(), r.valR2(), r.epochs(), r.seconds(),
                    r.diagnosisName(), formatParams(r)));
        }
        if (ranked.isEmpty()) {
            sb.append("(no completed trials)\n");
        }
        return sb.toString();
    }

    /** The trials that did not complete, with why: one line each, for the end of the leaderboard file. */
    public static String renderStopped(List<TrialResult> results) {
        StringBuilder sb = new StringBuilder();
        for (TrialResult r : results) {
            if (r.state() == TrialState.COMPLETED && r.stop() == null) {
                continue;
            }
            sb.append(String.format(Locale.ROOT, "%-6s %-9s epochs=%-3d %-18s %s%n", r.trialId(), r.state(), r.epochs(),
                    r.diagnosisName(), r.error() != null ? r.error() : r.stopReason()));
        }
        return sb.toString();
    }

    /**
     * The fixes for every diagnosed trial that is not HEALTHY, in trial order: a line with the trial and its primary
     * diagnosis, then one indented line per fix ({@link Remedies#forDiagnosis}): its id, its sentence and the
     * parameter change, marked when outside the space. Empty when no trial has such a diagnosis.
     */
    public static String renderFixes(List<TrialResult> results, Remedies remedies) {
        StringBuilder sb = new StringBuilder();
        for (TrialResult r : results) {
            if (r.diagnosis() == null || r.diagnosis().primary() == DiagnosisKind.HEALTHY) {
                continue;
            }
            List<Remedy> fixes = remedies.forDiagnosis(r.diagnosis(), r.params());
            sb.append(String.format(Locale.ROOT, "%-6s %s%s%n", r.trialId(), r.diagnosisName(),
                    fixes.isEmpty() ? ": no fix applies (the trial has every one the tutorials name)" : ""));
            for (Remedy f : fixes) {
                sb.append(String.format(Locale.ROOT, "  %-20s %s %s%n", f.id(), f.text(), f.changeText()));
            }
        }
        return sb.toString();
    }

    static String formatParams(TrialResult r) {
        StringBuilder sb = new StringBuilder();
        r.params().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e -> {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(e.getKey()).append('=').append(formatValue(e.getValue()));
        });
        return sb.toString();
    }

    /** Numbers with 4 significant digits, everything else as text. */
    public static String formatValue(Object v) {
        if (v instanceof Double d) {
            return String.format(Locale.ROOT, "%.4g", d);
        }
        return String.valueOf(v);
    }
}
