package io.gradtune.driver.report;

import io.gradtune.driver.space.Parameter;
import io.gradtune.driver.space.SearchSpace;
import io.gradtune.driver.study.TrialResult;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code trials.csv}: one row per terminal trial with its state, objective, metrics at the best epoch, stop
 * reason, diagnosis, its Spark task attempts and the executor (id and host) that trained its curve, and every
 * parameter of the space (empty where a conditional parameter was inactive).
 *
 * <p>Written with commons-csv's {@link CSVFormat#DEFAULT} (RFC 4180: fields holding a comma, quote or line break
 * are quoted, quotes doubled; commons-csv also quotes one that starts with a character up to {@code '#'} or ends
 * in whitespace) and LF record separators; {@code WarmStart} reads it back with the same library.
 * An empty cell is an absent value (NaN objective or metric, no stop, no error, inactive parameter).
 */
public final class TrialsCsv {

    /** RFC 4180 with LF (not CRLF) between records. */
    static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').build();

    static final List<String> FIXED_COLUMNS = List.of("trial_id", "state", "objective", "val_accuracy", "val_loss",
            "train_loss", "best_epoch", "epochs", "seconds", "num_params", "diagnosis", "stop_reason", "error",
            "attempts", "executor", "host");
    /** A regression's columns after the fixed ones (its {@code val_loss} is the MSE, its {@code val_accuracy} empty). */
    static final List<String> REGRESSION_COLUMNS = List.of("val_mae", "val_r2");

    private TrialsCsv() {
    }

    /** The whole file: the header (fixed columns, then the space's parameters in order) and one row per result. */
    public static String render(SearchSpace space, List<TrialResult> results) {
        return render(space, results, false);
    }

    /** As {@link #render(SearchSpace, List)}; {@code regression}: with {@link #REGRESSION_COLUMNS} after the fixed ones. */
    public static String render(SearchSpace space, List<TrialResult> results, boolean regression) {
        StringBuilder sb = new StringBuilder();
        try (CSVPrinter out = new CSVPrinter(sb, FORMAT)) {
            out.printRecord(header(space, regression));
            for (TrialResult r : results) {
                out.printRecord(row(space, r, regression));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not throw
        }
        return sb.toString();
    }

    /** The header line, separator included. */
    static String headerLine(SearchSpace space, boolean regression) {
        return line(header(space, regression));
    }

    /** One result's line, separator included: what {@link #render} writes for it. */
    static String rowLine(SearchSpace space, TrialResult r, boolean regression) {
        return line(row(space, r, regression));
    }

    private static String line(List<String> cells) {
        StringBuilder sb = new StringBuilder();
        try (CSVPrinter out = new CSVPrinter(sb, FORMAT)) {
            out.printRecord(cells);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not throw
        }
        return sb.toString();
    }

    private static List<String> header(SearchSpace space, boolean regression) {
        List<String> header = new ArrayList<>(FIXED_COLUMNS);
        if (regression) {
            header.addAll(REGRESSION_COLUMNS);
        }
        for (Parameter p : space.parameters()) {
            header.add(p.name());
        }
        return header;
    }

    private static List<String> row(SearchSpace space, TrialResult r, boolean regression) {
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
        row.add(r.stopReason());
        row.add(r.error() == null ? "" : r.error());
        TrialResult.Placement where = r.placement();
        row.add(where.attempts() == 0 ? "" : String.valueOf(where.attempts()));
        row.add(where.executorId() == null ? "" : where.executorId());
        row.add(where.host() == null ? "" : where.host());
        if (regression) {
            row.add(num(r.valMae()));
            row.add(num(r.valR2()));
        }
        for (Parameter p : space.parameters()) {
            Object v = r.params().get(p.name());
            row.add(v == null ? "" : String.valueOf(v));
        }
        return row;
    }

    static String num(double v) {
        return Double.isNaN(v) ? "" : String.valueOf(v);
    }
}
