package io.gradtune.driver.refit;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The refit's one score on the held-out test part, with what it was trained on and the trial's validation figure to
 * compare it with: the {@code test} section of study.json and the journal's {@code refit_finished} event.
 *
 * @param trialId      the refitted trial
 * @param epochs       epochs trained (the trial's best epoch)
 * @param trainRows    rows trained on (train + validation)
 * @param testRows     rows scored (0: the data has no test part, and the figures are NaN)
 * @param testAccuracy fraction of test rows whose most probable class is their label
 * @param testLoss     mean cross-entropy on the test rows
 * @param valAccuracy  the trial's validation accuracy at its best epoch
 * @param valLoss      the trial's validation loss at its best epoch
 * @param seconds      wall time of the refit: scaling, training, export and scoring
 * @param model        the saved model's file name in the run directory
 */
public record TestFigure(String trialId, int epochs, int trainRows, int testRows, double testAccuracy,
                         double testLoss, double valAccuracy, double valLoss, double seconds, String model) {

    public static final String MODEL_FILE = "best-model.zip";
    public static final String CONFIG_FILE = "best-config.yaml";

    /** As study.json's {@code test} section (non-finite figures become null there). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trial", trialId);
        m.put("epochs", epochs);
        m.put("train_rows", trainRows);
        m.put("rows", testRows);
        m.put("test_accuracy", testAccuracy);
        m.put("test_loss", testLoss);
        m.put("val_accuracy", valAccuracy);
        m.put("val_loss", valLoss);
        m.put("seconds", seconds);
        m.put("model", model);
        m.put("config", CONFIG_FILE);
        return m;
    }

    /** A figure read back from study.json's {@code test} section or a {@code refit_finished} event. */
    public static TestFigure fromJson(JsonNode n) {
        return new TestFigure(n.path("trial").asText(), n.path("epochs").asInt(), n.path("train_rows").asInt(),
                n.path("rows").asInt(), num(n.path("test_accuracy")), num(n.path("test_loss")),
                num(n.path("val_accuracy")), num(n.path("val_loss")), num(n.path("seconds")),
                n.path("model").asText(MODEL_FILE));
    }

    private static double num(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    /** One line for the leaderboard and the console. */
    public String line() {
        if (testRows == 0) {
            return String.format(Locale.ROOT, "test: none (the data has no held-out test part); %s refitted on %d "
                    + "rows for %d epochs, saved in %s", trialId, trainRows, epochs, model);
        }
        return String.format(Locale.ROOT, "test: accuracy %.4f, loss %.4f on %d held-out rows (%s refitted on "
                        + "train + validation, %d rows, %d epochs, %.1f s; its validation accuracy %.4f, loss %.4f); "
                        + "model in %s", testAccuracy, testLoss, testRows, trialId, trainRows, epochs, seconds,
                valAccuracy, valLoss, model);
    }
}
