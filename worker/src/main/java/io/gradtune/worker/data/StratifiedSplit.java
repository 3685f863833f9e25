package io.gradtune.worker.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded, stratified split of a table into train, validation and test parts: every class is shuffled with
 * the seed and cut at the same fractions, so each part keeps the class proportions.
 */
public final class StratifiedSplit {

    /** The three parts of a split. */
    public record Parts(Table train, Table validation, Table test) {
    }

    private StratifiedSplit() {
    }

    public static Parts split(Table table, double trainFraction, double valFraction, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < table.numClasses(); c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < table.rows(); i++) {
            byClass.get(table.labels()[i]).add(i);
        }
        IntList train = new IntList();
        IntList val = new IntList();
        IntList test = new IntList();
        for (List<Integer> rows : byClass) {
            int[] idx = rows.stream().mapToInt(Integer::intValue).toArray();
            for (int i = idx.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
            int[] sizes = partSizes(idx.length, trainFraction, valFraction);
            int nTrain = sizes[0];
            int nVal = sizes[1];
            for (int i = 0; i < idx.length; i++) {
                (i < nTrain ? train : i < nTrain + nVal ? val : test).add(idx[i]);
            }
        }
        return new Parts(table.select(train.sorted()), table.select(val.sorted()), table.select(test.sorted()));
    }

    /** How many of a class's {@code rows} go to the training part and to the validation part: {train, validation}. */
    public static int[] partSizes(int rows, double trainFraction, double valFraction) {
        int nTrain = (int) Math.round(rows * trainFraction);
        int nVal = (int) Math.min(Math.round(rows * valFraction), rows - nTrain);
        return new int[] {nTrain, nVal};
    }

    /**
     * The fewest rows a class needs for the split to give it at least one training and one validation row, or -1
     * when no count up to a million does.
     */
    public static int minRowsPerClass(double trainFraction, double valFraction) {
        for (int n = 1; n <= 1_000_000; n++) {
            int[] sizes = partSizes(n, trainFraction, valFraction);
            if (sizes[0] >= 1 && sizes[1] >= 1) {
                return n;
            }
        }
        return -1;
    }

    private static final class IntList {
        private int[] values = new int[64];
        private int size;

        void add(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int[] sorted() {
            int[] out = Arrays.copyOf(values, size);
            Arrays.sort(out);
            return out;
        }
    }
}
