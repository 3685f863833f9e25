package io.gradtune.driver.insight;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded, stratified, nested subsets of a training part, for the learning curve: each class's rows are shuffled once
 * with the seed, and the subset at fraction f takes the first {@code max(1, round(f * n_c))} rows of each class's
 * order (all of them at 1.0). A larger fraction therefore contains every row of a smaller one, and every class keeps
 * its share of the rows (within one row), so the curve's steps differ only by the rows added.
 */
public final class NestedSubsets {

    private NestedSubsets() {
    }

    /**
     * The row indices of each fraction's subset, ascending.
     *
     * @param labels    the training part's class of each row (a regression's: all 0, one "class")
     * @param fractions each in (0, 1]
     * @param seed      the shuffle's seed
     */
    public static int[][] of(int[] labels, double[] fractions, long seed) {
        int classes = 0;
        for (int l : labels) {
            classes = Math.max(classes, l + 1);
        }
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[][] orders = new int[classes][];
        for (int c = 0; c < classes; c++) {
            int[] rows = byClass.get(c).stream().mapToInt(Integer::intValue).toArray();
            for (int i = rows.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = rows[i];
                rows[i] = rows[j];
                rows[j] = t;
            }
            orders[c] = rows;
        }
        int[][] subsets = new int[fractions.length][];
        for (int k = 0; k < fractions.length; k++) {
            double f = fractions[k];
            if (!(f > 0 && f <= 1)) {
                throw new IllegalArgumentException("fraction " + f + " is outside (0, 1]");
            }
            int total = 0;
            int[] take = new int[classes];
            for (int c = 0; c < classes; c++) {
                int n = orders[c].length;
                take[c] = n == 0 ? 0 : f >= 1 ? n : (int) Math.max(1, Math.min(n, Math.round(f * n)));
                total += take[c];
            }
            int[] rows = new int[total];
            int at = 0;
            for (int c = 0; c < classes; c++) {
                System.arraycopy(orders[c], 0, rows, at, take[c]);
                at += take[c];
            }
            Arrays.sort(rows);
            subsets[k] = rows;
        }
        return subsets;
    }
}
