package io.gradtune.driver.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradtune.driver.refit.SavedModel;
import io.gradtune.driver.testing.Cli;
import io.gradtune.worker.model.PortableModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data cleaning in a real study ({@code gradtune run}: Spark local[2], the embedded Kafka broker, DL4J): the wine data
 * with blanked cells, a grid over {@code missing} x {@code pca_components} with clipped outliers. Every trial
 * completes on its own cleaning (its network takes its component count), the refit saves the fitted steps in
 * best-model.zip, and {@code predict} answers for raw rows with empty cells.
 */
class CleaningStudyIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aGridOverMissingAndPcaCompletesAndPredictFillsMissingCells() throws Exception {
        Path wine = Path.of("../data/wine-missing.csv").toAbsolutePath().normalize();
        Path cfg = dir.resolve("clean.yaml");
        Files.writeString(cfg, """
                study: clean-it
                data:
                  source: %s
                  missing: median
                  missing_indicators: true
                  outliers: clip
                  zscore: 4
                search: {algorithm: grid, max_trials: 4, seed: 5}
                space:
                  missing: {type: categorical, values: [drop, mean]}
                  pca_components: {type: categorical, values: [3, 0.9]}
                training: {epochs: 10, batch_size: 16, layers: 1, units: 16, learning_rate: 0.01, optimizer: adam}
                early_stopping: none
                spark: {master: "local[2]"}
                """.formatted(wine));
        Path runs = dir.resolve("runs");
        Cli run = Cli.run("run", cfg.toString(), "--output", runs.toString());
        assertEquals(0, run.code(), run.out() + run.err());
        Path runDir = runs.resolve("clean-it");

        List<String> csv = Files.readAllLines(runDir.resolve("trials.csv"));
        List<String> header = List.of(csv.get(0).split(","));
        int state = header.indexOf("state");
        int missing = header.indexOf("missing");
        int pca = header.indexOf("pca_components");
        int accuracy = header.indexOf("val_accuracy");
        assertEquals(5, csv.size(), String.join("\n", csv));
        Set<String> combos = new HashSet<>();
        for (String line : csv.subList(1, csv.size())) {
            String[] cells = line.split(",", -1);
            assertEquals("COMPLETED", cells[state], line);
            assertTrue(Double.parseDouble(cells[accuracy]) > 0.6, "wine is easy, even with 3 components: " + line);
            combos.add(cells[missing] + "/" + cells[pca]);
        }
        assertEquals(4, combos.size(), combos.toString());

        Path zip = runDir.resolve("best-model.zip");
        SavedModel saved = SavedModel.load(zip);
        assertNotNull(saved.preprocessing(), "the fitted cleaning is in the zip");
        assertNotNull(saved.preprocessing().pca());
        assertEquals(saved.preprocessing().pca().components(), PortableModel.numInputs(saved.model()));
        JsonNode test = JSON.readTree(runDir.resolve("study.json").toFile()).path("test");
        assertTrue(test.path("test_accuracy").asDouble() > 0.6, test.toString());

        Cli predict = Cli.run("predict", zip.toString(), wine.toString(), "--output", dir.resolve("p.csv").toString());
        assertEquals(0, predict.code(), predict.out() + predict.err());
        assertEquals(Files.readAllLines(wine).size(), Files.readAllLines(dir.resolve("p.csv")).size());
    }
}
