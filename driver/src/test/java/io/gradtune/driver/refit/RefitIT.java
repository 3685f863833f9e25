package io.gradtune.driver.refit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.driver.testing.Cli;
import io.gradtune.driver.testing.DigitsStudy;
import io.gradtune.worker.data.DataLoader;
import io.gradtune.worker.data.StratifiedSplit;
import io.gradtune.worker.data.Table;
import io.gradtune.worker.train.Evaluation;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The refit end to end on the digits study: a real run (Spark local[2], embedded Kafka, DL4J) ends with
 * best-model.zip, best-config.yaml and a test figure in study.json; the zip, restored with DL4J's own
 * {@code ModelSerializer} and its normalizer applied to the raw test rows, reproduces the figure exactly;
 * {@code validate} accepts the best config; {@code refit RUN_DIR} gives the same figure again; {@code predict} writes
 * one row per input row, and refuses a model or data it cannot use with exit code 2.
 */
class RefitIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void studyEndsWithAReloadableBestModelAndItsTestFigure() throws Exception {
        Path cfg = DigitsStudy.named("refit-it").trials(3).epochs(4).write(dir);
        Path runs = dir.resolve("runs");
        Cli run = Cli.run("run", cfg.toString(), "--output", runs.toString());
        assertEquals(0, run.code(), run.out() + run.err());
        Path runDir = runs.resolve("refit-it");
        Path zip = runDir.resolve("best-model.zip");
        assertTrue(Files.isRegularFile(zip), run.out());
        assertTrue(Files.isRegularFile(runDir.resolve("best-config.yaml")), run.out());

        JsonNode summary = JSON.readTree(runDir.resolve("study.json").toFile());
        JsonNode test = summary.path("test");
        StudyConfig config = StudyConfigLoader.load(cfg);
        StratifiedSplit.Parts parts = DataLoader.readAndSplit(config.data());
        Table testRows = parts.test();
        assertEquals(testRows.rows(), test.path("rows").asInt(), test.toString());
        assertEquals(parts.train().rows() + parts.validation().rows(), test.path("train_rows").asInt());
        double accuracy = test.path("test_accuracy").asDouble();
        double loss = test.path("test_loss").asDouble();
        assertTrue(accuracy > 0.8, "test accuracy " + accuracy);
        String leaderboard = Files.readString(runDir.resolve("leaderboard.txt"));
        assertTrue(leaderboard.contains("test: accuracy "), leaderboard);
        assertTrue(run.out().contains("test: accuracy "), run.out());
        String best = summary.path("leaderboard").isArray() && summary.path("leaderboard").size() > 0
                ? summary.path("leaderboard").get(0).path("trial").asText(null) : null;
        if (best != null) {
            assertEquals(best, test.path("trial").asText());
        }

        // Portable: DL4J's own classes only, restored by DL4J's own ModelSerializer; the same figure, bit for bit.
        try (ZipFile z = new ZipFile(zip.toFile())) {
            String conf = new String(z.getInputStream(z.getEntry("configuration.json")).readAllBytes());
            assertFalse(conf.contains("io.gradtune"), conf);
        }
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(zip.toFile());
        DataNormalization normalizer = ModelSerializer.restoreNormalizerFromFile(zip.toFile());
        assertInstanceOf(NormalizerStandardize.class, normalizer);
        INDArray x = Nd4j.create(testRows.features(), new long[]{testRows.rows(), testRows.columns()}, DataType.FLOAT);
        normalizer.transform(x);
        Evaluation e = Evaluation.classification(restored.output(x, false), testRows.labels(), 10, Double.NaN);
        assertEquals(accuracy, e.valAccuracy(), 0.0);
        assertEquals(loss, e.valLoss(), 0.0);

        // The best config is a runnable study config.
        Cli validate = Cli.run("validate", runDir.resolve("best-config.yaml").toString());
        assertEquals(0, validate.code(), validate.out() + validate.err());
        assertTrue(validate.out().contains("1 trials"), validate.out());

        // refit RUN_DIR: the same plan, data and seed give the same figure.
        Cli refit = Cli.run("refit", runDir.toString());
        assertEquals(0, refit.code(), refit.out() + refit.err());
        JsonNode again = JSON.readTree(runDir.resolve("study.json").toFile()).path("test");
        assertEquals(accuracy, again.path("test_accuracy").asDouble(), 0.0, refit.out());
        assertEquals(loss, again.path("test_loss").asDouble(), 0.0, refit.out());

        // predict: one row per input row; the label column, present, gives the accuracy.
        Path digits = Path.of(config.data().path());
        Path preds = dir.resolve("preds.csv");
        Cli predict = Cli.run("predict", zip.toString(), digits.toString(), "--output", preds.toString());
        assertEquals(0, predict.code(), predict.out() + predict.err());
        List<String> lines = Files.readAllLines(preds);
        List<String> input = Files.readAllLines(digits);
        assertEquals(input.size(), lines.size());
        assertTrue(lines.get(0).startsWith("predicted,p_0,"), lines.get(0));
        assertTrue(predict.out().contains("accuracy "), predict.out());

        // Without the label column: still one row per input row.
        Path unlabelled = dir.resolve("unlabelled.csv");
        int label = List.of(input.get(0).split(",")).indexOf("label");
        StringBuilder u = new StringBuilder();
        for (String line : input.subList(0, 11)) {
            List<String> cells = new java.util.ArrayList<>(List.of(line.split(",", -1)));
            cells.remove(label);
            u.append(String.join(",", cells)).append('\n');
        }
        Files.writeString(unlabelled, u.toString());
        Cli plain = Cli.run("predict", zip.toString(), unlabelled.toString());
        assertEquals(0, plain.code(), plain.err());
        assertEquals(11, plain.out().strip().split("\n").length, plain.out());

        // Bad input: a feature missing (both sizes named), a model that is not there, a run dir that is not one.
        StringBuilder narrow = new StringBuilder();
        for (String line : input.subList(0, 5)) {
            narrow.append(line.substring(line.indexOf(',') + 1)).append('\n');
        }
        Path narrowFile = dir.resolve("narrow.csv");
        Files.writeString(narrowFile, narrow.toString());
        Cli mismatch = Cli.run("predict", zip.toString(), narrowFile.toString());
        assertEquals(2, mismatch.code(), mismatch.err());
        assertTrue(mismatch.err().contains("63 feature columns") && mismatch.err().contains("takes 64 inputs"),
                mismatch.err());
        Cli missing = Cli.run("predict", dir.resolve("nope.zip").toString(), digits.toString());
        assertEquals(2, missing.code(), missing.err());
        assertTrue(missing.err().contains("nope.zip: model file not found"), missing.err());
        Cli notRun = Cli.run("refit", dir.toString());
        assertEquals(2, notRun.code(), notRun.err());
        assertTrue(notRun.err().contains("not a run directory"), notRun.err());

        // A driver killed during its refit: the journal ends at refit_planned. resume trains no trial again, refits.
        Path journal = runDir.resolve("journal.jsonl");
        List<String> events = Files.readAllLines(journal);
        int planned = -1;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).contains("\"event\":\"refit_planned\"")) {
                planned = i;
                break;
            }
        }
        assertTrue(planned > 0, String.join("\n", events));
        Files.write(journal, events.subList(0, planned + 1));
        Files.delete(zip);
        Cli resume = Cli.run("resume", runDir.toString());
        assertEquals(0, resume.code(), resume.out() + resume.err());
        assertTrue(resume.out().contains("0 to run again"), resume.out());
        assertFalse(resume.out().contains("COMPLETED"), "no trial trains again: " + resume.out());
        assertTrue(Files.isRegularFile(zip), resume.out());
        JsonNode resumed = JSON.readTree(runDir.resolve("study.json").toFile()).path("test");
        assertEquals(accuracy, resumed.path("test_accuracy").asDouble(), 0.0, resume.out());
        Cli finished = Cli.run("resume", runDir.toString());
        assertTrue(finished.out().contains("nothing to resume"), finished.out());
    }

    /**
     * {@code refit.mode: spark}: the best trial retrained data-parallel with dl4j-spark over the study's own Spark
     * application (local[2], two workers); the saved model reproduces its recorded test figure, which is well above
     * chance; {@code refit RUN_DIR} runs the same mode in an application of its own.
     */
    @Test
    void dataParallelRefitOverTheStudysExecutors() throws Exception {
        String yaml = DigitsStudy.named("refit-spark-it").trials(2).epochs(4).yaml()
                + "refit: {mode: spark, workers: 2, averaging_frequency: 5}\n";
        Path cfg = Files.writeString(dir.resolve("refit-spark-it.yaml"), yaml);
        Path runs = dir.resolve("runs");
        Cli run = Cli.run("run", cfg.toString(), "--output", runs.toString());
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("data-parallel over the executors"), run.out());
        Path runDir = runs.resolve("refit-spark-it");
        Path zip = runDir.resolve("best-model.zip");
        assertTrue(Files.isRegularFile(zip), run.out());
        JsonNode test = JSON.readTree(runDir.resolve("study.json").toFile()).path("test");
        double accuracy = test.path("test_accuracy").asDouble();
        assertTrue(accuracy > 0.8, "test accuracy " + accuracy + " (chance 0.1)");

        StudyConfig config = StudyConfigLoader.load(cfg);
        Table testRows = DataLoader.readAndSplit(config.data()).test();
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(zip.toFile());
        DataNormalization normalizer = ModelSerializer.restoreNormalizerFromFile(zip.toFile());
        INDArray x = Nd4j.create(testRows.features(), new long[]{testRows.rows(), testRows.columns()}, DataType.FLOAT);
        normalizer.transform(x);
        Evaluation e = Evaluation.classification(restored.output(x, false), testRows.labels(), 10, Double.NaN);
        assertEquals(accuracy, e.valAccuracy(), 0.0);

        Cli refit = Cli.run("refit", runDir.toString());
        assertEquals(0, refit.code(), refit.out() + refit.err());
        double again = JSON.readTree(runDir.resolve("study.json").toFile()).path("test").path("test_accuracy")
                .asDouble();
        assertTrue(again > 0.8, "test accuracy after refit RUN_DIR " + again);
    }

    /** A small regression study on the Friedman #1 data (RegressionStudyIT's), with {@code extra} appended. */
    private Path regressionStudy(String name, String extra) throws Exception {
        Path data = Path.of("../data/friedman1.csv").toAbsolutePath().normalize();
        return Files.writeString(dir.resolve(name + ".yaml"), """
                study: %s
                objective: {metric: val_r2}
                data: {source: %s, task: regression, label_column: y, split: {train: 0.6, validation: 0.2}, seed: 0}
                search: {algorithm: random, max_trials: 2, seed: 7}
                space:
                  learning_rate: {type: float, low: 5.0e-3, high: 2.0e-2, log: true}
                  units: {type: int, low: 24, high: 64, log: true}
                training: {epochs: 6, batch_size: 32, optimizer: adam, layers: 1, activation: tanh}
                early_stopping: {asha: false, median: false}
                spark: {master: "local[2]"}
                """.formatted(name, data) + extra);
    }

    /**
     * A regression study ends with a test figure (MSE, MAE, R² on the target's original scale) and a best model whose
     * zip keeps the target's standardization: restored by DL4J's {@code ModelSerializer}, its normalizer and the
     * description's mean and deviation applied, it reproduces the figure exactly; {@code refit RUN_DIR} gives the same
     * figure; the best config validates; {@code predict} writes one {@code predicted} number per row and, with the
     * target column there, the MSE, MAE and R².
     */
    @Test
    void regressionStudyEndsWithAReloadableModelAndItsTestFigure() throws Exception {
        Path cfg = regressionStudy("refit-reg-it", "");
        Path runs = dir.resolve("runs");
        Cli run = Cli.run("run", cfg.toString(), "--output", runs.toString());
        assertEquals(0, run.code(), run.out() + run.err());
        Path runDir = runs.resolve("refit-reg-it");
        Path zip = runDir.resolve("best-model.zip");
        assertTrue(Files.isRegularFile(zip), run.out());
        assertTrue(run.out().contains("test: mse "), run.out());
        assertTrue(Files.readString(runDir.resolve("leaderboard.txt")).contains("test: mse "));

        JsonNode test = JSON.readTree(runDir.resolve("study.json").toFile()).path("test");
        assertEquals("regression", test.path("task").asText(), test.toString());
        double mse = test.path("test_mse").asDouble();
        double mae = test.path("test_mae").asDouble();
        double r2 = test.path("test_r2").asDouble();
        assertTrue(r2 > 0.5, "test r2 " + r2);
        assertTrue(test.path("val_r2").isNumber(), test.toString());
        assertFalse(test.has("test_accuracy"), test.toString());
        StudyConfig config = StudyConfigLoader.load(cfg);
        StratifiedSplit.Parts parts = DataLoader.readAndSplit(config.data());
        Table testRows = parts.test();
        assertEquals(testRows.rows(), test.path("rows").asInt());

        // DL4J alone, plus the description's target scale: the recorded figure, bit for bit.
        JsonNode meta;
        try (ZipFile z = new ZipFile(zip.toFile())) {
            meta = JSON.readTree(z.getInputStream(z.getEntry("gradtune.json")));
        }
        assertEquals("regression", meta.path("task").asText(), meta.toString());
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(zip.toFile());
        DataNormalization normalizer = ModelSerializer.restoreNormalizerFromFile(zip.toFile());
        INDArray x = Nd4j.create(testRows.features(), new long[]{testRows.rows(), testRows.columns()}, DataType.FLOAT);
        normalizer.transform(x);
        Evaluation e = Evaluation.regression(restored.output(x, false), testRows.targets(),
                meta.path("target_mean").asDouble(), meta.path("target_std").asDouble(), Double.NaN);
        assertEquals(mse, e.valLoss(), 0.0);
        assertEquals(mae, e.valMae(), 0.0);
        assertEquals(r2, e.valR2(), 0.0);

        Cli validate = Cli.run("validate", runDir.resolve("best-config.yaml").toString());
        assertEquals(0, validate.code(), validate.out() + validate.err());

        Cli refit = Cli.run("refit", runDir.toString());
        assertEquals(0, refit.code(), refit.out() + refit.err());
        JsonNode again = JSON.readTree(runDir.resolve("study.json").toFile()).path("test");
        assertEquals(mse, again.path("test_mse").asDouble(), 0.0, refit.out());
        assertEquals(r2, again.path("test_r2").asDouble(), 0.0, refit.out());

        Path friedman = Path.of(config.data().path());
        Path preds = dir.resolve("reg-preds.csv");
        Cli predict = Cli.run("predict", zip.toString(), friedman.toString(), "--output", preds.toString());
        assertEquals(0, predict.code(), predict.out() + predict.err());
        List<String> lines = Files.readAllLines(preds);
        assertEquals(Files.readAllLines(friedman).size(), lines.size());
        assertEquals("predicted", lines.get(0));
        Double.parseDouble(lines.get(1));
        assertTrue(predict.out().contains("mse ") && predict.out().contains("r2 "), predict.out());
    }

    /**
     * {@code refit.mode: spark} on a regression: dl4j-spark trains the identity/MSE network on the standardized
     * targets; the figure is on the original scale, above chance (R² 0), and the zip reproduces it.
     */
    @Test
    void dataParallelRegressionRefit() throws Exception {
        Path cfg = regressionStudy("refit-reg-spark-it", "refit: {mode: spark, workers: 2, averaging_frequency: 5}\n");
        Path runs = dir.resolve("runs");
        Cli run = Cli.run("run", cfg.toString(), "--output", runs.toString());
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("data-parallel over the executors"), run.out());
        Path runDir = runs.resolve("refit-reg-spark-it");
        JsonNode test = JSON.readTree(runDir.resolve("study.json").toFile()).path("test");
        double r2 = test.path("test_r2").asDouble();
        assertTrue(r2 > 0.3, "test r2 " + r2 + " " + test);
        SavedModel saved = SavedModel.load(runDir.resolve("best-model.zip"));
        Table testRows = DataLoader.readAndSplit(StudyConfigLoader.load(cfg).data()).test();
        assertEquals(r2, Refit.scoreRegression(saved, testRows).valR2(), 0.0);
    }
}
