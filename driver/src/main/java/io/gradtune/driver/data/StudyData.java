package io.gradtune.driver.data;

import io.gradtune.driver.config.ConfigException;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.worker.data.DataFormatException;
import io.gradtune.worker.data.DataLoader;
import io.gradtune.worker.data.SharedData;
import io.gradtune.worker.data.StratifiedSplit;
import io.gradtune.worker.data.Table;
import io.gradtune.worker.data.UserData;
import io.gradtune.worker.data.UserDataException;
import io.gradtune.worker.protocol.DataSpec;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A study's data as the driver prepares it, once per study: read, split with the seed, and packed as the
 * {@link SharedData} that is broadcast to the executors, which then take it once per JVM (never per trial).
 *
 * <p>Local csv and idx files ({@link DataSpec#readsLocalFiles()}) are read by the same readers an executor used to run
 * itself, a file-system URI, parquet or a catalog table through Spark SQL ({@link SparkSqlTable}); both give the
 * same rows for the same csv file, and the split and the scaling (fitted per trial's scaling on the executors) are
 * the same classes, so results do not depend on the route. Everything wrong with the data is a
 * {@link ConfigException} naming the field, thrown before any trial starts.
 *
 * <p>The data must fit in memory: at most {@link #MAX_VALUES} feature values (rows x features).
 *
 * @param spec      the config's data spec with the digest of the rows read ({@link DataSpec#fingerprint()}); trials carry it
 * @param shared    the train and validation rows to broadcast
 * @param readNanos time spent reading (and, for Spark SQL, counting and collecting) the rows
 * @param summary   one line for the console: what was read, how it was split, how big the broadcast is
 * @param test      the held-out test part (unscaled): the split's remainder, or {@code data.test_source}'s rows with a
 *                  separate validation source (else empty): only the refit of
 *                  the best trial reads it, once, after the search; it never leaves the driver
 */
public record StudyData(DataSpec spec, SharedData shared, long readNanos, String summary, Table test) {

    /** Data without a test part (tests that build one by hand). */
    public StudyData(DataSpec spec, SharedData shared, long readNanos, String summary) {
        this(spec, shared, readNanos, summary, null);
    }

    /** At most this many feature values (400 MB as float32): the driver collects them, each executor holds a copy. */
    public static final long MAX_VALUES = 100_000_000L;

    /** Reads, checks and splits the data of {@code config}; Spark SQL runs on the study's context {@code sc}. */
    public static StudyData prepare(StudyConfig config, SparkContext sc) {
        return prepare(config, sc, MAX_VALUES);
    }

    /**
     * Reads, checks and splits a study's local csv or idx files ({@link DataSpec#readsLocalFiles()}), or drains its
     * data class ({@link DataSpec#userData()}), without Spark:
     * what {@code validate} and {@code run} do before anything starts, with the readers and checks
     * {@link #prepare(StudyConfig, SparkContext)} uses.
     *
     * @throws ConfigException listing what is wrong with the data
     * @throws IllegalArgumentException when the data is not local (Spark SQL reads it)
     */
    public static StudyData readLocal(StudyConfig config) {
        if (!config.data().readByDriver()) {
            throw new IllegalArgumentException(config.data().location() + " is read through Spark SQL");
        }
        return prepare(config, null, MAX_VALUES);
    }

    /** {@link #prepare(StudyConfig, SparkContext)} with another limit on the number of feature values. */
    static StudyData prepare(StudyConfig config, SparkContext sc, long maxValues) {
        DataSpec spec = config.data();
        String file = config.source() == null ? null : config.source().toString();
        if (spec.userData()) {
            return drained(file, spec, maxValues);
        }
        long t0 = System.nanoTime();
        Table all;
        Table validation = null;
        List<String> leftOut = List.of();
        String route;
        if (spec.readsLocalFiles()) {
            route = "read from";
            all = local(file, "data.source", spec.path(), spec, spec.featureColumns());
            if (spec.valPath() != null) {
                validation = local(file, "data.validation_source", spec.valPath(), spec, spec.featureColumns());
            }
            checkSize(file, spec, all, maxValues);
        } else {
            route = "read through Spark SQL from";
            SparkSqlTable reader = new SparkSqlTable(session(sc), file, spec, maxValues);
            SparkSqlTable.Read main = reader.main();
            all = main.table();
            leftOut = main.leftOut();
            if (spec.valPath() != null) {
                validation = reader.validation(all.featureNames()).table();
            }
        }
        long readNanos = System.nanoTime() - t0;
        if (!spec.regression()) {   // a regression has no classes: the split below needs rows, which it checks
            ClassCoverage.check(file, spec, spec.table() != null ? "data.table" : "data.source", all, validation);
        }
        String digest = SharedData.digest(all, validation);
        StratifiedSplit.Parts parts = DataLoader.split(all, validation, spec);
        if (parts.train().rows() == 0 || parts.validation().rows() == 0) {
            throw new ConfigException(file, "data.split", null, all.rows() + " rows give " + parts.train().rows()
                    + " training and " + parts.validation().rows() + " validation rows; both need at least one");
        }
        io.gradtune.driver.config.PreprocessingSection.checkWidth(spec, config.space(), file,
                cleanedColumns(spec, parts.train()));
        SharedData shared = SharedData.of(digest, parts);
        String summary = String.format(Locale.ROOT, "data: %d rows x %d features, %s, %s %s in %.2f s%s; "
                        + "split %d train / %d validation; %.2f MB to each executor JVM, once",
                all.rows() + (validation == null ? 0 : validation.rows()), all.columns(),
                spec.regression() ? "numeric target " + spec.labelColumn() + " (regression)"
                        : Math.max(all.numClasses(), validation == null ? 0 : validation.numClasses()) + " classes",
                route, spec.location(),
                readNanos / 1e9, leftOut.isEmpty() ? "" : " (non-numeric columns left out: " + String.join(", ", leftOut) + ")",
                parts.train().rows(), parts.validation().rows(), shared.payloadBytes() / 1e6);
        if (spec.preprocessing() != null) {
            List<String> searched = config.space().parameters().stream().map(p -> p.name())
                    .filter(io.gradtune.worker.protocol.Preprocessing.PARAMETERS::contains).toList();
            summary += "; cleaning fitted on the training part: " + describe(spec.preprocessing())
                    + (searched.isEmpty() ? "" : " (a trial's " + String.join(", ", searched) + " override"
                    + (searched.size() == 1 ? "s" : "") + " this)");
        }
        Table test = parts.test();
        if (spec.testPath() != null) { // data.test_source: read as the other local files, checked the same way
            test = local(file, "data.test_source", spec.testPath(), spec, spec.featureColumns());
            if (test.columns() != all.columns()) {
                throw new ConfigException(file, "data.test_source", spec.testPath(), test.columns() + " feature "
                        + "columns, but data.source has " + all.columns() + ": the test rows need the same features");
            }
            summary += String.format(Locale.ROOT, "; %d held-out test rows from data.test_source, for the refit only",
                    test.rows());
        }
        return new StudyData(spec.withFingerprint(digest), shared, readNanos, summary, test);
    }

    /**
     * A data class's splits ({@code data.class}): its iterators drained on the driver ({@link UserData}), taken as
     * train, validation and test as they are (no split, no scaling), fingerprinted by the digest of the drained
     * arrays. Every problem is a {@link ConfigException} on {@code data.class} naming the class and the cause.
     */
    static StudyData drained(String file, DataSpec spec, long maxValues) {
        long t0 = System.nanoTime();
        UserData.Drained d;
        try {
            d = UserData.drain(spec.dataClass(), spec.splitSeed(), spec.regression(), maxValues);
        } catch (UserDataException e) {
            throw new ConfigException(file, "data.class", spec.dataClass(), e.reason());
        }
        long readNanos = System.nanoTime() - t0;
        Table test = d.test() != null ? d.test() : d.train().select(new int[0]);
        String digest = SharedData.digest(d.test() == null ? List.of(d.train(), d.validation())
                : List.of(d.train(), d.validation(), d.test()));
        StratifiedSplit.Parts parts = new StratifiedSplit.Parts(d.train(), d.validation(), test);
        SharedData shared = SharedData.of(digest, parts);
        String summary = String.format(Locale.ROOT, "data: drained from %s in %.2f s: %d train / %d validation / %d "
                        + "test examples x %d features, %s; no scaling (taken as prepared); %.2f MB to each executor "
                        + "JVM, once", spec.dataClass(), readNanos / 1e9, d.train().rows(), d.validation().rows(),
                test.rows(), d.train().columns(), spec.regression() ? "numeric target (regression)"
                        : d.train().numClasses() + " classes", shared.payloadBytes() / 1e6);
        return new StudyData(spec.withFingerprint(digest), shared, readNanos, summary, test);
    }

    /** Values per row, as every trial's network receives them. */
    public int numFeatures() {
        return shared.parts().train().columns();
    }

    /** Classes of the label over both splits (the output layer's size). */
    public int numClasses() {
        StratifiedSplit.Parts parts = shared.parts();
        return Math.max(parts.train().numClasses(), parts.validation().numClasses());
    }

    /**
     * Rows per class of the validation split, indexed by label over every class of the data (a class without
     * validation rows counts 0): what a classifier that learned nothing scores on it follows from these.
     */
    public long[] validationClassCounts() {
        StratifiedSplit.Parts parts = shared.parts();
        Table val = parts.validation();
        long[] counts = new long[Math.max(parts.train().numClasses(), val.numClasses())];
        for (int y : val.labels()) {
            counts[y]++;
        }
        return counts;
    }

    /** The Spark SQL session of the study's context (created on first use, then the same one). */
    static SparkSession session(SparkContext sc) {
        SparkSession spark = SparkSession.builder().config(sc.getConf()).getOrCreate();
        if (spark.sparkContext() != sc) {
            throw new IllegalStateException("Spark SQL session bound to another SparkContext");
        }
        return spark;
    }

    /** The data section's cleaning in words (searched values override it per trial). */
    private static String describe(io.gradtune.worker.protocol.Preprocessing p) {
        String outliers = p.outliers().equals("none") ? "none" : p.outliers() + (p.zscore() > 0
                ? " at mean +- " + p.zscore() + " std" : " at quantiles [" + p.clipLow() + ", " + p.clipHigh() + "]");
        String pca = p.pcaComponents() == 0 ? "none" : p.pcaComponents() < 1 ? p.pcaComponents() + " of the variance"
                : (long) p.pcaComponents() + " components";
        return "missing " + p.missing() + (p.missingIndicators() ? " + indicators" : "") + ", outliers " + outliers
                + ", pca " + pca;
    }

    /** The feature columns the cleaning gives a network (before PCA): the data's plus one per missing indicator. */
    private static int cleanedColumns(DataSpec spec, Table train) {
        int c = train.columns();
        if (!spec.cleaning().missingIndicators()) {
            return c;
        }
        boolean[] missing = new boolean[c];
        float[] f = train.features();
        for (int i = 0; i < f.length; i++) {
            missing[i % c] |= Float.isNaN(f[i]);
        }
        int extra = 0;
        for (boolean m : missing) {
            extra += m ? 1 : 0;
        }
        return c + extra;
    }

    private static Table local(String file, String field, String path, DataSpec spec, List<String> features) {
        try {
            return DataLoader.read(Path.of(path), spec.format(), spec.labelColumn(), features, spec.regression(),
                    spec.cleaning().readsMissing());
        } catch (DataFormatException e) {
            throw new ConfigException(file, field, path, e.getMessage());
        }
    }

    private static void checkSize(String file, DataSpec spec, Table t, long maxValues) {
        long values = (long) t.rows() * t.columns();
        if (values > maxValues) {
            throw new ConfigException(file, "data.source", spec.path(), String.format(Locale.ROOT, "%,d rows x %,d "
                    + "features = %,d values, more than the %,d gradtune holds in memory on the driver and on each "
                    + "executor; sample the data first", t.rows(), t.columns(), values, maxValues));
        }
    }
}
