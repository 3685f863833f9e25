package io.gradtune.worker.data;

import io.gradtune.worker.protocol.DataSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads, splits and scales a {@link DataSpec} once per executor JVM and hands every trial the same
 * {@link PreparedData}. The cache key is the spec plus the trial's scaling, so trials that tune scaling
 * still share the parsed file.
 */
public final class DataLoader {

    private static final Map<DataSpec, StratifiedSplit.Parts> SPLITS = new ConcurrentHashMap<>();
    private static final Map<String, PreparedData> PREPARED = new ConcurrentHashMap<>();

    private DataLoader() {
    }

    /** The train/validation arrays for a spec, scaled as {@code scaling} says (null = the spec's scaling). */
    public static PreparedData prepared(DataSpec spec, String scaling) {
        String s = scaling == null ? spec.scaling() : scaling;
        return PREPARED.computeIfAbsent(spec + "|" + s, k -> {
            StratifiedSplit.Parts parts = parts(spec);
            Scaling.Fitted fitted = Scaling.parse(s).fit(parts.train());
            return PreparedData.of(fitted.apply(parts.train()), fitted.apply(parts.validation()));
        });
    }

    /** The split parts of a spec (unscaled). */
    public static StratifiedSplit.Parts parts(DataSpec spec) {
        return SPLITS.computeIfAbsent(spec, DataLoader::load);
    }

    /** Reads a table in the spec's format. */
    public static Table read(Path path, String format, String labelColumn) {
        if (!Files.isRegularFile(path)) {
            throw new DataFormatException(path + ": data file not found");
        }
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "csv" -> CsvTableReader.read(path, labelColumn);
            case "idx" -> IdxTableReader.read(path);
            default -> throw new DataFormatException("unknown data format '" + format + "', expected csv or idx");
        };
    }

    private static StratifiedSplit.Parts load(DataSpec spec) {
        Table all = read(Path.of(spec.path()), spec.format(), spec.labelColumn());
        if (spec.valPath() != null) {
            Table val = read(Path.of(spec.valPath()), spec.format(), spec.labelColumn());
            return new StratifiedSplit.Parts(all, val, all.select(new int[0]));
        }
        return StratifiedSplit.split(all, spec.trainFraction(), spec.valFraction(), spec.splitSeed());
    }
}
