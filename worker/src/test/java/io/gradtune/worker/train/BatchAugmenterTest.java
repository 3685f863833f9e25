package io.gradtune.worker.train;

import io.gradtune.worker.model.AugmentParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shifts, flips and noise of training batches: exact on a tiny image, seeded, and nothing when switched off. */
class BatchAugmenterTest {

    /** A 3 x 4 image, row major: 1 2 3 4 / 5 6 7 8 / 9 10 11 12. */
    private static final float[] IMAGE = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    private static final int[] SHAPE = {3, 4, 1};

    @BeforeAll
    static void nd4j() {
        WorkerRuntime.ensureInitialized();
    }

    @Test
    void flipMirrorsEachRowOfPixels() {
        assertArrayEquals(new float[]{4, 3, 2, 1, 8, 7, 6, 5, 12, 11, 10, 9}, transformed(true, 0, 0));
    }

    @Test
    void shiftMovesThePictureAndFillsWithZeros() {
        // one pixel right and one down
        assertArrayEquals(new float[]{0, 0, 0, 0, 0, 1, 2, 3, 0, 5, 6, 7}, transformed(false, 1, 1));
        // two pixels left
        assertArrayEquals(new float[]{3, 4, 0, 0, 7, 8, 0, 0, 11, 12, 0, 0}, transformed(false, 0, -2));
        // one up
        assertArrayEquals(new float[]{5, 6, 7, 8, 9, 10, 11, 12, 0, 0, 0, 0}, transformed(false, -1, 0));
    }

    @Test
    void flipThenShiftOnEveryChannelPlane() {
        float[] v = new float[24];
        for (int i = 0; i < 24; i++) {
            v[i] = i + 1;
        }
        BatchAugmenter.transform(v, 0, new int[]{3, 4, 2}, true, 0, 1, new float[24]);
        assertArrayEquals(new float[]{0, 4, 3, 2, 0, 8, 7, 6, 0, 12, 11, 10, 0, 16, 15, 14, 0, 20, 19, 18, 0, 24, 23,
                22}, v);
    }

    @Test
    void nothingToDoGivesNoAugmenter() {
        assertNull(BatchAugmenter.of(AugmentParameters.from(Map.of()), 12, 1));
        assertNull(BatchAugmenter.of(AugmentParameters.from(Map.of("noise_std", 0, "augment", "none")), 12, 1));
    }

    @Test
    void seededPerTrialAndDifferentAcrossSeeds() {
        AugmentParameters p = AugmentParameters.from(Map.of("noise_std", 0.1, "augment", "shift+flip",
                "augment_shift", 1, "image_shape", "3x4"));
        float[] a = augmentTwice(p, 5);
        float[] b = augmentTwice(p, 5);
        float[] c = augmentTwice(p, 6);
        assertArrayEquals(a, b, "same seed, same batches");
        assertFalse(java.util.Arrays.equals(a, c), "another seed, other batches");
    }

    @Test
    void noiseHasTheAskedStandardDeviation() {
        BatchAugmenter aug = BatchAugmenter.of(AugmentParameters.from(Map.of("noise_std", 0.5)), 100, 3);
        INDArray x = Nd4j.zeros(DataType.FLOAT, 200, 100);
        aug.apply(x);
        double std = x.stdNumber().doubleValue();
        assertTrue(Math.abs(std - 0.5) < 0.01, "std " + std);
        assertTrue(Math.abs(x.meanNumber().doubleValue()) < 0.01);
    }

    @Test
    void imageTransformsNeedAnImageShapeThatFitsTheRows() {
        AugmentParameters noShape = AugmentParameters.from(Map.of("augment", "flip"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BatchAugmenter.of(noShape, 12,
                1));
        assertTrue(e.getMessage().contains("needs image data"), e.getMessage());
        AugmentParameters wrong = AugmentParameters.from(Map.of("augment", "flip", "image_shape", "3x3"));
        e = assertThrows(IllegalArgumentException.class, () -> BatchAugmenter.of(wrong, 12, 1));
        assertTrue(e.getMessage().contains("12 features"), e.getMessage());
    }

    @Test
    void badValuesNameTheParameterAndTheAllowedRange() {
        assertMessage(Map.of("noise_std", -0.1), "'noise_std' = -0.1, expected a finite number >= 0");
        assertMessage(Map.of("augment", "shift+rotate"), "unknown transform 'rotate'");
        assertMessage(Map.of("augment_shift", 0), "'augment_shift' = 0, expected an integer 1..16");
        assertMessage(Map.of("image_shape", "28"), "'image_shape' = '28', expected [height, width]");
    }

    @Test
    void shiftsStayWithinTheirBoundAndFlipsHappenAboutHalfTheTime() {
        AugmentParameters p = AugmentParameters.from(Map.of("augment", "shift, flip", "augment_shift", 1, "image_shape", "3x4"));
        BatchAugmenter aug = BatchAugmenter.of(p, 12, 9);
        int flips = 0;
        int unchanged = 0;
        for (int i = 0; i < 400; i++) {
            INDArray x = Nd4j.createFromArray(new float[][]{IMAGE.clone()});
            aug.apply(x);
            float[] v = x.toFloatVector();
            boolean matched = false;
            for (int flip = 0; flip < 2 && !matched; flip++) {
                for (int dy = -1; dy <= 1 && !matched; dy++) {
                    for (int dx = -1; dx <= 1 && !matched; dx++) {
                        if (java.util.Arrays.equals(v, transformed(flip == 1, dy, dx))) {
                            matched = true;
                            flips += flip;
                            unchanged += flip == 0 && dy == 0 && dx == 0 ? 1 : 0;
                        }
                    }
                }
            }
            assertTrue(matched, "a flip and a shift of at most one pixel: " + java.util.Arrays.toString(v));
        }
        assertTrue(flips > 150 && flips < 250, "flips " + flips);
        assertTrue(unchanged > 5 && unchanged < 60, "unchanged " + unchanged + " of 400 (expected about 400/18)");
    }

    private static void assertMessage(Map<String, Object> params, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AugmentParameters.from(params));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static float[] transformed(boolean flip, int dy, int dx) {
        float[] v = IMAGE.clone();
        BatchAugmenter.transform(v, 0, SHAPE, flip, dy, dx, new float[12]);
        return v;
    }

    private static float[] augmentTwice(AugmentParameters p, long seed) {
        BatchAugmenter aug = BatchAugmenter.of(p, 12, seed);
        INDArray x = Nd4j.createFromArray(new float[][]{IMAGE.clone(), IMAGE.clone(), IMAGE.clone()});
        aug.apply(x);
        float[] first = x.data().asFloat();
        INDArray y = Nd4j.createFromArray(new float[][]{IMAGE.clone(), IMAGE.clone(), IMAGE.clone()});
        aug.apply(y);
        float[] second = y.data().asFloat();
        assertFalse(java.util.Arrays.equals(first, second), "each batch draws anew");
        float[] both = new float[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        assertEquals(72, both.length);
        return both;
    }
}
