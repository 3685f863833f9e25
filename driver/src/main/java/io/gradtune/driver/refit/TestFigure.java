package io.gradtune.driver.refit;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The refit's one score on the held-out test part, with what it was trained on and the trial's validation figure to
 * compare it with: the {@code test} section of study.json and the journal's {@code refit_finished} event.
 *
 * <p>A classification's figure is accuracy and cross-entropy; a regression's ({@link #regression}) is the mean
 * squared error (held in {@code testLoss} and {@code valLoss}), mean absolute error and R², all on the target's
 * original scale, written as {@code test_mse}, {@code test_mae}, {@code test_r2} (and {@code val_mse}, ...).
 *
 * @param trialId      the refitted trial
 * @param epochs       epochs trained (the trial's best epoch)
 * @param trainRows    rows trained on (train + validation)
 * @param testRows     rows scored (0: the data has no test part, and the figures are NaN)
 * @param testAccuracy fraction of test rows whose most probable class is their label (regression: NaN)
 * @param testLoss     mean cross-entropy on the test rows (regression: the mean squared error)
 * @param valAccuracy  the trial's validation accuracy at its best epoch (regression: NaN)
 * @param valLoss      the trial's validation loss at its best epoch (regression: the mean squared error)
 * @param seconds      wall time of the refit: scaling, training, export and scoring
 * @param model        the saved model's file name in the run directory
 * @param regression   whether this is a regression's figure
 * @param testMae      regression: mean absolute error on the test rows; NaN for a classification
 * @param testR2       regression: R² on the test rows (against their own mean); NaN for a classification
 * @param valMae       regression: the trial's validation mean absolute error at its best epoch
 * @param valR2        regression: the trial's validation R² at its best epoch
 */
public record TestFigure(String trialId, int epochs, int trainRows, int testRows, double testAccuracy,
                         double testLoss, double valAccuracy, double valLoss, double seconds, String model,
                         boolean regression, double testMae, double testR2, double valMae, double valR2) {

    public static final String MODEL_FILE = "best-model.zip";
    public static final String CONFIG_FILE = "best-config.yaml";

    /** A classification's figure. */
    public TestFigure(String trialId, int epochs, int trainRows, int testRows, double testAccuracy, double testLoss,
                      double valAccuracy, double valLoss, double seconds, String model) {
        this(trialId, epochs, trainRows, testRows, testAccuracy, testLoss, valAccuracy, valLoss, seconds, model, false,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /** A regression's figure: test and validation mean squared error, mean absolute error and R². */
    public static TestFigure regression(String trialId, int epochs, int trainRows, int testRows, double testMse,
                                        double testMae, double testR2, double valMse, double valMae, double valR2,
                                        double seconds, String model) {
        return new TestFigure(trialId, epochs, trainRows, testRows, Double.NaN, testMse, Double.NaN, valMse, seconds,
                model, true, testMae, testR2, valMae, valR2);
    }

    /** As study.json's {@code test} section (non-finite figures become null there). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trial", trialId);
        m.put("epochs", epochs);
        m.put("train_rows", trainRows);
        m.put("rows", testRows);
        if (regression) {
            m.put("task", "regression");
            m.put("test_mse", testLoss);
            m.put("test_mae", testMae);
            m.put("test_r2", testR2);
            m.put("val_mse", valLoss);
            m.put("val_mae", valMae);
            m.put("val_r2", valR2);
        } else {
            m.put("test_accuracy", testAccuracy);
            m.put("test_loss", testLoss);
            m.put("val_accuracy", valAccuracy);
            m.put("val_loss", valLoss);
        }
        m.put("seconds", seconds);
        m.put("model", model);
        m.put("config", CONFIG_FILE);
        return m;
    }

    /** A figure read back from study.json's {@code test} section or a {@code refit_finished} event. */
    public static TestFigure fromJson(JsonNode n) {
        if (n.path("task").asText("").equals("regression")) {
            return regression(n.path("trial").asText(), n.path("epochs").asInt(), n.path("train_rows").asInt(),
                    n.path("rows").asInt(), num(n.path("test_mse")), num(n.path("test_mae")), num(n.path("test_r2")),
                    num(n.path("val_mse")), num(n.path("val_mae")), num(n.path("val_r2")), num(n.path("seconds")),
                    n.path("model").asText(MODEL_FILE));
        }
        return new TestFigure(n.path("trial").asText(), n.path("epochs").asInt(), n.path("train_rows").asInt(),
                n.path("rows").asInt(), num(n.path("test_accuracy")), num(n.path("test_loss")),
                num(n.path("val_accuracy")), num(n.path("val_loss")), num(n.path("seconds")),
                n.path("model").asText(MODEL_FILE));
    }

    private static double num(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    /** The test figure in a few words: "accuracy 0.9512" or "R² 0.8123, MSE 2.31". */
    public String brief() {
        return regression ? String.format(Locale.ROOT, "R² %.4f, MSE %.4g", testR2, testLoss)
                : String.format(Locale.ROOT, "accuracy %.4f", testAccuracy);
    }

    /** One line for the leaderboard and the console. */
    public String line() {
        if (testRows == 0) {
            return String.format(Locale.ROOT, "test: none (the data has no held-out test part); %s refitted on %d "
                    + "rows for %d epochs, saved in %s", trialId, trainRows, epochs, model);
        }
        if (regression) {
            return String.format(Locale.ROOT, "test: mse %.4g, mae %.4g, r2 %.4f on %d held-out rows (%s refitted on "
                            + "train + validation, %d rows, %d epochs, %.1f s; its validation mse %.4g, mae %.4g, "
                            + "r2 %.4f); model in %s", testLoss, testMae, testR2, testRows, trialId, trainRows, epochs,
                    seconds, valLoss, valMae, valR2, model);
        }
        return String.format(Locale.ROOT, "test: accuracy %.4f, loss %.4f on %d held-out rows (%s refitted on "
                        + "train + validation, %d rows, %d epochs, %.1f s; its validation accuracy %.4f, loss %.4f); "
                        + "model in %s", testAccuracy, testLoss, testRows, trialId, trainRows, epochs, seconds,
                valAccuracy, valLoss, model);
    }
}
