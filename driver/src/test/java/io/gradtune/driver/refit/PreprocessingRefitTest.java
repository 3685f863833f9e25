package io.gradtune.driver.refit;

import io.gradtune.driver.testing.Cli;
import io.gradtune.worker.data.Cleaning;
import io.gradtune.worker.data.DataLoader;
import io.gradtune.worker.data.StratifiedSplit;
import io.gradtune.worker.data.Table;
import io.gradtune.worker.model.PortableModel;
import io.gradtune.worker.protocol.DataSpec;
import io.gradtune.worker.protocol.Preprocessing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The refit with data cleaning, without Spark or Kafka: imputation, indicators, clipping and PCA fitted on train +
 * validation, saved in best-model.zip, and applied by the saved model to raw rows with missing cells: the recorded
 * test figure is reproduced from the file, and {@code gradtune predict} answers for rows with empty cells.
 */
class PreprocessingRefitTest {

    @TempDir
    Path dir;

    private static final Path WINE = Path.of("../data/wine-missing.csv").toAbsolutePath().normalize();

    private static DataSpec spec(Preprocessing p) {
        return new DataSpec(WINE.toString(), "csv", "label", null, 0.6, 0.2, "standard", 0).withPreprocessing(p);
    }

    @Test
    void theSavedModelCarriesTheFittedStepsAndPredictsRowsWithMissingCells() throws Exception {
        Preprocessing p = new Preprocessing("median", true, "clip", 0.01, 0.99, 0, 6, true);
        StratifiedSplit.Parts parts = DataLoader.readAndSplit(spec(p));
        assertTrue(hasNan(parts.test()), "the test part has missing cells: the saved model must fill them");
        RefitPlan plan = new RefitPlan("t0001", 0, Map.of("learning_rate", 0.01, "units", 16), 20, 30, "val_accuracy",
                0.9, 0.9, 0.3, List.of(0.01, 0.01));
        TestFigure figure = Refit.run(plan, parts.train(), parts.validation(), parts.test(), "standard", "label", dir,
                () -> false, RefitTrainer.LOCAL, null, null, p);
        Path zip = dir.resolve("best-model.zip");
        try (ZipFile z = new ZipFile(zip.toFile())) {
            assertNotNull(z.getEntry(SavedModel.PREPROCESSING));
        }
        SavedModel saved = SavedModel.load(zip);
        assertNotNull(saved.preprocessing());
        assertEquals(6, PortableModel.numInputs(saved.model()), "the network takes the PCA components");
        assertEquals(13, saved.numInputs(), "predict takes the data's 13 feature columns");
        // fitted on train + validation, never the test rows
        Cleaning onTrainAndVal = Cleaning.fit(p, Refit.concat(parts.train(), parts.validation())).cleaning();
        assertArrayEquals(onTrainAndVal.fill(), saved.preprocessing().cleaning().fill());
        assertArrayEquals(onTrainAndVal.upper(), saved.preprocessing().cleaning().upper());
        assertTrue(figure.testAccuracy() > 0.8, figure.toString());
        assertEquals(figure.testAccuracy(), Refit.score(saved, parts.test(), 3).valAccuracy(), 0.0);

        Path rows = dir.resolve("rows.csv");
        List<String> lines = Files.readAllLines(WINE);
        Files.write(rows, lines.subList(0, 60));
        Cli predict = Cli.run("predict", zip.toString(), rows.toString());
        assertEquals(0, predict.code(), predict.err());
        assertEquals(60, predict.out().strip().split("\n").length, predict.out());
        assertTrue(predict.err().contains("accuracy "), predict.err());
    }

    @Test
    void aModelThatFillsNothingRejectsMissingCellsAtPredictTimeNamingLineAndColumn() throws Exception {
        Path clean = Path.of("../data/wine.csv").toAbsolutePath().normalize();
        DataSpec s = new DataSpec(clean.toString(), "csv", "label", null, 0.6, 0.2, "standard", 0);
        StratifiedSplit.Parts parts = DataLoader.readAndSplit(s);
        RefitPlan plan = new RefitPlan("t0001", 0, Map.of("learning_rate", 0.01, "units", 8), 2, 3, "val_accuracy",
                0.9, 0.9, 0.3, List.of(0.01, 0.01));
        Refit.run(plan, parts.train(), parts.validation(), parts.test(), "standard", "label", dir, () -> false,
                RefitTrainer.LOCAL, null, null, null);
        assertNull(SavedModel.load(dir.resolve("best-model.zip")).preprocessing());
        Path rows = dir.resolve("rows.csv");
        Files.write(rows, Files.readAllLines(WINE).subList(0, 3));
        Cli predict = Cli.run("predict", dir.resolve("best-model.zip").toString(), rows.toString());
        assertEquals(2, predict.code(), predict.err());
        assertTrue(predict.err().contains("line 3, column 'malic_acid'"), predict.err());
    }

    private static boolean hasNan(Table t) {
        for (float v : t.features()) {
            if (Float.isNaN(v)) {
                return true;
            }
        }
        return false;
    }
}
