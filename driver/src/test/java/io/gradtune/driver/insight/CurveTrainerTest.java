package io.gradtune.driver.insight;

import io.gradtune.worker.data.Table;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One fraction trained in this JVM, as a Spark task would: per epoch, training and validation figures. */
class CurveTrainerTest {

    private static Table table(int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] f = new float[rows * 3];
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < 3; c++) {
                f[i * 3 + c] = (float) (r.nextDouble() * 2 - 1);
            }
            labels[i] = f[i * 3] + f[i * 3 + 1] > 0 ? 1 : 0;
        }
        return new Table(List.of("a", "b", "c"), f, labels, 2);
    }

    @Test
    void everyEpochIsScoredOnTheSubsetAndTheValidationSplit() {
        Table train = table(300, 1);
        Table validation = table(100, 2);
        int[][] subsets = NestedSubsets.of(train.labels(), new double[]{0.5}, 3);
        CurveJob job = new CurveJob(0.5, subsets[0], Map.of("learning_rate", 0.02, "units", 8, "batch_size", 16,
                "optimizer", "adam"), null, "standard", 4, 7L, null);
        FractionCurve c = CurveTrainer.train(job, train, validation, () -> false);
        assertEquals(150, c.rows());
        assertEquals(4, c.epochs().size());
        for (FractionCurve.Point p : c.epochs()) {
            assertTrue(p.trainAccuracy() >= 0 && p.trainAccuracy() <= 1 && Double.isFinite(p.trainLoss()), p.toString());
            assertTrue(p.valAccuracy() >= 0 && p.valAccuracy() <= 1 && Double.isFinite(p.valLoss()), p.toString());
        }
        assertTrue(c.bestByAccuracy().valAccuracy() > 0.8, c.toString());
        // deterministic: the same job gives the same curve
        assertEquals(c.epochs(), CurveTrainer.train(job, train, validation, () -> false).epochs());
    }
}
