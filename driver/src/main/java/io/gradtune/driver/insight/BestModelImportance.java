package io.gradtune.driver.insight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradtune.driver.refit.RefitPlan;
import io.gradtune.driver.report.AtomicFiles;
import io.gradtune.worker.data.FittedPreprocessing;
import io.gradtune.worker.data.PreparedData;
import io.gradtune.worker.data.Scaling;
import io.gradtune.worker.data.Table;
import io.gradtune.worker.model.HyperParameters;
import io.gradtune.worker.model.Networks;
import io.gradtune.worker.model.TrainableNetwork;
import io.gradtune.worker.protocol.FineTuneSpec;
import io.gradtune.worker.protocol.Preprocessing;
import io.gradtune.worker.protocol.ReportJson;
import io.gradtune.worker.train.Evaluation;
import io.gradtune.worker.train.TrialRunner;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Feature importance of the study's best model: {@link PermutationImportance} on the validation split, study.json's
 * {@value #KEY}.
 *
 * <p>Which model: the best trial's own network, i.e. its configuration retrained on the training part alone with its
 * seed for its best epoch count (the workers' loop is deterministic for a seed, so this is the network whose validation
 * figure won). Not the refit in best-model.zip: it trained on train + validation, so the validation rows are training
 * rows to it and shuffling them measures what it memorized, not what it generalizes from; and the test part is scored
 * once, by the refit, and stays untouched. The price is one more training of the winner, on fewer rows than the
 * refit's. The validation split did pick the winner, so the baseline is slightly optimistic; the drops, which compare
 * the same model on the same rows, are not.
 *
 * <p>Score: validation accuracy (a regression's: R², on the original scale). {@value #REPEATS} shuffles per feature,
 * seeded with the trial's seed; many features are grouped ({@link FeatureGroups}).
 */
public final class BestModelImportance {

    public static final String KEY = "feature_importance";
    public static final int REPEATS = 5;

    /**
     * @param trialId  the trial whose network was scored
     * @param metric   val_accuracy or val_r2
     * @param baseline the unshuffled score on the validation split
     * @param features the input features; {@code entries} has one per group when grouped
     * @param grouped  whether features were shuffled in groups
     * @param entries  largest mean drop first
     */
    public record Result(String trialId, String metric, double baseline, int repeats, int features, boolean grouped,
                         List<PermutationImportance.Entry> entries) {

        /** study.json's {@value #KEY} section. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", "permutation importance on the validation split (" + repeats + " seeded shuffles per "
                    + (grouped ? "feature group" : "feature") + "), of the best trial's network retrained on the "
                    + "training part");
            m.put("trial", trialId);
            m.put("metric", metric);
            m.put("baseline", baseline);
            m.put("repeats", repeats);
            m.put("features", features);
            m.put("grouped", grouped);
            List<Map<String, Object>> list = new ArrayList<>();
            for (PermutationImportance.Entry e : entries) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("feature", e.feature());
                o.put("mean_drop", e.meanDrop());
                o.put("std", e.std());
                if (grouped) {
                    o.put("columns", e.columns());
                }
                list.add(o);
            }
            m.put("values", list);
            return m;
        }
    }

    private BestModelImportance() {
    }

    /**
     * Retrains {@code plan}'s trial on {@code train} and scores its features on {@code validation} (both unscaled).
     *
     * @param defaultScaling the data section's scaling (the trial's own {@code scaling} parameter wins)
     * @param modelClass     the study's model class, or null
     * @param fineTune       the study's fine-tuning, or null
     */
    public static Result compute(RefitPlan plan, Table train, Table validation, String defaultScaling,
                                 String modelClass, FineTuneSpec fineTune, int repeats, BooleanSupplier stop) {
        return compute(plan, train, validation, defaultScaling, modelClass, fineTune, null, repeats, stop);
    }

    /**
     * As {@link #compute(RefitPlan, Table, Table, String, String, FineTuneSpec, int, BooleanSupplier)}, with the
     * study's data cleaning ({@code data.missing}, {@code data.outliers}) fitted on {@code train} as the trial's was.
     *
     * @param cleaning the data section's cleaning and PCA (the trial's own parameters win), or null for none
     * @throws UnsupportedOperationException when PCA or missing-value indicators make the network's inputs other
     *                                       than the data's features (not supported yet)
     */
    public static Result compute(RefitPlan plan, Table train, Table validation, String defaultScaling,
                                 String modelClass, FineTuneSpec fineTune, Preprocessing cleaning, int repeats,
                                 BooleanSupplier stop) {
        HyperParameters h = Networks.trainingParameters(plan.params(), modelClass, fineTune);
        Preprocessing prep = (cleaning == null ? Preprocessing.NONE : cleaning).with(plan.params());
        if (prep.pcaComponents() > 0 || (prep.missingIndicators() && !"drop".equals(prep.missing()))) {
            throw new UnsupportedOperationException("feature importance is not supported yet with pca_components or "
                    + "missing_indicators: the network's inputs are not the data's features");
        }
        PreparedData data = FittedPreprocessing.prepare(prep,
                Scaling.parse(h.scaling() != null ? h.scaling() : defaultScaling), train, validation);
        double[] rates = plan.rates().stream().mapToDouble(Double::doubleValue).toArray();
        try (TrainableNetwork net = TrialRunner.train(modelClass, fineTune, plan.params(), h, data,
                Math.max(1, plan.epochs()), plan.seed(), rates, stop)) {
            return of(plan.trialId(), net, data, train.featureNames(), repeats, plan.seed());
        }
    }

    /** The importance of a trained network's features on {@code data}'s validation split. */
    static Result of(String trialId, TrainableNetwork net, PreparedData data, List<String> names, int repeats,
                     long seed) {
        String output = net.layers().get(net.layers().size() - 1).key();
        ToDoubleFunction<INDArray> score = x -> {
            try (TrainableNetwork.Activations pass = net.inferencePass(x)) {
                INDArray out = pass.byKey().get(output);
                if (data.regression()) {
                    PreparedData.Target t = data.target();
                    return Evaluation.regression(out, t.valTargets(), t.mean(), t.std(), Double.NaN).valR2();
                }
                return Evaluation.classification(out, data.valLabels(), data.numClasses(), Double.NaN).valAccuracy();
            }
        };
        List<FeatureGroups.Group> groups = FeatureGroups.of(names);
        List<PermutationImportance.Entry> entries = PermutationImportance.compute(data.valX(), groups, score, repeats,
                seed);
        return new Result(trialId, data.regression() ? "val_r2" : "val_accuracy", score.applyAsDouble(data.valX()),
                repeats, names.size(), groups.size() < names.size(), entries);
    }

    /** Sets study.json's {@value #KEY} to {@code result}'s (if study.json exists). */
    public static void updateStudyJson(Path runDir, Result result) {
        Path json = runDir.resolve("study.json");
        if (!Files.isRegularFile(json)) {
            return;
        }
        try {
            JsonNode root = LearningCurve.JSON.readTree(json.toFile());
            if (root instanceof ObjectNode o) {
                o.set(KEY, LearningCurve.JSON.readTree(ReportJson.line(result.toMap())));
                AtomicFiles.write(json, ReportJson.pretty(o) + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update " + json, e);
        }
    }
}
