package io.gradtune.driver.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradtune.driver.api.StudyBuilder;
import io.gradtune.driver.study.TrialResult;
import io.gradtune.driver.study.TrialState;
import io.gradtune.driver.testing.Cli;
import io.gradtune.driver.testing.TestModels;
import io.gradtune.driver.testing.TestData;
import io.gradtune.worker.data.Table;
import io.gradtune.worker.data.UserData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A study whose data comes from a data class ({@code data.class}), for real: {@code gradtune run} with Spark
 * local[2], the embedded Kafka broker and DL4J training of the built-in MLP. Every epoch record streams statistics
 * for each dense and output layer, the refit scores the class's own test split once, {@code refit RUN_DIR} drains the
 * class again only when {@code --data-class} names it, and {@code predict} takes the test examples as a CSV of
 * {@code f0..f3}. A model class on rank-4 images from a data class, built in Java ({@link StudyBuilder#data}), streams
 * its convolution, batch normalization, dense and output layers.
 */
class OwnDataIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aStudyOfADataClassStreamsLayerStatisticsAndEndsWithATestFigure() throws Exception {
        Path cfg = dir.resolve("own.yaml");
        Files.writeString(cfg, """
                study: own-it
                data: {class: %s, seed: 1}
                search: {algorithm: random, max_trials: 2, seed: 5}
                space:
                  learning_rate: {type: float, low: 5.0e-3, high: 2.0e-2, log: true}
                training: {epochs: 3, batch_size: 16, layers: 1, units: 8, activation: tanh, optimizer: adam}
                early_stopping: none
                spark: {master: "local[2]"}
                """.formatted(TestData.Blobs.class.getName()));
        Path runs = dir.resolve("runs");
        Cli run = Cli.run("run", cfg.toString(), "--output", runs.toString());
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("drained from " + TestData.Blobs.class.getName()), run.out());
        Path runDir = runs.resolve("own-it");

        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
            records.add(JSON.readTree(line));
        }
        assertEquals(2 * 3, records.size(), run.out());
        for (JsonNode r : records) {
            List<String> kinds = new ArrayList<>();
            for (JsonNode layer : r.path("layers")) {
                kinds.add(layer.path("kind").asText());
                assertTrue(layer.path("gradL2").asDouble() > 0 && layer.path("updateRatio").asDouble() > 0,
                        layer.toString());
            }
            assertEquals(List.of("dense", "output"), kinds, r.toString());
        }

        JsonNode test = JSON.readTree(runDir.resolve("study.json").toFile()).path("test");
        assertEquals(90, test.path("rows").asInt(), test.toString());
        assertEquals(240 + 90, test.path("train_rows").asInt(), test.toString());
        double accuracy = test.path("test_accuracy").asDouble();
        assertTrue(accuracy > 0.8, "three well separated blobs: " + test);
        JsonNode provenance = JSON.readTree(runDir.resolve("study.json").toFile()).path("provenance").path("data");
        assertEquals("rows", provenance.path("of").asText(), provenance.toString());

        Cli refused = Cli.run("refit", runDir.toString());
        assertEquals(2, refused.code(), refused.out() + refused.err());
        assertTrue(refused.err().contains("--data-class " + TestData.Blobs.class.getName()), refused.err());
        Cli refit = Cli.run("refit", runDir.toString(), "--data-class", TestData.Blobs.class.getName());
        assertEquals(0, refit.code(), refit.out() + refit.err());
        assertEquals(accuracy, JSON.readTree(runDir.resolve("study.json").toFile()).path("test")
                .path("test_accuracy").asDouble(), 0.0, refit.out());

        Table rows = UserData.drain(TestData.Blobs.class.getName(), 1, false, 1_000_000).test();
        StringBuilder csv = new StringBuilder("f0,f1,f2,f3,label\n");
        for (int i = 0; i < rows.rows(); i++) {
            for (int j = 0; j < 4; j++) {
                csv.append(rows.features()[i * 4 + j]).append(',');
            }
            csv.append(rows.labels()[i]).append('\n');
        }
        Path data = Files.writeString(dir.resolve("test.csv"), csv);
        Cli predict = Cli.run("predict", runDir.resolve("best-model.zip").toString(), data.toString(),
                "--output", dir.resolve("pred.csv").toString());
        assertEquals(0, predict.code(), predict.out() + predict.err());
        assertEquals(rows.rows() + 1, Files.readAllLines(dir.resolve("pred.csv")).size());
    }

    @Test
    void aCnnOnRank4ImagesFromADataClassRunsFromJava() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        StudyRunner.Outcome outcome = StudyBuilder.study("own-cnn").model(TestModels.TinyCnn.class)
                .data(TestData.Bands.class).search("random", 2, 7).intParam("filters", 2, 4)
                .floatParam("lr", 5e-3, 2e-2, true).fixed("batch_size", 16).epochs(3).sparkMaster("local[2]")
                .outputDir(dir.resolve("runs")).set("early_stopping", "none").run(new PrintStream(console, true));
        String log = console.toString();
        assertNull(outcome.failure(), log);
        assertEquals(2, outcome.results().size(), log);
        for (TrialResult r : outcome.results()) {
            assertEquals(TrialState.COMPLETED, r.state(), log);
            assertTrue(r.valAccuracy() > 0.5, "three bands: " + r);
        }
        for (String line : Files.readAllLines(outcome.runDir().resolve("metrics.jsonl"))) {
            List<String> kinds = new ArrayList<>();
            JSON.readTree(line).path("layers").forEach(l -> kinds.add(l.path("kind").asText()));
            assertEquals(List.of("conv", "batchnorm", "dense", "output"), kinds, line);
        }
        JsonNode test = JSON.readTree(outcome.runDir().resolve("study.json").toFile()).path("test");
        assertEquals(60, test.path("rows").asInt(), test.toString());
        assertTrue(test.path("test_accuracy").isNumber(), test.toString());
    }
}
