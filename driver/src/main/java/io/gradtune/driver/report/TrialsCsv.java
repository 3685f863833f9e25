package io.gradtune.driver.report;

import io.gradtune.driver.space.Parameter;
import io.gradtune.driver.space.SearchSpace;
import io.gradtune.driver.study.TrialResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code trials.csv}: one row per terminal trial with its state, objective, metrics at the best epoch, stop
 * reason, diagnosis and every parameter of the space (empty where a conditional parameter was inactive).
 */
public final class TrialsCsv {

    static final List<String> FIXED_COLUMNS = List.of("trial_id", "state", "objective", "val_accuracy", "val_loss",
            "train_loss", "best_epoch", "epochs", "seconds", "num_params", "diagnosis", "stop_reason", "error");

    private TrialsCsv() {
    }

    public static String render(SearchSpace space, List<TrialResult> results) {
        List<String> header = new ArrayList<>(FIXED_COLUMNS);
        for (Parameter p : space.parameters()) {
            header.add(p.name());
        }
        StringBuilder sb = new StringBuilder(String.join(",", header)).append('\n');
        for (TrialResult r : results) {
            List<String> row = new ArrayList<>();
            row.add(r.trialId());
            row.add(r.state().name());
            row.add(num(r.objective()));
            row.add(num(r.valAccuracy()));
            row.add(num(r.valLoss()));
            row.add(num(r.trainLoss()));
            row.add(String.valueOf(r.bestEpoch()));
            row.add(String.valueOf(r.epochs()));
            row.add(String.format(Locale.ROOT, "%.3f", r.seconds()));
            row.add(String.valueOf(r.numParams()));
            row.add(r.diagnosisName());
            row.add(quote(r.stopReason()));
            row.add(quote(r.error() == null ? "" : r.error()));
            for (Parameter p : space.parameters()) {
                Object v = r.params().get(p.name());
                row.add(v == null ? "" : quote(String.valueOf(v)));
            }
            sb.append(String.join(",", row)).append('\n');
        }
        return sb.toString();
    }

    static String num(double v) {
        return Double.isNaN(v) ? "" : String.valueOf(v);
    }

    /** RFC 4180 quoting when a field holds a comma, quote or line break. */
    static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
