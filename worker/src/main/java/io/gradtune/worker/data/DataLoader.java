package io.gradtune.worker.data;

import io.gradtune.worker.protocol.DataSpec;
import io.gradtune.worker.protocol.Preprocessing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Holds a study's split data once per JVM and hands every trial the same {@link PreparedData}, scaled per trial's
 * scaling. The split parts come from the driver ({@link #provide}: the rows it read and split once and broadcast),
 * or, for a spec the driver has not read (benchmarks, tests), from the spec's local file, read here once.
 * The cache key is the spec (which carries the digest of the rows the driver read) plus the trial's scaling, so
 * trials that tune scaling still share the split.
 */
public final class DataLoader {

    /** Keyed by the spec's text, as {@link #PREPARED}: its first equals() costs a record bootstrap, its text does not. */
    private static final Map<String, StratifiedSplit.Parts> SPLITS = new ConcurrentHashMap<>();
    private static final Map<String, PreparedData> PREPARED = new ConcurrentHashMap<>();

    private DataLoader() {
    }

    /** The train/validation arrays for a spec, scaled as {@code scaling} says (null = the spec's scaling). */
    public static PreparedData prepared(DataSpec spec, String scaling) {
        return prepared(spec, scaling, null);
    }

    /**
     * The train/validation arrays for a spec, cleaned as its {@link DataSpec#cleaning} with a trial's overrides
     * ({@code params}' {@code missing}, {@code outliers}, {@code pca_components}; null = none) and scaled as
     * {@code scaling} says (null = the spec's scaling): {@link FittedPreprocessing#prepare}, fitted on the training
     * part. Keyed by the scaling and the cleaning, so trials that tune either still share the split.
     */
    public static PreparedData prepared(DataSpec spec, String scaling, Map<String, ?> params) {
        String s = scaling == null ? spec.scaling() : scaling;
        Preprocessing p = spec.cleaning().with(params);
        return PREPARED.computeIfAbsent(spec + "|" + s + "|" + p.key(), k -> {
            StratifiedSplit.Parts parts = parts(spec);
            if (!p.passesThrough()) {
                return FittedPreprocessing.prepare(p, Scaling.parse(s), parts.train(), parts.validation());
            }
            Scaling.Fitted fitted = Scaling.parse(s).fit(parts.train());
            return PreparedData.of(fitted.apply(parts.train()), fitted.apply(parts.validation()));
        });
    }

    /** The split parts of a spec (unscaled). */
    public static StratifiedSplit.Parts parts(DataSpec spec) {
        return SPLITS.computeIfAbsent(spec.toString(), k -> load(spec));
    }

    /**
     * Makes the rows the driver read and split for {@code spec} available to this JVM's trials. Only the first call
     * for a spec takes {@code shared} (the broadcast's value, fetched then); later calls, one per trial, find the
     * copy already here.
     *
     * @throws DataFormatException when the shared data is not the data the spec names (another digest)
     */
    public static void provide(DataSpec spec, Supplier<SharedData> shared) {
        SPLITS.computeIfAbsent(spec.toString(), k -> {
            SharedData data = shared.get();
            if (!data.fingerprint().equals(spec.fingerprint())) {
                throw new DataFormatException("the broadcast data has digest " + data.fingerprint() + " but the trial's "
                        + "data (" + spec.location() + ") has digest " + spec.fingerprint());
            }
            return data.parts();
        });
    }

    /**
     * Reads a spec's local files and splits them as it says, without caching: what the driver does once per study
     * for local csv and idx data ({@link DataSpec#readsLocalFiles()}).
     */
    public static StratifiedSplit.Parts readAndSplit(DataSpec spec) {
        boolean missing = spec.cleaning().readsMissing();
        Table all = read(Path.of(spec.path()), spec.format(), spec.labelColumn(), spec.featureColumns(),
                spec.regression(), missing);
        Table val = spec.valPath() == null ? null
                : read(Path.of(spec.valPath()), spec.format(), spec.labelColumn(), spec.featureColumns(),
                spec.regression(), missing);
        return split(all, val, spec);
    }

    /** The parts of {@code all} as the spec says: the separate validation table when there is one, else a split. */
    public static StratifiedSplit.Parts split(Table all, Table validation, DataSpec spec) {
        if (validation != null) {
            return new StratifiedSplit.Parts(all, validation, all.select(new int[0]));
        }
        return StratifiedSplit.split(all, spec.trainFraction(), spec.valFraction(), spec.splitSeed());
    }

    /** Reads a table in the spec's format, every column but the label a feature. */
    public static Table read(Path path, String format, String labelColumn) {
        return read(path, format, labelColumn, null);
    }

    /** Reads a table in the spec's format; {@code featureColumns} (csv only) picks the features, null = all others. */
    public static Table read(Path path, String format, String labelColumn, List<String> featureColumns) {
        return read(path, format, labelColumn, featureColumns, false);
    }

    /** As {@link #read(Path, String, String, List)}; {@code regression}: the label column is a numeric target. */
    public static Table read(Path path, String format, String labelColumn, List<String> featureColumns,
                             boolean regression) {
        return read(path, format, labelColumn, featureColumns, regression, false);
    }

    /**
     * As {@link #read(Path, String, String, List, boolean)}; {@code keepMissing}: a csv file's empty and NaN feature
     * cells are read as NaN instead of rejected ({@link Preprocessing#readsMissing}).
     */
    public static Table read(Path path, String format, String labelColumn, List<String> featureColumns,
                             boolean regression, boolean keepMissing) {
        if (!Files.isRegularFile(path)) {
            throw new DataFormatException(path + ": data file not found");
        }
        String f = format.toLowerCase(Locale.ROOT);
        if (regression && !f.equals("csv")) {
            throw new DataFormatException(path + ": a regression (data.task: regression) reads a csv file with a "
                    + "numeric target column; " + f + " data holds class labels");
        }
        return switch (f) {
            case "csv" -> CsvTableReader.read(path, labelColumn, featureColumns, regression, keepMissing);
            case "idx" -> IdxTableReader.read(path);
            default -> throw new DataFormatException("unknown local data format '" + format + "', expected csv or idx");
        };
    }

    private static StratifiedSplit.Parts load(DataSpec spec) {
        if (spec.fingerprint() != null) {
            throw new DataFormatException("the data of this trial (" + spec.location() + ", digest " + spec.fingerprint()
                    + ") is read by the driver and sent to executors as a broadcast, which this task did not get");
        }
        return readAndSplit(spec);
    }
}
