package io.gradtune.driver.refit;

import io.gradtune.worker.data.DataLoader;
import io.gradtune.worker.data.StratifiedSplit;
import io.gradtune.worker.data.Table;
import io.gradtune.worker.protocol.DataSpec;
import io.gradtune.worker.train.Evaluation;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A regression's refit without Spark or Kafka: real DL4J training on the Friedman #1 data; the target standardized
 * on train + validation, whose mean and deviation the zip keeps; the test figure (MSE, MAE, R² on the original scale)
 * reproduced exactly from the zip by DL4J's own {@code ModelSerializer} and by {@link SavedModel#predictions}.
 */
class RegressionRefitTest {

    @TempDir
    Path dir;

    @Test
    void regressionRefitSavesTheTargetScaleAndReproducesItsFigure() throws Exception {
        DataSpec spec = new DataSpec(Path.of("../data/friedman1.csv").toAbsolutePath().normalize().toString(), "csv",
                "y", null, 0.6, 0.2, "standard", 0).withTask(DataSpec.REGRESSION);
        StratifiedSplit.Parts parts = DataLoader.readAndSplit(spec);
        RefitPlan plan = new RefitPlan("t0002", 1, Map.of("learning_rate", 0.01, "units", 32, "activation", "tanh"),
                9, 6, "val_r2", 0.8, Double.NaN, 4.0, List.of(), 1.5, 0.8);
        TestFigure a = Refit.run(plan, parts.train(), parts.validation(), parts.test(), "standard", "y", dir,
                () -> false);
        assertTrue(a.regression());
        assertEquals(parts.test().rows(), a.testRows());
        assertEquals(parts.train().rows() + parts.validation().rows(), a.trainRows());
        assertTrue(a.testR2() > 0.5, a.toString());
        assertTrue(a.testLoss() > 0 && a.testMae() > 0, a.toString());
        assertTrue(Double.isNaN(a.testAccuracy()));
        assertEquals(0.8, a.valR2());
        assertEquals(4.0, a.valLoss());
        Map<String, Object> m = a.toMap();
        assertEquals("regression", m.get("task"));
        assertEquals(a.testR2(), (double) m.get("test_r2"));
        assertTrue(!m.containsKey("test_accuracy"), m.toString());
        assertEquals(a, TestFigure.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(m)));
        assertTrue(a.line().startsWith("test: mse "), a.line());

        // The description: task, and the mean and deviation of train + validation's targets.
        Path zip = dir.resolve(TestFigure.MODEL_FILE);
        SavedModel saved = SavedModel.load(zip);
        assertTrue(saved.regression());
        Table all = Refit.concat(parts.train(), parts.validation());
        double sum = 0;
        for (float y : all.targets()) {
            sum += y;
        }
        double mean = sum / all.rows();
        assertEquals(mean, saved.meta().targetMean(), 1e-9);
        double ss = 0;
        for (float y : all.targets()) {
            ss += (y - mean) * (y - mean);
        }
        assertEquals(Math.sqrt(ss / all.rows()), saved.meta().targetStd(), 1e-9);
        assertEquals("y", saved.meta().labelColumn());
        assertEquals(1, saved.meta().classes());

        // Reloaded by DL4J alone, the description's scale applied: exactly the recorded figure.
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(zip.toFile());
        DataNormalization normalizer = ModelSerializer.restoreNormalizerFromFile(zip.toFile());
        Table test = parts.test();
        INDArray x = Nd4j.create(test.features(), new long[]{test.rows(), test.columns()}, DataType.FLOAT);
        normalizer.transform(x);
        Evaluation e = Evaluation.regression(restored.output(x, false), test.targets(), saved.meta().targetMean(),
                saved.meta().targetStd(), Double.NaN);
        assertEquals(a.testLoss(), e.valLoss(), 0.0);
        assertEquals(a.testMae(), e.valMae(), 0.0);
        assertEquals(a.testR2(), e.valR2(), 0.0);
        assertEquals(a.testR2(), Refit.scoreRegression(saved, test).valR2(), 0.0);

        // Seeded: the same plan, the same figure.
        TestFigure b = Refit.run(plan, parts.train(), parts.validation(), parts.test(), "standard", "y", dir,
                () -> false);
        assertEquals(a.testLoss(), b.testLoss(), 0.0);
        assertEquals(a.testR2(), b.testR2(), 0.0);
    }

    @Test
    void aClassifierHasNoRegressionPredictions() {
        SavedModel.Meta meta = new SavedModel.Meta(List.of("a"), "label", 3, "none");
        assertTrue(!meta.regression());
        assertThrows(IllegalStateException.class, () -> new SavedModel(null, null, meta).predictions(null));
    }
}
