package io.gradtune.driver.api;

import io.gradtune.driver.config.ConfigException;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.driver.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java builder makes the same checked config as the equivalent YAML, and fails the same way on bad input. */
class StudyBuilderTest {

    @TempDir
    Path dir;

    @Test
    void theBuilderAndTheYamlGiveTheSameStudy() throws IOException {
        Path data = TestModels.images(dir.resolve("img.csv"), 60);
        StudyBuilder b = StudyBuilder.study("built").model(TestModels.TinyCnn.class).csv(data, "label")
                .set("data.split", java.util.Map.of("train", 0.6, "validation", 0.2)).scaling("minmax")
                .objective("val_loss", false).search("tpe", 5, 11)
                .intParam("filters", 2, 4).floatParam("lr", 1e-3, 1e-2, true).categorical("flag", true, false)
                .fixed("batch_size", 16).epochs(2).trainingWorkers(2).sparkMaster("local[2]").outputDir(dir.resolve("runs"))
                .set("early_stopping", "none");
        StudyConfig built = b.build();
        Path yaml = dir.resolve("same.yaml");
        Files.writeString(yaml, """
                study: built
                model: {class: %s}
                data: {source: '%s', format: csv, label_column: label, split: {train: 0.6, validation: 0.2}, scaling: minmax}
                objective: {metric: val_loss, direction: minimize}
                search: {algorithm: tpe, max_trials: 5, seed: 11}
                space:
                  filters: {type: int, low: 2, high: 4}
                  lr: {type: float, low: 1.0e-3, high: 1.0e-2, log: true}
                  flag: {type: categorical, values: [true, false]}
                training: {batch_size: 16, epochs: 2, workers: 2}
                spark: {master: 'local[2]'}
                output: {dir: '%s'}
                early_stopping: none
                """.formatted(TestModels.TinyCnn.class.getName(), data, dir.resolve("runs")));
        StudyConfig loaded = StudyConfigLoader.load(yaml);
        assertEquals(loaded.withOutputDir(built.outputDir()).space(), built.space());
        assertEquals(loaded.training(), built.training());
        assertEquals(2, built.training().workers());
        assertEquals(loaded.search(), built.search());
        assertEquals(loaded.objective(), built.objective());
        assertEquals(loaded.data(), built.data());
        assertEquals(loaded.outputDir(), built.outputDir());
        assertEquals(loaded.spark(), built.spark());
        assertEquals(loaded.stopping(), built.stopping());
    }

    @Test
    void aBadValueIsTheSameConfigErrorAsInAFile() throws IOException {
        Path data = TestModels.images(dir.resolve("img.csv"), 60);
        ConfigException e = assertThrows(ConfigException.class, () -> StudyBuilder.study("bad").csv(data, "label")
                .intParam("units", 8, 4).build());
        assertTrue(e.getMessage().contains("space.units"), e.getMessage());
    }

    @Test
    void aDataFactoryIsTheDataClassOfTheYaml() {
        StudyBuilder b = StudyBuilder.study("own").data(io.gradtune.driver.testing.TestData.Blobs.class)
                .task("classification").search("random", 2, 1).intParam("units", 4, 8).epochs(2);
        StudyConfig built = b.build();
        assertEquals(io.gradtune.driver.testing.TestData.Blobs.class.getName(), built.data().dataClass());
        assertTrue(b.yaml().contains("TestData$Blobs"), b.yaml());
    }
}
