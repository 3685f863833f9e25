package io.gradtune.worker.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a study's data comes from and how to split and scale it. The driver reads it once per study, splits it and
 * broadcasts the train and validation rows ({@code data.SharedData}); then {@code fingerprint} is set, and an
 * executor takes the rows from that broadcast, never from {@code path}. With no fingerprint (benchmarks, tests) an
 * executor reads {@code path} itself, a local file, once per JVM.
 *
 * @param path           a local path ({@code /data/digits.csv}) or a Hadoop file-system URI ({@code file:///...},
 *                       {@code hdfs://...}, {@code s3a://...}); null when {@code table} is set
 * @param format         {@code csv} (a {@code .gz} file is gunzipped), {@code parquet}, or {@code idx} (MNIST-format
 *                       files, local paths only); null when {@code table} is set
 * @param labelColumn    name of the class label column (csv, parquet, table): 0-based integer classes
 * @param valPath        optional separate validation file or URI; when set, no split of {@code path} happens for
 *                       validation
 * @param trainFraction  fraction of rows for training when splitting
 * @param valFraction    fraction of rows for validation when splitting (the rest is the test part)
 * @param scaling        {@code standard}, {@code minmax} or {@code none}; fitted on the training part only
 * @param splitSeed      seed of the stratified split
 * @param table          a catalog table ({@code db.name}) read with Spark SQL instead of {@code path}, or null
 * @param featureColumns the feature columns in order, or null for every other (numeric) column
 * @param fingerprint    SHA-256 of the rows as the driver read them ({@code data.SharedData#digest}), set once the
 *                       driver has read the data; null before, and where executors read {@code path} themselves
 * @param task           {@link #CLASSIFICATION} (also when null: specs written before the field) or {@link #REGRESSION}
 *                       (the label column is a numeric target)
 * @param testPath       a local file of held-out test rows ({@code data.test_source}, with {@code validation_source}),
 *                       read by the driver for the refit's single score only; null when the test part is the split's
 *                       remainder (or there is none). Executors never read it.
 * @param dataClass      a user's data class ({@code data.class}), or null
 * @param preprocessing  the data cleaning and PCA settings ({@code data.missing}, {@code data.outliers},
 *                       {@code data.pca_components}, ...), or null for none ({@link Preprocessing#NONE})
 */
public record DataSpec(
        String path,
        String format,
        String labelColumn,
        String valPath,
        double trainFraction,
        double valFraction,
        String scaling,
        long splitSeed,
        String table,
        List<String> featureColumns,
        String fingerprint,
        String task,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        String testPath,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        String dataClass,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        Preprocessing preprocessing) {

    /** {@code data.task} of a classification: an integer class label, softmax output, cross-entropy. */
    public static final String CLASSIFICATION = "classification";
    /** {@code data.task} of a regression: a numeric target, identity output of one unit, mean squared error. */
    public static final String REGRESSION = "regression";

    /** A scheme of two or more characters and a colon: a URI, not a local path. */
    private static final Pattern URI = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]+:.*");

    @JsonCreator
    public DataSpec {
        if (task != null && !task.equals(CLASSIFICATION) && !task.equals(REGRESSION)) {
            throw new IllegalArgumentException("unknown data task '" + task + "', expected classification or regression");
        }
        featureColumns = featureColumns == null ? null : List.copyOf(featureColumns);
    }

    /** A spec without data cleaning (the form before {@code preprocessing}). */
    public DataSpec(String path, String format, String labelColumn, String valPath, double trainFraction,
                    double valFraction, String scaling, long splitSeed, String table, List<String> featureColumns,
                    String fingerprint, String task, String testPath, String dataClass) {
        this(path, format, labelColumn, valPath, trainFraction, valFraction, scaling, splitSeed, table,
                featureColumns, fingerprint, task, testPath, dataClass, null);
    }

    /** The data cleaning and PCA of this spec: {@link #preprocessing}, or {@link Preprocessing#NONE}. */
    public Preprocessing cleaning() {
        return preprocessing == null ? Preprocessing.NONE : preprocessing;
    }

    /** This spec with the given data cleaning (null: none). */
    public DataSpec withPreprocessing(Preprocessing p) {
        return new DataSpec(path, format, labelColumn, valPath, trainFraction, valFraction, scaling, splitSeed, table,
                featureColumns, fingerprint, task, testPath, dataClass, p);
    }

    /** A spec of files or a table (no data class). */
    public DataSpec(String path, String format, String labelColumn, String valPath, double trainFraction,
                    double valFraction, String scaling, long splitSeed, String table, List<String> featureColumns,
                    String fingerprint, String task, String testPath) {
        this(path, format, labelColumn, valPath, trainFraction, valFraction, scaling, splitSeed, table,
                featureColumns, fingerprint, task, testPath, null);
    }

    /**
     * The spec of a user's data class ({@code data.class}): no files, no split, no scaling.
     *
     * @param seed the seed the factory's iterators are called with ({@code data.seed})
     */
    public static DataSpec ofClass(String dataClass, long seed, String task) {
        return new DataSpec(null, null, "label", null, 0, 0, "none", seed, null, null, null, task, null, dataClass);
    }

    /** Whether a user's data class supplies the data ({@code data.class}). */
    public boolean userData() {
        return dataClass != null;
    }

    /** Whether the driver reads the data without Spark: local csv or idx files, or a user's data class. */
    public boolean readByDriver() {
        return readsLocalFiles() || userData();
    }

    /** A spec without a separate test file (the form before {@code testPath}). */
    public DataSpec(String path, String format, String labelColumn, String valPath, double trainFraction,
                    double valFraction, String scaling, long splitSeed, String table, List<String> featureColumns,
                    String fingerprint, String task) {
        this(path, format, labelColumn, valPath, trainFraction, valFraction, scaling, splitSeed, table,
                featureColumns, fingerprint, task, null);
    }

    /** A classification spec (the form before {@code task}). */
    public DataSpec(String path, String format, String labelColumn, String valPath, double trainFraction,
                    double valFraction, String scaling, long splitSeed, String table, List<String> featureColumns,
                    String fingerprint) {
        this(path, format, labelColumn, valPath, trainFraction, valFraction, scaling, splitSeed, table,
                featureColumns, fingerprint, null);
    }

    /** A local file's spec: no table, every other column a feature, not yet read by the driver. */
    public DataSpec(String path, String format, String labelColumn, String valPath, double trainFraction,
                    double valFraction, String scaling, long splitSeed) {
        this(path, format, labelColumn, valPath, trainFraction, valFraction, scaling, splitSeed, null, null, null);
    }

    /** Whether the label column is a numeric target ({@code data.task: regression}). */
    public boolean regression() {
        return REGRESSION.equals(task);
    }

    /** This spec with the given task ({@link #CLASSIFICATION} or {@link #REGRESSION}). */
    public DataSpec withTask(String newTask) {
        return new DataSpec(path, format, labelColumn, valPath, trainFraction, valFraction, scaling, splitSeed, table,
                featureColumns, fingerprint, newTask, testPath, dataClass, preprocessing);
    }

    /** This spec with a separate file of held-out test rows ({@code data.test_source}). */
    public DataSpec withTestPath(String file) {
        return new DataSpec(path, format, labelColumn, valPath, trainFraction, valFraction, scaling, splitSeed, table,
                featureColumns, fingerprint, task, file, dataClass, preprocessing);
    }

    /** True when a location is a URI ({@code file:///x}, {@code hdfs://nn/x}) rather than a local path. */
    public static boolean isUri(String location) {
        return location != null && URI.matcher(location).matches();
    }

    /**
     * True when the data is local csv or idx files that gradtune's own readers parse ({@code CsvTableReader},
     * {@code IdxTableReader}); false for a URI, parquet or a table, which the driver reads through Spark SQL.
     */
    public boolean readsLocalFiles() {
        return dataClass == null && table == null && !isUri(path) && !isUri(valPath)
                && ("csv".equals(format) || "idx".equals(format));
    }

    /** Where the rows come from, for messages: the table ({@code table db.name}) or the path. */
    public String location() {
        return dataClass != null ? "class " + dataClass : table != null ? "table " + table : path;
    }

    /** This spec with the driver's digest of the rows it read. */
    public DataSpec withFingerprint(String digest) {
        return new DataSpec(path, format, labelColumn, valPath, trainFraction, valFraction, scaling, splitSeed, table,
                featureColumns, digest, task, testPath, dataClass, preprocessing);
    }
}
