package io.gradtune.driver.refit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradtune.driver.study.TrialResult;
import io.gradtune.worker.protocol.EpochMetrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the refit trains: the study's best trial (the leaderboard's first), its parameters and seed, and its best
 * epoch count (the epoch of its best objective value). Journaled ({@code refit_planned}) when a study ends normally,
 * so {@code gradtune refit RUN_DIR} can train it again from the run directory alone.
 *
 * @param trialId     the best trial
 * @param number      its number in the study
 * @param params      its parameters, as journaled
 * @param seed        its seed: initial weights and mini-batch order
 * @param epochs      its best epoch: the refit trains this many epochs
 * @param metric      the study's objective metric
 * @param objective   the trial's objective value at that epoch
 * @param valAccuracy its validation accuracy at that epoch (the figure to compare the test figure with)
 * @param valLoss     its validation loss at that epoch (a regression's: the mean squared error)
 * @param rates       the learning rate of each of its epochs (index 0 = epoch 1), replayed under reduce-on-plateau
 * @param valMae      a regression's validation mean absolute error at that epoch; NaN for a classification
 * @param valR2       a regression's validation R² at that epoch; NaN for a classification
 */
public record RefitPlan(String trialId, int number, Map<String, Object> params, long seed, int epochs, String metric,
                        double objective, double valAccuracy, double valLoss, List<Double> rates, double valMae,
                        double valR2) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public RefitPlan {
        params = Map.copyOf(params);
        rates = List.copyOf(rates);
    }

    /** A classification's plan (no mean absolute error, no R²). */
    public RefitPlan(String trialId, int number, Map<String, Object> params, long seed, int epochs, String metric,
                     double objective, double valAccuracy, double valLoss, List<Double> rates) {
        this(trialId, number, params, seed, epochs, metric, objective, valAccuracy, valLoss, rates, Double.NaN,
                Double.NaN);
    }

    /** The plan for {@code best}, trained with {@code seed}, from its curve (its epoch records in order). */
    public static RefitPlan of(TrialResult best, long seed, List<EpochMetrics> curve, String metric) {
        List<Double> rates = new ArrayList<>();
        for (EpochMetrics m : curve) {
            rates.add(m.learningRate());
        }
        Map<String, Object> params = JSON.convertValue(best.params(), new TypeReference<>() { });
        return new RefitPlan(best.trialId(), best.number(), params, seed, best.bestEpoch(), metric, best.objective(),
                best.valAccuracy(), best.valLoss(), rates, best.valMae(), best.valR2());
    }

    /** The plan's fields as the journal's {@code refit_planned} event holds them. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trial", trialId);
        m.put("number", number);
        m.put("params", params);
        m.put("seed", seed);
        m.put("epochs", epochs);
        m.put("metric", metric);
        m.put("objective", objective);
        m.put("val_accuracy", valAccuracy);
        m.put("val_loss", valLoss);
        m.put("rates", rates);
        if (Double.isFinite(valMae) || Double.isFinite(valR2)) {
            m.put("val_mae", valMae);
            m.put("val_r2", valR2);
        }
        return m;
    }

    /** A plan read back from a {@code refit_planned} event. */
    public static RefitPlan fromJson(JsonNode e) {
        Map<String, Object> params = JSON.convertValue(e.path("params"), new TypeReference<>() { });
        List<Double> rates = new ArrayList<>();
        e.path("rates").forEach(r -> rates.add(r.isNumber() ? r.asDouble() : Double.NaN));
        return new RefitPlan(e.path("trial").asText(), e.path("number").asInt(), params, e.path("seed").asLong(),
                e.path("epochs").asInt(), e.path("metric").asText(), number(e.path("objective")),
                number(e.path("val_accuracy")), number(e.path("val_loss")), rates, number(e.path("val_mae")),
                number(e.path("val_r2")));
    }

    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    /** The rates as an array for the trainer. */
    double[] rateArray() {
        return rates.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
