package io.gradtune.worker.data;

import io.gradtune.worker.protocol.Preprocessing;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Imputation, missing indicators and outlier handling: fitted on the training rows only, applied unchanged to other
 * rows, and drops that touch training rows only.
 */
class CleaningTest {

    private static final float NAN = Float.NaN;

    private static Preprocessing settings(String missing, boolean indicators, String outliers, double low, double high,
                                          double z) {
        return new Preprocessing(missing, indicators, outliers, low, high, z, 0, true);
    }

    /** Two columns a, b; one label per row (all 0). */
    private static Table table(float... values) {
        return new Table(List.of("a", "b"), values, new int[values.length / 2], 1);
    }

    @Test
    void fillValuesComeFromTheTrainingRowsOnlyAndFillEveryPart() {
        Table train = table(1, 10, 2, NAN, 2, 30, 7, 40, NAN, 50);
        Table val = table(NAN, NAN, 1000, 1000);
        float[][] expected = {{3f, 32.5f}, {2f, 35f}, {2f, 10f}};   // mean, median, most frequent (smallest on ties)
        String[] how = {"mean", "median", "most_frequent"};
        for (int i = 0; i < how.length; i++) {
            Cleaning.Fit fit = Cleaning.fit(settings(how[i], false, "none", 0.01, 0.99, 0), train);
            assertArrayEquals(expected[i], fit.cleaning().fill(), 1e-6f, how[i]);
            assertEquals(5, fit.train().rows(), "imputation keeps every training row");
            Table v = fit.cleaning().apply(val);
            assertArrayEquals(new float[] {expected[i][0], expected[i][1], 1000, 1000}, v.features(), 1e-6f);
        }
        // fitted on training + validation rows, the mean would move: the fit above saw the training rows only
        Table both = new Table(List.of("a", "b"), concat(train.features(), val.features()), new int[7], 1);
        assertTrue(Cleaning.fit(settings("mean", false, "none", 0.01, 0.99, 0), both).cleaning().fill()[0] > 100);
    }

    @Test
    void indicatorColumnsMarkTheFeaturesThatHadMissingTrainingCells() {
        Table train = new Table(List.of("a", "b", "c"), new float[] {1, NAN, 5, 2, 3, 6, 3, 4, 7}, new int[3], 1);
        Cleaning.Fit fit = Cleaning.fit(settings("median", true, "none", 0.01, 0.99, 0), train);
        assertArrayEquals(new int[] {1}, fit.cleaning().indicators());
        assertEquals(List.of("a", "b", "c", "b_missing"), fit.train().featureNames());
        assertArrayEquals(new float[] {1, 3.5f, 5, 1, 2, 3, 6, 0, 3, 4, 7, 0}, fit.train().features(), 1e-6f);
        // a validation row missing 'a' (never missing in training): filled, but no indicator column for it
        Table val = new Table(List.of("a", "b", "c"), new float[] {NAN, NAN, 9}, new int[1], 1);
        assertArrayEquals(new float[] {2, 3.5f, 9, 1}, fit.cleaning().apply(val).features(), 1e-6f);
    }

    @Test
    void dropRemovesTrainingRowsWithMissingCellsAndFillsOtherRowsWithTheKeptRowsMedians() {
        Table train = table(1, 10, 2, NAN, 3, 30, NAN, 40, 100, 50);
        Cleaning.Fit fit = Cleaning.fit(settings("drop", true, "none", 0.01, 0.99, 0), train);
        assertEquals(3, fit.train().rows());
        assertEquals(2, fit.cleaning().droppedRows());
        assertArrayEquals(new float[] {1, 10, 3, 30, 100, 50}, fit.train().features());
        assertEquals(0, fit.cleaning().indicators().length, "drop adds no indicator columns");
        Table val = table(NAN, NAN, 5, 5);
        Table v = fit.cleaning().apply(val);
        assertEquals(2, v.rows(), "validation rows are never dropped");
        assertArrayEquals(new float[] {3, 30, 5, 5}, v.features());
    }

    @Test
    void missingErrorNamesTheRowAndColumn() {
        Table train = table(1, 10, 2, NAN);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Cleaning.fit(settings("error", false, "none", 0.01, 0.99, 0), train));
        assertTrue(e.getMessage().contains("row 2") && e.getMessage().contains("'b'"), e.getMessage());
    }

    @Test
    void clipBoundsAreTrainingQuantilesAndAValidationOutlierDoesNotMoveThem() {
        float[] values = new float[202];
        for (int r = 0; r < 101; r++) {
            values[2 * r] = r;          // a: 0..100
            values[2 * r + 1] = -r;     // b: 0..-100
        }
        Table train = table(values);
        Preprocessing clip = settings("median", false, "clip", 0.1, 0.9, 0);
        Cleaning.Fit fit = Cleaning.fit(clip, train);
        assertArrayEquals(new float[] {10, -90}, fit.cleaning().lower(), 1e-5f);
        assertArrayEquals(new float[] {90, -10}, fit.cleaning().upper(), 1e-5f);
        assertEquals(101, fit.train().rows());
        assertEquals(10, fit.train().features()[0], 1e-6f, "training rows are clipped too");
        Table val = table(1e9f, -1e9f, 50, -50);
        Table v = fit.cleaning().apply(val);
        assertArrayEquals(new float[] {90, -90, 50, -50}, v.features(), 1e-5f);
        // the same fit with the outlier rows among the training rows would move the bounds: it is not them here
        Cleaning.Fit withOutlier = Cleaning.fit(clip, table(concat(values, val.features())));
        assertTrue(withOutlier.cleaning().upper()[0] > 90.5f);
    }

    @Test
    void zscoreBoundsAreMeanPlusMinusZStandardDeviations() {
        Table train = table(0, 0, 2, 0, 4, 0, 6, 0);   // a: mean 3, std sqrt(5)
        Cleaning.Fit fit = Cleaning.fit(settings("error", false, "clip", 0.01, 0.99, 1), train);
        assertEquals(3 - Math.sqrt(5), fit.cleaning().lower()[0], 1e-5);
        assertEquals(3 + Math.sqrt(5), fit.cleaning().upper()[0], 1e-5);
        assertEquals(3 + Math.sqrt(5), fit.train().features()[6], 1e-5, "6 clipped to the upper bound");
    }

    @Test
    void outlierDropRemovesTrainingRowsOnlyAndLeavesOtherRowsAsTheyAre() {
        float[] values = new float[40];
        for (int r = 0; r < 20; r++) {
            values[2 * r] = r;
            values[2 * r + 1] = 1;
        }
        values[2 * 19] = 1000;   // one training outlier
        Table train = table(values);
        Cleaning.Fit fit = Cleaning.fit(settings("error", false, "drop", 0.01, 0.99, 2), train);
        assertEquals(19, fit.train().rows());
        assertEquals(1, fit.cleaning().droppedRows());
        for (int r = 0; r < 19; r++) {
            assertTrue(fit.train().features()[2 * r] < 1000);
        }
        assertTrue(fit.cleaning().lower() == null, "drop does not clip the rows a model is applied to");
        Table val = table(5000, 1);
        assertArrayEquals(new float[] {5000, 1}, fit.cleaning().apply(val).features());
    }

    @Test
    void quantileInterpolatesLinearlyAsNumpy() {
        float[] sorted = {1, 2, 3, 4};
        assertEquals(1.0, Cleaning.quantile(sorted, 0), 1e-12);
        assertEquals(2.5, Cleaning.quantile(sorted, 0.5), 1e-12);
        assertEquals(3.7, Cleaning.quantile(sorted, 0.9), 1e-6);
        assertEquals(4.0, Cleaning.quantile(sorted, 1), 1e-12);
    }

    @Test
    void settingsOutOfRangeNameTheFieldAndTheRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> settings("median", false, "clip", 0.5, 1.5, 0));
        assertTrue(e.getMessage().contains("clip_quantiles") && e.getMessage().contains("[0, 1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> settings("median", false, "clip", 0.9, 0.1, 0));
        assertTrue(e.getMessage().contains("low < high"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> settings("sometimes", false, "none", 0.1, 0.9, 0));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Preprocessing("median", false, "none", 0.1, 0.9, 0, 2.5, true));
        assertTrue(e.getMessage().contains("pca_components"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Preprocessing.NONE.with(java.util.Map.of("outliers", "trim")));
        assertTrue(e.getMessage().contains("outliers"), e.getMessage());
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = new float[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
