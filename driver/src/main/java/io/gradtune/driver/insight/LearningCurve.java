package io.gradtune.driver.insight;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradtune.driver.refit.RefitPlan;
import io.gradtune.worker.data.SharedData;
import io.gradtune.worker.data.Table;
import io.gradtune.worker.protocol.Preprocessing;
import io.gradtune.worker.protocol.ReportJson;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * "Would more data help?": the best trial's configuration trained on growing, nested, stratified fractions of the
 * training part ({@link NestedSubsets}), one Spark task per fraction, all in one Spark job so they run side by side on
 * the free task slots; per fraction and epoch the training and validation loss and accuracy ({@link CurveTrainer}),
 * and the verdicts of {@link CurveVerdict}. Written to {@value #FILE} in the run directory.
 */
public final class LearningCurve {

    public static final String FILE = "learning-curve.json";
    public static final double[] DEFAULT_FRACTIONS = {0.1, 0.25, 0.5, 0.75, 1.0};

    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param trialId        the trial whose configuration was trained
     * @param epochs         epochs per fraction
     * @param seed           the subsets' seed
     * @param validationRows rows of the validation split every fraction is scored on
     * @param curves         by fraction, ascending
     */
    public record Result(String trialId, int epochs, long seed, int trainRows, int validationRows,
                         List<FractionCurve> curves, CurveVerdict.Verdict verdict) {
    }

    private LearningCurve() {
    }

    /**
     * The fractions of a {@code --fractions} value: comma-separated numbers, each in (0, 1], at least two distinct;
     * returned ascending without repeats.
     *
     * @throws IllegalArgumentException naming the value and the allowed range
     */
    public static double[] parseFractions(String text) {
        TreeSet<Double> set = new TreeSet<>();
        for (String part : text.split(",")) {
            double f;
            try {
                f = Double.parseDouble(part.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + part.trim() + "' is not a number; give fractions of the "
                        + "training part in (0, 1], e.g. 0.1,0.25,0.5,0.75,1.0");
            }
            if (!(f > 0 && f <= 1)) {
                throw new IllegalArgumentException(part.trim() + " is outside (0, 1]; give fractions of the training "
                        + "part in (0, 1], e.g. 0.1,0.25,0.5,0.75,1.0");
            }
            set.add(f);
        }
        if (set.size() < 2) {
            throw new IllegalArgumentException("'" + text + "' has fewer than two distinct fractions; a curve needs at "
                    + "least two, e.g. 0.5,1.0");
        }
        return set.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** One job per fraction (ascending), each the plan's configuration on that fraction's nested subset. */
    public static List<CurveJob> jobs(RefitPlan plan, Table train, double[] fractions, long seed, int epochs,
                                      String modelClass, String scaling) {
        return jobs(plan, train, fractions, seed, epochs, modelClass, scaling, null);
    }

    /** As {@link #jobs(RefitPlan, Table, double[], long, int, String, String)}, with the study's data cleaning. */
    public static List<CurveJob> jobs(RefitPlan plan, Table train, double[] fractions, long seed, int epochs,
                                      String modelClass, String scaling, Preprocessing cleaning) {
        int[][] subsets = NestedSubsets.of(train.labels(), fractions, seed);
        double[] rates = plan.rates().stream().mapToDouble(Double::doubleValue).toArray();
        List<CurveJob> jobs = new ArrayList<>();
        for (int k = 0; k < fractions.length; k++) {
            jobs.add(new CurveJob(fractions[k], subsets[k], new LinkedHashMap<>(plan.params()), modelClass, scaling,
                    epochs, plan.seed(), rates, cleaning));
        }
        return jobs;
    }

    /**
     * Trains the jobs as one Spark job of one task per fraction (the largest first, so the longest task starts first)
     * on {@code data}, broadcast for it; the curves by fraction, ascending.
     */
    public static List<FractionCurve> runOnSpark(JavaSparkContext sc, SharedData data, List<CurveJob> jobs) {
        List<String> specs = new ArrayList<>();
        jobs.stream().sorted(Comparator.comparingDouble(CurveJob::fraction).reversed()).forEach(j -> {
            try {
                specs.add(JSON.writeValueAsString(j));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        });
        Broadcast<SharedData> shared = sc.broadcast(data);
        try {
            sc.setJobDescription("gradtune learning curve: " + jobs.size() + " fractions");
            List<String> out = sc.parallelize(specs, specs.size()).map(new CurveTask(shared)).collect();
            List<FractionCurve> curves = new ArrayList<>();
            for (String s : out) {
                curves.add(JSON.readValue(s, FractionCurve.class));
            }
            curves.sort(Comparator.comparingDouble(FractionCurve::fraction));
            return curves;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        } finally {
            shared.destroy();
        }
    }

    /** The run directory's {@value #FILE}: settings, per fraction the summary and every epoch, the verdicts. */
    public static String toJson(Result r) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("trial", r.trialId());
        root.put("epochs", r.epochs());
        root.put("seed", r.seed());
        root.put("train_rows", r.trainRows());
        root.put("validation_rows", r.validationRows());
        root.put("metric", "val_accuracy");
        List<Map<String, Object>> fractions = new ArrayList<>();
        for (FractionCurve c : r.curves()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("fraction", c.fraction());
            f.put("rows", c.rows());
            FractionCurve.Point last = c.last();
            FractionCurve.Point best = c.bestByAccuracy();
            f.put("final_val_accuracy", last.valAccuracy());
            f.put("final_val_loss", last.valLoss());
            f.put("best_val_accuracy", best.valAccuracy());
            f.put("best_epoch", best.epoch());
            f.put("best_val_loss", c.bestValLoss());
            f.put("final_train_accuracy", last.trainAccuracy());
            f.put("final_train_loss", last.trainLoss());
            f.put("seconds", c.seconds());
            f.put("epochs", c.epochs());
            fractions.add(f);
        }
        root.put("fractions", fractions);
        CurveVerdict.Verdict v = r.verdict();
        Map<String, Object> verdict = new LinkedHashMap<>();
        verdict.put("data", v.data());
        verdict.put("last_step_gain", v.gain());
        verdict.put("noise_threshold", v.threshold());
        verdict.put("fit", v.fit());
        verdict.put("train_val_gap", v.gap());
        verdict.put("data_text", v.dataText());
        verdict.put("fit_text", v.fitText());
        root.put("verdict", verdict);
        return ReportJson.pretty(root) + "\n";
    }

    /** The console's table and verdicts. */
    public static String render(Result r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "learning curve of %s (%d epochs per fraction, %d training rows, %d "
                + "validation rows):%n", r.trialId(), r.epochs(), r.trainRows(), r.validationRows()));
        b.append(String.format(Locale.ROOT, "%-9s %6s %10s %9s %10s %9s %10s %10s %7s%n", "fraction", "rows",
                "best_val", "at_epoch", "final_val", "val_loss", "train_acc", "train_loss", "seconds"));
        for (FractionCurve c : r.curves()) {
            FractionCurve.Point last = c.last();
            FractionCurve.Point best = c.bestByAccuracy();
            b.append(String.format(Locale.ROOT, "%-9s %6d %10.4f %9d %10.4f %9.4f %10.4f %10.4f %7.1f%n",
                    CurveVerdict.percent(c.fraction()), c.rows(), best.valAccuracy(), best.epoch(), last.valAccuracy(),
                    last.valLoss(), last.trainAccuracy(), last.trainLoss(), c.seconds()));
        }
        b.append("verdict: ").append(r.verdict().dataText()).append('\n');
        b.append("fit: ").append(r.verdict().fitText()).append('\n');
        return b.toString();
    }
}
