package io.gradtune.driver.insight;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NestedSubsetsTest {

    /** 3 classes of 100, 40 and 10 rows, interleaved. */
    private static int[] labels() {
        int[] l = new int[150];
        for (int i = 0; i < 150; i++) {
            l[i] = i < 100 ? 0 : i < 140 ? 1 : 2;
        }
        // interleave so the classes are not contiguous
        int[] out = new int[150];
        for (int i = 0; i < 150; i++) {
            out[i] = l[(i * 7) % 150];
        }
        return out;
    }

    @Test
    void aLargerFractionContainsEverySmallerOne() {
        double[] fractions = {0.1, 0.25, 0.5, 0.75, 1.0};
        int[][] subsets = NestedSubsets.of(labels(), fractions, 42);
        for (int k = 1; k < subsets.length; k++) {
            Set<Integer> larger = new HashSet<>();
            Arrays.stream(subsets[k]).forEach(larger::add);
            for (int row : subsets[k - 1]) {
                assertTrue(larger.contains(row), "row " + row + " of fraction " + fractions[k - 1] + " in " + fractions[k]);
            }
            assertTrue(subsets[k].length > subsets[k - 1].length);
        }
        assertEquals(150, subsets[4].length);
        assertEquals(150, Arrays.stream(subsets[4]).distinct().count());
    }

    @Test
    void everyClassKeepsItsShareWithinOneRow() {
        int[] labels = labels();
        double[] fractions = {0.1, 0.25, 0.5, 0.75};
        int[][] subsets = NestedSubsets.of(labels, fractions, 7);
        int[] totals = {100, 40, 10};
        for (int k = 0; k < fractions.length; k++) {
            int[] counts = new int[3];
            for (int row : subsets[k]) {
                counts[labels[row]]++;
            }
            for (int c = 0; c < 3; c++) {
                double want = Math.max(1, fractions[k] * totals[c]);
                assertTrue(Math.abs(counts[c] - want) <= 1, "class " + c + " at " + fractions[k] + ": " + counts[c]
                        + " rows, want about " + want);
            }
        }
    }

    @Test
    void theSeedDecidesWhichRows() {
        double[] f = {0.25, 1.0};
        assertArrayEquals(NestedSubsets.of(labels(), f, 3)[0], NestedSubsets.of(labels(), f, 3)[0]);
        assertFalse(Arrays.equals(NestedSubsets.of(labels(), f, 3)[0], NestedSubsets.of(labels(), f, 4)[0]));
    }

    @Test
    void fractionsOutsideTheUnitIntervalAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> NestedSubsets.of(labels(), new double[]{0, 1}, 1));
        assertThrows(IllegalArgumentException.class, () -> NestedSubsets.of(labels(), new double[]{0.5, 1.5}, 1));
    }
}
