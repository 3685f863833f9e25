package io.gradtune.driver.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradtune.driver.api.StudyBuilder;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.driver.search.RandomSampler;
import io.gradtune.driver.study.TrialResult;
import io.gradtune.driver.study.TrialState;
import io.gradtune.driver.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Studies of user model classes, for real: Spark local[2], the embedded Kafka broker, DL4J training. A small CNN run
 * from Java through {@link StudyBuilder} and a small computation graph run from YAML; every epoch record in
 * {@code metrics.jsonl} has statistics for each weight-carrying layer (convolution, batch normalization, dense,
 * output), and the trials learn.
 */
class OwnModelIT {

    @TempDir
    Path dir;

    @Test
    void aCnnStudyBuiltInJavaStreamsConvBatchNormDenseAndOutputStatistics() throws Exception {
        Path data = TestModels.images(dir.resolve("img.csv"), 300);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        StudyRunner.Outcome outcome = StudyBuilder.study("it-cnn").model(TestModels.TinyCnn.class)
                .csv(data, "label").set("data.split", java.util.Map.of("train", 0.6, "validation", 0.2))
                .search("random", 2, 7).intParam("filters", 2, 4).floatParam("lr", 5e-3, 2e-2, true)
                .fixed("batch_size", 16).epochs(3).sparkMaster("local[2]").outputDir(dir.resolve("runs"))
                .set("early_stopping", "none")
                .run(new PrintStream(console, true));
        assertCompletedWithLayers(outcome, console.toString(), List.of("conv", "batchnorm", "dense", "output"), 3);
    }

    @Test
    void aGraphStudyFromYamlStreamsItsLayersStatistics() throws Exception {
        TestModels.images(dir.resolve("img.csv"), 300);
        Path cfg = dir.resolve("graph.yaml");
        Files.writeString(cfg, """
                study: it-graph
                model: {class: %s}
                data: {source: img.csv, split: {train: 0.6, validation: 0.2}}
                search: {algorithm: random, max_trials: 2, seed: 3}
                space:
                  units: {type: int, low: 4, high: 12}
                training: {epochs: 2, batch_size: 16}
                early_stopping: none
                spark: {master: "local[2]"}
                """.formatted(TestModels.TinyGraph.class.getName()));
        StudyConfig config = StudyConfigLoader.load(cfg).withOutputDir(dir.resolve("runs"));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        StudyRunner.Outcome outcome = new StudyRunner(config, new RandomSampler(config.space(), 3),
                new PrintStream(console, true)).withData(Preflight.beforeRun(config)).run();
        assertCompletedWithLayers(outcome, console.toString(), List.of("dense", "batchnorm", "output"), 2);
    }

    private static void assertCompletedWithLayers(StudyRunner.Outcome outcome, String log, List<String> kinds,
                                                  int epochs) throws IOException {
        assertNull(outcome.failure(), log);
        assertEquals(2, outcome.results().size(), log);
        for (TrialResult r : outcome.results()) {
            assertEquals(TrialState.COMPLETED, r.state(), log);
            assertEquals(epochs, r.epochs(), log);
            assertTrue(r.valAccuracy() > 0.5, "three well separated classes: " + r);
        }
        List<JsonNode> records = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(outcome.runDir().resolve("metrics.jsonl"))) {
            records.add(json.readTree(line));
        }
        assertEquals(2 * epochs, records.size(), log);
        for (JsonNode r : records) {
            List<String> seen = new ArrayList<>();
            for (JsonNode layer : r.path("layers")) {
                seen.add(layer.path("kind").asText());
                assertTrue(layer.path("gradL2").asDouble() > 0 && layer.path("updateRatio").asDouble() > 0
                        && layer.path("weightL2").asDouble() > 0, layer.toString());
            }
            assertEquals(kinds, seen, r.toString());
        }
    }
}
