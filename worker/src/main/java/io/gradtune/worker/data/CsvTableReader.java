package io.gradtune.worker.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads a comma-separated file with a header row into a {@link Table}: the feature columns (every column but the
 * label column, or the ones named, in that order) are numeric; the label column holds 0-based integer classes (or,
 * for a regression, {@code data.task: regression}, a finite numeric target).
 * Columns that are neither are skipped unparsed. Files ending in {@code .gz} are gunzipped.
 *
 * <p>A bad file is read to its end and every problem reported at once ({@link DataFormatException#problems()}, the
 * first {@link DataProblems#SHOWN} of them and a count): a cell that is not a number, empty, NaN or infinite; a
 * label that is not a whole number {@code >= 0}; a row with another number of fields than the header; a missing
 * label column. Each names the 1-based line as an editor shows it, the column and the value. Missing feature values
 * (empty or NaN cells) are problems too unless the caller keeps them ({@code keepMissing}: read as NaN for
 * {@code data.missing} to fill or drop). Blank lines are skipped.
 */
public final class CsvTableReader {

    private CsvTableReader() {
    }

    public static Table read(Path file, String labelColumn) {
        return read(file, labelColumn, null);
    }

    /** Reads {@code file}; {@code featureColumns} names the features in order, null for every column but the label. */
    public static Table read(Path file, String labelColumn, List<String> featureColumns) {
        return read(file, labelColumn, featureColumns, false);
    }

    /**
     * Reads {@code file}; with {@code regression} the label column is a numeric target (any finite number) and the
     * table is a regression table ({@link Table#regression}).
     */
    public static Table read(Path file, String labelColumn, List<String> featureColumns, boolean regression) {
        return read(file, labelColumn, featureColumns, regression, false);
    }

    /**
     * As {@link #read(Path, String, List, boolean)}; with {@code keepMissing} an empty or {@code NaN} feature cell is
     * read as NaN (a missing value that the study's {@code data.missing} fills or drops) instead of reported. A
     * missing label or target is always a problem.
     */
    public static Table read(Path file, String labelColumn, List<String> featureColumns, boolean regression,
                             boolean keepMissing) {
        try (BufferedReader reader = open(file)) {
            return read(reader, file.toString(), labelColumn, featureColumns, regression, keepMissing);
        } catch (IOException e) {
            throw new DataFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a file without a label column (rows to predict): {@code featureColumns} as {@link #read(Path, String,
     * List)}; every row's label is 0. Same parsing and the same problem reports as a labelled file.
     */
    public static Table readUnlabelled(Path file, List<String> featureColumns) {
        return readUnlabelled(file, featureColumns, false);
    }

    /** As {@link #readUnlabelled(Path, List)}; {@code keepMissing} as in {@link #read(Path, String, List, boolean, boolean)}. */
    public static Table readUnlabelled(Path file, List<String> featureColumns, boolean keepMissing) {
        String none = "\u0000no label";
        try (BufferedReader reader = open(file)) {
            BufferedReader labelled = new BufferedReader(reader) {
                private boolean header = true;

                @Override
                public String readLine() throws IOException {
                    String line = reader.readLine();
                    if (line == null) {
                        return null;
                    }
                    String extra = header ? none : "0";
                    header = false;
                    return line.isEmpty() ? line : line + "," + extra;
                }
            };
            return read(labelled, file.toString(), none, featureColumns, false, keepMissing);
        } catch (IOException e) {
            throw new DataFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The column names of {@code file}'s header row (empty for an empty file). */
    public static List<String> header(Path file) {
        try (BufferedReader reader = open(file)) {
            String header = reader.readLine();
            return header == null ? List.of() : List.of(header.split(",", -1));
        } catch (IOException e) {
            throw new DataFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static BufferedReader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        try {
            if (file.toString().endsWith(".gz")) {
                in = new GZIPInputStream(in, 1 << 16);
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }

    static Table read(BufferedReader reader, String source, String labelColumn) throws IOException {
        return read(reader, source, labelColumn, null);
    }

    static Table read(BufferedReader reader, String source, String labelColumn, List<String> featureColumns)
            throws IOException {
        return read(reader, source, labelColumn, featureColumns, false);
    }

    static Table read(BufferedReader reader, String source, String labelColumn, List<String> featureColumns,
                      boolean regression) throws IOException {
        return read(reader, source, labelColumn, featureColumns, regression, false);
    }

    static Table read(BufferedReader reader, String source, String labelColumn, List<String> featureColumns,
                      boolean regression, boolean keepMissing) throws IOException {
        DataProblems problems = new DataProblems();
        String header = reader.readLine();
        if (header == null) {
            problems.add(DataProblem.atLine(source, 1, null, null, "empty file",
                    "expected a header row of column names, then one row per example"));
            problems.throwIfAny();
        }
        String[] names = header.split(",", -1);
        for (int i = 0; i < names.length; i++) {
            for (int j = 0; j < i; j++) {
                if (names[j].equals(names[i])) {
                    problems.add(DataProblem.atLine(source, 1, names[i], null, "the header names this column twice "
                            + "(columns " + (j + 1) + " and " + (i + 1) + ")", "give every column its own name"));
                }
            }
        }
        int labelIndex = Arrays.asList(names).indexOf(labelColumn);
        if (labelIndex < 0) {
            problems.add(DataProblem.atLine(source, 1, labelColumn, null, "no column named '" + labelColumn
                    + "' in the header (columns: " + String.join(", ", Arrays.asList(names).subList(0,
                    Math.min(names.length, 8))) + (names.length > 8 ? ", ..." : "") + ")",
                    regression ? "name the numeric target column in data.label_column"
                            : "name the class label column in data.label_column"));
        }
        // target[i]: the feature position of header column i, -1 for the label and for columns not used
        int[] target = new int[names.length];
        List<String> featureNames = new ArrayList<>(names.length);
        if (featureColumns == null) {
            for (int i = 0; i < names.length; i++) {
                target[i] = i == labelIndex ? -1 : featureNames.size();
                if (i != labelIndex) {
                    featureNames.add(names[i].trim());
                }
            }
        } else {
            Arrays.fill(target, -1);
            for (String wanted : featureColumns) {
                int i = Arrays.asList(names).indexOf(wanted);
                if (i < 0 || i == labelIndex || target[i] >= 0) {
                    problems.add(DataProblem.atLine(source, 1, wanted, null, "feature column " + (i < 0
                            ? "not in the header" : i == labelIndex ? "is the label column" : "named twice"),
                            "fix data.feature_columns"));
                    continue;
                }
                target[i] = featureNames.size();
                featureNames.add(names[i].trim());
            }
        }
        problems.throwIfAny();   // the rows cannot be read against a header that is wrong
        int cols = featureNames.size();
        float[] features = new float[1024 * cols];
        int[] labels = new int[1024];
        float[] targets = regression ? new float[1024] : null;
        int rows = 0;
        int maxLabel = -1;
        String line;
        long lineNo = 1;
        while ((line = reader.readLine()) != null) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            int fields = 1;
            for (int i = line.indexOf(','); i >= 0; i = line.indexOf(',', i + 1)) {
                fields++;
            }
            if (fields != names.length) {
                problems.add(DataProblem.atLine(source, lineNo, null, null, fields + " fields, the header has "
                        + names.length, "give every row one value per header column (look for a missing or an extra "
                        + "comma; values cannot hold commas)"));
                continue;
            }
            if (rows == labels.length) {
                labels = Arrays.copyOf(labels, rows * 2);
                if (regression) {
                    targets = Arrays.copyOf(targets, rows * 2);
                }
                features = Arrays.copyOf(features, rows * 2 * cols);
            }
            int f = rows * cols;
            int start = 0;
            for (int field = 0; field < names.length; field++) {
                int end = line.indexOf(',', start);
                if (end < 0) {
                    end = line.length();
                }
                if (field == labelIndex && regression) {
                    String value = line.substring(start, end);
                    float y = feature(value);
                    if (Float.isFinite(y)) {
                        targets[rows] = y;
                    } else {
                        problems.add(targetProblem(source, lineNo, names[field], value));
                    }
                } else if (field == labelIndex) {
                    String value = line.substring(start, end);
                    int label = label(value);
                    if (label < 0) {
                        problems.add(labelProblem(source, lineNo, names[field], value));
                    } else {
                        labels[rows] = label;
                        maxLabel = Math.max(maxLabel, label);
                    }
                } else if (target[field] >= 0) {
                    String value = line.substring(start, end);
                    float x = feature(value);
                    if (Float.isFinite(x)) {
                        features[f + target[field]] = x;
                    } else if (keepMissing && isMissing(value)) {
                        features[f + target[field]] = Float.NaN;
                    } else {
                        problems.add(featureProblem(source, lineNo, names[field], value, featureColumns != null));
                    }
                }
                start = end + 1;
            }
            rows++;
        }
        if (rows == 0 && problems.isEmpty()) {
            problems.add(DataProblem.atLine(source, lineNo, null, null, "no data rows after the header",
                    "add one row per example below the header"));
        }
        problems.throwIfAny();
        if (regression) {
            return Table.regression(featureNames, Arrays.copyOf(features, rows * cols), Arrays.copyOf(targets, rows));
        }
        return new Table(featureNames, Arrays.copyOf(features, rows * cols), Arrays.copyOf(labels, rows), maxLabel + 1);
    }

    /** A feature value, or NaN when it is not a number (or is NaN itself): the caller reports every non-finite one. */
    private static float feature(String value) {
        try {
            return Float.parseFloat(value);
        } catch (NumberFormatException e) {
            return Float.NaN;
        }
    }

    /** Whether a cell is a missing value: empty (blanks only) or NaN. */
    private static boolean isMissing(String value) {
        String v = value.trim();
        return v.isEmpty() || v.equalsIgnoreCase("nan");
    }

    /** A 0-based class label, or -1. */
    private static int label(String value) {
        try {
            return Math.max(-1, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static DataProblem featureProblem(String source, long line, String column, String value, boolean named) {
        String v = value.trim();
        if (v.isEmpty()) {
            return DataProblem.atLine(source, line, column, value, "empty cell (a missing value)", MISSING);
        }
        float x;
        try {
            x = Float.parseFloat(v);
        } catch (NumberFormatException e) {
            x = 0;   // not a number: below
        }
        if (Float.isNaN(x)) {
            return DataProblem.atLine(source, line, column, value, "NaN (a missing value; every trial would "
                    + "diverge on it)", MISSING);
        }
        if (Float.isInfinite(x)) {
            return DataProblem.atLine(source, line, column, value, v.contains("Infinity") ? "an infinite value"
                    : "a number too large for float32", "replace it with a finite number (or rescale the column), "
                    + "or drop the row");
        }
        return DataProblem.atLine(source, line, column, value, "not a number", named ? "fix the cell"
                : "fix the cell, or list the numeric feature columns in data.feature_columns to leave this column out");
    }

    /** A regression target cell that is not a finite number: the feature problems' wording, a target's advice. */
    private static DataProblem targetProblem(String source, long line, String column, String value) {
        DataProblem p = featureProblem(source, line, column, value, true);
        String problem = "target " + p.problem();
        String fix = p.problem().startsWith("not a number")
                ? "the target of a regression (data.task: regression) is a number: fix the cell or drop the row"
                : p.remedy();
        return DataProblem.atLine(source, line, column, value, problem, fix);
    }

    private static DataProblem labelProblem(String source, long line, String column, String value) {
        String v = value.trim();
        String problem = v.isEmpty() ? "empty class label"
                : v.startsWith("-") && label(v.substring(1)) >= 0 ? "a negative class label"
                : "not a 0-based integer class label";
        return DataProblem.atLine(source, line, column, value, problem, "labels are the whole numbers 0..K-1 for K "
                + "classes (map named classes to numbers first)");
    }

    private static final String MISSING = "fill the cell or drop the row, or set data.missing (drop, mean, median or "
            + "most_frequent) to let gradtune fill or drop it";
}
