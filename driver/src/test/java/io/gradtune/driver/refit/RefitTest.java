package io.gradtune.driver.refit;

import io.gradtune.worker.data.DataLoader;
import io.gradtune.worker.data.StratifiedSplit;
import io.gradtune.worker.protocol.DataSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The refit itself, without Spark or Kafka: real DL4J training on the digits data, the model saved and scored from
 * the saved file; the same plan twice gives the same figure (seeded), for standard, min-max and no scaling.
 */
class RefitTest {

    @TempDir
    Path dir;

    @Test
    void refitSavesAModelWhoseScoreIsReproducible() {
        DataSpec spec = new DataSpec(Path.of("../data/digits.csv").toAbsolutePath().normalize().toString(), "csv",
                "label", null, 0.6, 0.2, "standard", 0);
        StratifiedSplit.Parts parts = DataLoader.readAndSplit(spec);
        for (String scaling : List.of("standard", "minmax", "none")) {
            RefitPlan plan = new RefitPlan("t0001", 0, Map.of("learning_rate", 0.005, "units", 32, "scaling", scaling),
                    5, 2, "val_accuracy", 0.9, 0.9, 0.3, List.of(0.005, 0.005));
            TestFigure a = Refit.run(plan, parts.train(), parts.validation(), parts.test(), "standard", "label", dir,
                    () -> false);
            assertTrue(Files.isRegularFile(dir.resolve("best-model.zip")));
            assertEquals(parts.test().rows(), a.testRows());
            assertTrue(a.testAccuracy() > 0.7, scaling + ": " + a);
            SavedModel saved = SavedModel.load(dir.resolve("best-model.zip"));
            assertEquals(64, saved.numInputs());
            assertEquals(64, saved.meta().featureNames().size());
            assertEquals("label", saved.meta().labelColumn());
            assertEquals(a.testAccuracy(), Refit.score(saved, parts.test(), 10).valAccuracy(), 0.0);
            TestFigure b = Refit.run(plan, parts.train(), parts.validation(), parts.test(), "standard", "label", dir,
                    () -> false);
            assertEquals(a.testAccuracy(), b.testAccuracy(), 0.0);
            assertEquals(a.testLoss(), b.testLoss(), 0.0);
        }
    }
}
