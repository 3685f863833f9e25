package io.gradtune.worker.data;

import io.gradtune.worker.protocol.Preprocessing;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PCA fitted on training rows: the right directions, a fixed sign, component counts, and the network's input width. */
class PcaTest {

    /** 200 rows of (t, t + small noise, small noise): one strong direction, (1, 1, 0) / sqrt 2. */
    private static float[] correlated(long seed, int rows) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[rows * 3];
        for (int r = 0; r < rows; r++) {
            double t = random.nextGaussian() * 3;
            x[r * 3] = (float) t;
            x[r * 3 + 1] = (float) (t + random.nextGaussian() * 0.1);
            x[r * 3 + 2] = (float) (random.nextGaussian() * 0.5);
        }
        return x;
    }

    @Test
    void firstComponentIsTheDirectionOfMostVarianceWithAPositiveLargestWeight() {
        Pca pca = Pca.fit(correlated(1, 200), 200, 3, 2);
        assertEquals(2, pca.components());
        assertEquals(3, pca.inputs());
        float[] b = pca.basis();
        assertEquals(1 / Math.sqrt(2), b[0], 0.02);
        assertEquals(1 / Math.sqrt(2), b[1], 0.02);
        assertEquals(0, b[2], 0.05);
        assertEquals(1, Math.abs(b[5]), 0.05, "second: the independent third column");
        assertTrue(b[5] > 0, "sign fixed: the largest-magnitude weight is positive");
        assertTrue(pca.explained() > 0.95 && pca.explained() <= 1.0 + 1e-9, "explained " + pca.explained());
        // the same rows give the same basis, bit for bit
        assertArrayEquals(b, Pca.fit(correlated(1, 200), 200, 3, 2).basis());
    }

    @Test
    void aVarianceFractionPicksTheFewestComponentsThatExplainIt() {
        float[] x = correlated(2, 200);
        assertEquals(1, Pca.fit(x, 200, 3, 0.9).components());
        assertEquals(2, Pca.fit(x, 200, 3, 0.999).components());
        assertEquals(3, Pca.fit(x, 200, 3, 3).components());
    }

    @Test
    void moreComponentsThanColumnsIsAnErrorNamingTheRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pca.fit(correlated(3, 10), 10, 3, 4));
        assertTrue(e.getMessage().contains("pca_components") && e.getMessage().contains("1..3"), e.getMessage());
    }

    @Test
    void projectionCentresWithTheTrainingMean() {
        float[] x = correlated(4, 100);
        Pca pca = Pca.fit(x, 100, 3, 3);
        float[] atMean = pca.apply(pca.mean(), 1);
        assertArrayEquals(new float[3], atMean, 1e-5f);
        // a validation row far away does not change the fit; its projection is its distance along the components
        float[] far = {100, 100, 0};
        float[] z = pca.apply(far, 1);
        assertTrue(z[0] > 130, "along (1,1,0)/sqrt2: " + z[0]);
    }

    @Test
    void preparedDataHasOneInputPerComponentAndTheValidationPartIsNotFitted() {
        float[] x = correlated(5, 120);
        Table all = new Table(List.of("a", "b", "c"), x, new int[120], 1);
        int[] trainRows = new int[100];
        int[] valRows = new int[20];
        for (int i = 0; i < 120; i++) {
            if (i < 100) {
                trainRows[i] = i;
            } else {
                valRows[i - 100] = i;
            }
        }
        Table train = all.select(trainRows);
        Table val = all.select(valRows);
        Preprocessing p = new Preprocessing("error", false, "none", 0.01, 0.99, 0, 2, false);
        PreparedData d = FittedPreprocessing.prepare(p, Scaling.STANDARD, train, val);
        assertEquals(2, d.numFeatures());
        assertEquals(20, d.valX().rows());
        // the training projection is centred (fitted there); the validation one need not be
        double mean = d.trainX().getColumn(0).meanNumber().doubleValue();
        assertEquals(0, mean, 1e-4);
    }

    @Test
    void fittedPreprocessingSurvivesJson() {
        Table train = new Table(List.of("a", "b", "c"), correlated(6, 50), new int[50], 1);
        Preprocessing p = new Preprocessing("median", true, "clip", 0.05, 0.95, 0, 2, true);
        Cleaning.Fit fit = Cleaning.fit(p, train);
        FittedPreprocessing f = new FittedPreprocessing(fit.cleaning(), Pca.fit(fit.train(), 2));
        FittedPreprocessing back = FittedPreprocessing.fromJson(f.toJson());
        assertArrayEquals(f.cleaning().fill(), back.cleaning().fill());
        assertArrayEquals(f.cleaning().lower(), back.cleaning().lower());
        assertArrayEquals(f.cleaning().upper(), back.cleaning().upper());
        assertArrayEquals(f.pca().basis(), back.pca().basis());
        assertArrayEquals(f.pca().mean(), back.pca().mean());
        assertEquals(2, back.outputColumns());
        assertThrows(IllegalArgumentException.class, () -> FittedPreprocessing.fromJson("{\"x\": 1}"));
    }
}
