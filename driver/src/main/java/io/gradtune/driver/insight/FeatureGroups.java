package io.gradtune.driver.insight;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The units permutation importance shuffles. Up to {@value #MAX_SINGLE} features: each feature alone. More (image
 * pixels): groups, each shuffled as one (the same row permutation for all its columns, so the pixels of a patch move
 * together): a square count of features (s x s, an image flattened row by row, as the IDX reader and the Fashion-MNIST
 * csv give it) in square patches of side {@code ceil(s / 7)}, at most 7 x 7 = 49 patches (28 x 28 pixels: 4 x 4
 * patches named {@code rows 0-3, cols 4-7}); any other count in at most {@value #MAX_GROUPS} runs of adjacent columns
 * named by their first and last feature. One pixel alone barely matters to a network that sees its neighbours, and 784
 * features x K repeats would cost 784 K forward passes.
 */
public final class FeatureGroups {

    /** At most this many features are scored one by one. */
    public static final int MAX_SINGLE = 128;
    /** Runs of adjacent columns: at most this many groups. */
    public static final int MAX_GROUPS = 64;

    /** @param columns the feature columns shuffled together */
    public record Group(String name, int[] columns) {
    }

    private FeatureGroups() {
    }

    public static List<Group> of(List<String> names) {
        int n = names.size();
        List<Group> groups = new ArrayList<>();
        if (n <= MAX_SINGLE) {
            for (int i = 0; i < n; i++) {
                groups.add(new Group(names.get(i), new int[]{i}));
            }
            return groups;
        }
        int side = (int) Math.round(Math.sqrt(n));
        if (side * side == n) {
            int patch = (side + 6) / 7;
            for (int r0 = 0; r0 < side; r0 += patch) {
                for (int c0 = 0; c0 < side; c0 += patch) {
                    int r1 = Math.min(side, r0 + patch);
                    int c1 = Math.min(side, c0 + patch);
                    int[] cols = new int[(r1 - r0) * (c1 - c0)];
                    int k = 0;
                    for (int r = r0; r < r1; r++) {
                        for (int c = c0; c < c1; c++) {
                            cols[k++] = r * side + c;
                        }
                    }
                    groups.add(new Group(String.format(Locale.ROOT, "rows %d-%d, cols %d-%d", r0, r1 - 1, c0, c1 - 1),
                            cols));
                }
            }
            return groups;
        }
        int size = (n + MAX_GROUPS - 1) / MAX_GROUPS;
        for (int from = 0; from < n; from += size) {
            int to = Math.min(n, from + size);
            int[] cols = new int[to - from];
            for (int i = from; i < to; i++) {
                cols[i - from] = i;
            }
            groups.add(new Group(names.get(from) + ".." + names.get(to - 1), cols));
        }
        return groups;
    }
}
