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
 * Completed trials ranked by the objective, best first, and its text rendering for the console and
 * {@code leaderboard.txt}. Ties on the objective go to the better second metric ({@link #secondMetric}: val_loss
 * for an accuracy objective, val_accuracy for a loss objective; for a regression val_mae under val_mse/val_loss, else
 * val_mse), then to fewer epochs, then to the earlier trial. The rendering starts with a count of the trials by
 * how they ended, and shows each metric once (the objective's column is not repeated).
 */
public final class Leaderboard {

    private final StudyConfig.Objective objective;
    private final List<TrialResult> ranked;
    private final Counts counts;

    /**
     * How a study's trials ended: {@code completed} ran their budget (or were never stopped), {@code stoppedEarly}
     * completed before it on a plateau ({@link TrialResult#stoppedEarly}), then pruned, failed, interrupted and the
     * ones still queued or running.
     */
    public record Counts(int total, int completed, int stoppedEarly, int pruned, int failed, int interrupted,
                         int unfinished) {

        static Counts of(List<TrialResult> results) {
            int completed = 0;
            int early = 0;
            int pruned = 0;
            int failed = 0;
            int interrupted = 0;
            int unfinished = 0;
            for (TrialResult r : results) {
                switch (r.state()) {
                    case COMPLETED -> {
                        if (r.stoppedEarly()) {
                            early++;
                        } else {
                            completed++;
                        }
                    }
                    case PRUNED -> pruned++;
                    case FAILED -> failed++;
                    case INTERRUPTED -> interrupted++;
                    default -> unfinished++;
                }
            }
            return new Counts(results.size(), completed, early, pruned, failed, interrupted, unfinished);
        }

        /** {@code 24 trials: 6 completed, 2 stopped early, 14 pruned, 2 failed} (interrupted, running when any). */
        public String line() {
            return total + (total == 1 ? " trial: " : " trials: ") + completed + " completed, " + stoppedEarly
                    + " stopped early, " + pruned + " pruned, " + failed + " failed"
                    + (interrupted > 0 ? ", " + interrupted + " interrupted" : "")
                    + (unfinished > 0 ? ", " + unfinished + " queued or running" : "");
        }
    }

    /** @param results every trial of the study: the completed ones are ranked, all are counted */
    public Leaderboard(StudyConfig.Objective objective, List<TrialResult> results) {
        this.objective = objective;
        this.counts = Counts.of(results);
        Comparator<TrialResult> byObjective = Comparator.comparingDouble(TrialResult::objective);
        if (objective.maximize()) {
            byObjective = byObjective.reversed();
        }
        boolean regression = io.gradtune.worker.stopping.Objective.REGRESSION_METRICS.contains(objective.metric())
                || results.stream().anyMatch(r -> !Double.isNaN(r.valR2()) || !Double.isNaN(r.valMae()));
        this.ranked = results.stream()
                .filter(r -> r.state() == TrialState.COMPLETED && !Double.isNaN(r.objective()))
                .sorted(byObjective.thenComparing(secondMetric(objective.metric(), regression))
                        .thenComparingInt(TrialResult::epochs).thenComparingInt(TrialResult::number))
                .toList();
    }

    /**
     * The tie-break after the objective: the other figure of the same validation pass, better first, a missing
     * (NaN) value last. Accuracy objective: lower val_loss; val_loss or train_loss objective: higher val_accuracy
     * (a regression's: lower val_mae); val_mse: lower val_mae; val_mae and val_r2: lower val_mse.
     */
    static Comparator<TrialResult> secondMetric(String objectiveMetric, boolean regression) {
        return switch (objectiveMetric) {
            case "val_accuracy" -> lowerFirst(TrialResult::valLoss);
            case "val_mse" -> lowerFirst(TrialResult::valMae);
            case "val_mae", "val_r2" -> lowerFirst(TrialResult::valLoss);   // a regression's val_loss is its MSE
            default -> regression ? lowerFirst(TrialResult::valMae)
                    : lowerFirst(r -> -r.valAccuracy());                    // val_loss, train_loss
        };
    }

    private static Comparator<TrialResult> lowerFirst(java.util.function.ToDoubleFunction<TrialResult> metric) {
        return (a, b) -> {
            double x = metric.applyAsDouble(a);
            double y = metric.applyAsDouble(b);
            if (Double.isNaN(x) || Double.isNaN(y)) {
                return Boolean.compare(Double.isNaN(x), Double.isNaN(y));
            }
            return Double.compare(x, y);
        };
    }

    /** How the study's trials ended. */
    public Counts counts() {
        return counts;
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
        boolean showAccuracy = !objective.metric().equals("val_accuracy");
        boolean showLoss = !objective.metric().equals("val_loss");
        StringBuilder sb = new StringBuilder(counts.line()).append(" (ranked: the completed, best first)\n");
        sb.append(String.format(Locale.ROOT, "%-4s %-6s %12s ", "rank", "trial", objective.metric()))
                .append(showAccuracy ? String.format(Locale.ROOT, "%8s ", "val_acc") : "")
                .append(showLoss ? String.format(Locale.ROOT, "%8s ", "val_loss") : "")
                .append(String.format(Locale.ROOT, "%6s %7s  %-18s %s%n", "epochs", "seconds", "diagnosis",
                        "parameters"));
        int rank = 0;
        for (TrialResult r : ranked) {
            if (++rank > limit) {
                break;
            }
            sb.append(String.format(Locale.ROOT, "%-4d %-6s %12.4f ", rank, r.trialId(), r.objective()))
                    .append(showAccuracy ? String.format(Locale.ROOT, "%8.4f ", r.valAccuracy()) : "")
                    .append(showLoss ? String.format(Locale.ROOT, "%8.4f ", r.valLoss()) : "")
                    .append(String.format(Locale.ROOT, "%6d %7.1f  %-18s %s%n", r.epochs(), r.seconds(),
                            r.diagnosisName(), formatParams(r)));
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
        String metric = objective.metric();
        boolean showMse = !metric.equals("val_mse") && !metric.equals("val_loss");   // a regression's val_loss is its MSE
        boolean showMae = !metric.equals("val_mae");
        boolean showR2 = !metric.equals("val_r2");
        StringBuilder sb = new StringBuilder(counts.line()).append(" (ranked: the completed, best first)\n");
        sb.append(String.format(Locale.ROOT, "%-4s %-6s %12s ", "rank", "trial", metric))
                .append(showMse ? String.format(Locale.ROOT, "%10s ", "val_mse") : "")
                .append(showMae ? String.format(Locale.ROOT, "%10s ", "val_mae") : "")
                .append(showR2 ? String.format(Locale.ROOT, "%8s ", "val_r2") : "")
                .append(String.format(Locale.ROOT, "%6s %7s  %-18s %s%n", "epochs", "seconds", "diagnosis",
                        "parameters"));
        int rank = 0;
        for (TrialResult r : ranked) {
            if (++rank > limit) {
                break;
            }
            sb.append(String.format(Locale.ROOT, "%-4d %-6s %12.4f ", rank, r.trialId(), r.objective()))
                    .append(showMse ? String.format(Locale.ROOT, "%10.4f ", r.valLoss()) : "")
                    .append(showMae ? String.format(Locale.ROOT, "%10.4f ", r.valMae()) : "")
                    .append(showR2 ? String.format(Locale.ROOT, "%8.4f ", r.valR2()) : "")
                    .append(String.format(Locale.ROOT, "%6d %7.1f  %-18s %s%n", r.epochs(), r.seconds(),
                            r.diagnosisName(), formatParams(r)));
        }
        if (ranked.isEmpty()) {
            sb.append("(no completed trials)\n");
        }
        return sb.toString();
    }

    /**
     * The trials stopped early (a plateau before the budget's end), pruned, failed or interrupted, with why: one line
     * each, for the end of the leaderboard file.
     */
    public static String renderStopped(List<TrialResult> results) {
        StringBuilder sb = new StringBuilder();
        for (TrialResult r : results) {
            if (r.state() == TrialState.COMPLETED && !r.stoppedEarly()) {
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
