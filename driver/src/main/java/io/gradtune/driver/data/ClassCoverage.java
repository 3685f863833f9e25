package io.gradtune.driver.data;

import io.gradtune.driver.config.ConfigException;
import io.gradtune.worker.data.DataProblem;
import io.gradtune.worker.data.DataProblems;
import io.gradtune.worker.data.StratifiedSplit;
import io.gradtune.worker.data.Table;
import io.gradtune.worker.protocol.DataSpec;

import java.util.Locale;

/**
 * The rule that every class can be learned and measured: labels are the consecutive whole numbers 0..K-1, and each
 * class has at least one training and at least one validation row. With {@code data.split} that means enough rows
 * for the stratified split to give it both ({@link StratifiedSplit#partSizes}: 3 rows at the default 0.6 / 0.2);
 * with {@code data.validation_source} a row in each file. Checked on the rows read, before the split and before any
 * trial, for every data route.
 */
final class ClassCoverage {

    private ClassCoverage() {
    }

    /**
     * @param field      the config field that names the main data ({@code data.source} or {@code data.table})
     * @param all        the main rows
     * @param validation the separate validation rows, or null when the split makes them
     * @throws ConfigException listing every class that breaks the rule
     */
    static void check(String configFile, DataSpec spec, String field, Table all, Table validation) {
        String where = spec.table() != null ? spec.table() : spec.path();
        int classes = Math.max(all.numClasses(), validation == null ? 0 : validation.numClasses());
        long rows = all.rows() + (validation == null ? 0L : validation.rows());
        if (classes > rows) {   // some class is empty for sure; and K counters could not be allocated for a huge label
            throw new ConfigException(configFile, field, where, new DataProblem(where, null, spec.labelColumn(),
                    String.valueOf(classes - 1), "the largest class label is " + (classes - 1) + " but there are "
                    + "only " + rows + " rows, so most classes 0.." + (classes - 1) + " have no rows",
                    "class labels are the consecutive whole numbers 0..K-1: renumber the labels").toString());
        }
        long[] main = counts(all, classes);
        long[] val = validation == null ? null : counts(validation, classes);
        DataProblems problems = new DataProblems();
        String label = spec.labelColumn();
        int minRows = StratifiedSplit.minRowsPerClass(spec.trainFraction(), spec.valFraction());
        for (int c = 0; c < classes; c++) {
            long n = main[c];
            if (val != null) {
                if (n == 0 || val[c] == 0) {
                    boolean inMain = n > 0;
                    problems.add(new DataProblem(inMain ? spec.valPath() : where, null, label, String.valueOf(c),
                            "class " + c + " has no rows here (" + (inMain ? n + " in " + where
                                    : val[c] + " in " + spec.valPath()) + ")" + gapHint(c, main, val),
                            "every class 0.." + (classes - 1) + " needs rows in both data.source and "
                                    + "data.validation_source"));
                }
                continue;
            }
            int[] sizes = StratifiedSplit.partSizes((int) Math.min(n, Integer.MAX_VALUE), spec.trainFraction(),
                    spec.valFraction());
            if (sizes[0] < 1 || sizes[1] < 1) {
                problems.add(new DataProblem(where, null, label, String.valueOf(c), String.format(Locale.ROOT,
                        "class %d has %d row%s: the split (train %s, validation %s) gives it %d training and %d "
                                + "validation rows; each class needs at least %d rows%s", c, n, n == 1 ? "" : "s",
                        spec.trainFraction(), spec.valFraction(), sizes[0], sizes[1], minRows, gapHint(c, main, null)),
                        n == 0 ? "class labels are the consecutive whole numbers 0..K-1: renumber the labels"
                                : "add rows of class " + c + ", or drop its rows and renumber the labels above it"));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(configFile, field, where, problems.describe());
        }
    }

    private static long[] counts(Table t, int classes) {
        long[] out = new long[classes];
        for (int label : t.labels()) {
            out[label]++;
        }
        return out;
    }

    /** A hint for an empty class 0 (1-based labels) or an empty class between others (a gap in the numbering). */
    private static String gapHint(int c, long[] main, long[] val) {
        boolean empty = main[c] == 0 && (val == null || val[c] == 0);
        if (!empty) {
            return "";
        }
        return c == 0 ? "; labels start at 0 (1-based labels? subtract 1)" : "; a gap in the label numbering";
    }
}
