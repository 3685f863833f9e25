package io.gradtune.driver.insight;

import io.gradtune.driver.refit.RefitPlan;
import io.gradtune.worker.data.Table;
import io.gradtune.worker.protocol.Preprocessing;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Synthetic data where feature x2 alone decides the label: permutation importance must single it out. */
class PermutationImportanceTest {

    private static final int FEATURES = 5;
    private static final int INFORMATIVE = 2;

    /** Rows of 5 standard-normal features; label 1 when x2 > 0. */
    private static Table table(int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] f = new float[rows * FEATURES];
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < FEATURES; c++) {
                f[i * FEATURES + c] = (float) gaussian(r);
            }
            labels[i] = f[i * FEATURES + INFORMATIVE] > 0 ? 1 : 0;
        }
        return new Table(List.of("x0", "x1", "x2", "x3", "x4"), f, labels, 2);
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    @Test
    void aKnownScoreDropsOnlyForTheFeatureItReads() {
        Table t = table(300, 1);
        INDArray x = Nd4j.create(t.features(), new long[]{t.rows(), FEATURES}, DataType.FLOAT);
        // a "model" that reads x2 only: its accuracy is 1 on unshuffled rows
        List<PermutationImportance.Entry> e = PermutationImportance.compute(x, FeatureGroups.of(t.featureNames()),
                rows -> {
                    float[] v = rows.dup('c').data().asFloat();
                    int correct = 0;
                    for (int i = 0; i < t.rows(); i++) {
                        correct += (v[i * FEATURES + INFORMATIVE] > 0 ? 1 : 0) == t.labels()[i] ? 1 : 0;
                    }
                    return (double) correct / t.rows();
                }, 4, 9);
        assertEquals("x2", e.get(0).feature());
        assertEquals(0.5, e.get(0).meanDrop(), 0.1);
        assertTrue(e.get(0).std() > 0);
        for (int i = 1; i < e.size(); i++) {
            assertEquals(0.0, e.get(i).meanDrop(), 0.0, e.get(i).feature());
        }
    }

    @Test
    void aTrainedNetworkReliesOnTheInformativeFeature() {
        Table train = table(400, 2);
        Table validation = table(200, 3);
        RefitPlan plan = new RefitPlan("t0001", 1, Map.of("learning_rate", 0.01, "units", 16, "batch_size", 32,
                "optimizer", "adam"), 5L, 15, "val_accuracy", 0.97, 0.97, 0.1, List.of());
        BestModelImportance.Result r = BestModelImportance.compute(plan, train, validation, "standard", null, null, 3,
                () -> false);
        assertTrue(r.baseline() > 0.9, "the network learned the rule: " + r.baseline());
        assertEquals("x2", r.entries().get(0).feature(), r.entries().toString());
        assertTrue(r.entries().get(0).meanDrop() > 0.3, r.entries().toString());
        for (int i = 1; i < r.entries().size(); i++) {
            assertTrue(Math.abs(r.entries().get(i).meanDrop()) < 0.05, r.entries().toString());
        }
        assertEquals(FEATURES, r.features());
        assertEquals("val_accuracy", r.metric());
        assertTrue(!r.grouped());
        assertEquals(5, ((List<?>) r.toMap().get("values")).size());
    }

    @Test
    void missingCellsAreFilledAsTheTrialsWereAndPcaIsNotSupportedYet() {
        Table train = table(400, 2);
        Table validation = table(200, 3);
        for (int i = 0; i < 40; i++) {   // every 10th training row and every 5th validation row lose x0
            train.features()[i * 10 * FEATURES] = Float.NaN;
            validation.features()[i * 5 * FEATURES] = Float.NaN;
        }
        RefitPlan plan = new RefitPlan("t0001", 1, Map.of("learning_rate", 0.01, "units", 16, "batch_size", 32,
                "optimizer", "adam"), 5L, 15, "val_accuracy", 0.97, 0.97, 0.1, List.of());
        Preprocessing mean = new Preprocessing("mean", false, "none", 0.01, 0.99, 0, 0, true);
        BestModelImportance.Result r = BestModelImportance.compute(plan, train, validation, "standard", null, null,
                mean, 3, () -> false);
        assertTrue(r.baseline() > 0.9, "trained on the filled rows: " + r.baseline());
        assertEquals("x2", r.entries().get(0).feature(), r.entries().toString());
        r.entries().forEach(e -> assertTrue(Double.isFinite(e.meanDrop()), r.entries().toString()));
        Preprocessing pca = new Preprocessing("mean", false, "none", 0.01, 0.99, 0, 3, true);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> BestModelImportance.compute(plan, train, validation, "standard", null, null, pca, 3,
                        () -> false));
        assertTrue(e.getMessage().contains("pca_components"), e.getMessage());
    }

    @Test
    void aRegressionsImportanceIsTheDropOfItsR2() {
        SplittableRandom random = new SplittableRandom(4);
        Table[] parts = new Table[2];
        for (int p = 0; p < 2; p++) {
            int rows = p == 0 ? 300 : 150;
            float[] f = new float[rows * 3];
            float[] y = new float[rows];
            for (int i = 0; i < rows; i++) {
                for (int c = 0; c < 3; c++) {
                    f[i * 3 + c] = (float) gaussian(random);
                }
                y[i] = (float) (2 * f[i * 3 + 1] + 0.1 * gaussian(random));
            }
            parts[p] = Table.regression(List.of("a", "b", "c"), f, y);
        }
        RefitPlan plan = new RefitPlan("t0002", 2, Map.of("learning_rate", 0.01, "units", 16, "batch_size", 32,
                "optimizer", "adam"), 6L, 20, "val_r2", 0.9, Double.NaN, 0.1, List.of());
        BestModelImportance.Result r = BestModelImportance.compute(plan, parts[0], parts[1], "standard", null, null, 2,
                () -> false);
        assertEquals("val_r2", r.metric());
        assertTrue(r.baseline() > 0.8, "R2 " + r.baseline());
        assertEquals("b", r.entries().get(0).feature(), r.entries().toString());
        assertTrue(r.entries().get(0).meanDrop() > 0.5, r.entries().toString());
    }
}
