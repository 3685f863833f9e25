package io.gradtune.driver.insight;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Permutation importance of a fitted model on held-out rows: for each {@link FeatureGroups.Group}, its columns' values
 * are shuffled across the rows (one seeded permutation per group and repeat, the same for all the group's columns), the
 * model scores the shuffled rows, and the drop from the unshuffled score is the group's importance; mean and sample
 * standard deviation over the repeats. A feature the model does not use drops nothing (up to noise); one it relies on
 * drops a lot. Model-agnostic: only the score function sees the model.
 */
public final class PermutationImportance {

    /**
     * @param feature  the feature's (or group's) name
     * @param meanDrop mean drop of the score when it is shuffled
     * @param std      sample standard deviation of the drop over the repeats (0 for one repeat)
     * @param columns  how many feature columns it covers
     */
    public record Entry(String feature, double meanDrop, double std, int columns) {
    }

    private PermutationImportance() {
    }

    /**
     * @param x       the held-out rows as the model takes them (scaled), rows x features, float
     * @param score   the model's score on rows shaped as {@code x}, higher is better (accuracy, R²)
     * @param repeats shuffles per group, at least 1
     * @return one entry per group, largest mean drop first
     */
    public static List<Entry> compute(INDArray x, List<FeatureGroups.Group> groups, ToDoubleFunction<INDArray> score,
                                      int repeats, long seed) {
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be at least 1, got " + repeats);
        }
        int rows = (int) x.rows();
        int cols = (int) x.columns();
        INDArray c = x.dup('c');
        float[] base = c.data().asFloat();
        c.close();
        double baseline = score.applyAsDouble(x);
        List<Entry> entries = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            FeatureGroups.Group group = groups.get(g);
            double[] drops = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                SplittableRandom random = new SplittableRandom(seed * 1_000_003L + (long) g * 1_009L + r);
                int[] perm = new int[rows];
                for (int i = 0; i < rows; i++) {
                    perm[i] = i;
                }
                for (int i = rows - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int t = perm[i];
                    perm[i] = perm[j];
                    perm[j] = t;
                }
                float[] shuffled = base.clone();
                for (int col : group.columns()) {
                    for (int i = 0; i < rows; i++) {
                        shuffled[i * cols + col] = base[perm[i] * cols + col];
                    }
                }
                INDArray xs = Nd4j.create(shuffled, new long[]{rows, cols}, DataType.FLOAT);
                try {
                    drops[r] = baseline - score.applyAsDouble(xs);
                } finally {
                    xs.close();
                }
            }
            double mean = 0;
            for (double d : drops) {
                mean += d;
            }
            mean /= repeats;
            double ss = 0;
            for (double d : drops) {
                ss += (d - mean) * (d - mean);
            }
            entries.add(new Entry(group.name(), mean, repeats > 1 ? Math.sqrt(ss / (repeats - 1)) : 0,
                    group.columns().length));
        }
        entries.sort(Comparator.comparingDouble(Entry::meanDrop).reversed());
        return entries;
    }
}
