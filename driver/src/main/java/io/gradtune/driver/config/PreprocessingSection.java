package io.gradtune.driver.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.gradtune.driver.space.CategoricalParameter;
import io.gradtune.driver.space.FixedParameter;
import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.IntParameter;
import io.gradtune.driver.space.Parameter;
import io.gradtune.driver.space.SearchSpace;
import io.gradtune.worker.protocol.DataSpec;
import io.gradtune.worker.protocol.Preprocessing;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the data-cleaning keys of the data section ({@code missing}, {@code missing_indicators}, {@code outliers},
 * {@code clip_quantiles}, {@code zscore}, {@code pca_components}) into a {@link Preprocessing}, and checks the searched
 * values of {@code missing}, {@code outliers} and {@code pca_components} in {@code space}: every error names the field,
 * the value and the allowed range. The check of {@code pca_components} against the number of feature columns needs the
 * data, so it runs when the driver has read it ({@link #checkWidth}).
 */
public final class PreprocessingSection {

    private PreprocessingSection() {
    }

    /** The cleaning keys of {@code data} ({@code n}), or null when it has none. */
    static Preprocessing read(ConfigNode n) {
        boolean any = false;
        for (String key : List.of("missing", "missing_indicators", "outliers", "clip_quantiles", "zscore",
                "pca_components")) {
            any |= n.has(key);
        }
        if (!any) {
            n.get("missing");   // mark the keys as known for the section's unknown-key check
            n.get("missing_indicators");
            n.get("outliers");
            n.get("clip_quantiles");
            n.get("zscore");
            n.get("pca_components");
            return null;
        }
        String missing = n.oneOf("missing", "error", Preprocessing.MISSING);
        boolean indicators = n.bool("missing_indicators", false);
        String outliers = n.oneOf("outliers", "none", Preprocessing.OUTLIERS);
        ConfigNode q = n.get("clip_quantiles");
        ConfigNode z = n.get("zscore");
        if (!q.isMissing() && !z.isMissing()) {
            throw z.error(ConfigNode.display(z.raw()), "give either data.clip_quantiles or data.zscore, not both");
        }
        double low = 0.01;
        double high = 0.99;
        if (!q.isMissing()) {
            JsonNode raw = q.raw();
            if (!raw.isArray() || raw.size() != 2 || !raw.get(0).isNumber() || !raw.get(1).isNumber()) {
                throw q.error(ConfigNode.display(raw), "expected two quantiles [low, high] in [0, 1], low < high, "
                        + "e.g. [0.01, 0.99]");
            }
            low = raw.get(0).asDouble();
            high = raw.get(1).asDouble();
            if (!(low >= 0 && low <= 1 && high >= 0 && high <= 1) || !(low < high)) {
                throw q.error(ConfigNode.display(raw), "out of range: expected [low, high] with 0 <= low < high <= 1");
            }
        }
        double zscore = 0;
        if (!z.isMissing()) {
            zscore = z.asDouble();
            if (!(zscore > 0) || Double.isInfinite(zscore)) {
                throw z.error(zscore, "out of range: expected a number of standard deviations > 0, e.g. 4");
            }
        }
        if ((!q.isMissing() || !z.isMissing()) && outliers.equals("none")) {
            ConfigNode given = q.isMissing() ? z : q;
            throw given.error(ConfigNode.display(given.raw()), "has no effect with data.outliers: none; set "
                    + "data.outliers: clip or drop (or search outliers in space)");
        }
        double pca = 0;
        ConfigNode pc = n.get("pca_components");
        if (!pc.isMissing()) {
            pca = pc.asDouble();
            if (!validPca(pca)) {
                throw pc.error(pca, PCA_RANGE);
            }
        }
        return new Preprocessing(missing, indicators, outliers, low, high, zscore, pca, !missing.equals("error"));
    }

    private static final String PCA_RANGE = "out of range: expected an integer >= 1 (that many components, at most "
            + "the number of feature columns) or a variance fraction in (0, 1), e.g. 0.95";

    private static boolean validPca(double v) {
        return (v > 0 && v < 1) || (v >= 1 && v == Math.rint(v) && v <= Integer.MAX_VALUE);
    }

    /**
     * {@code data} with its cleaning completed by the searched values of {@code space}: checks each searched
     * {@code missing}, {@code outliers} and {@code pca_components} value, and makes the readers keep missing cells when
     * any searched {@code missing} is not {@code error}.
     *
     * @throws ConfigException naming {@code space.<name>}, the value and the allowed values
     */
    static DataSpec withSpace(DataSpec data, SearchSpace space, String file) {
        Preprocessing p = data.preprocessing();
        boolean readsMissing = p != null && p.readsMissing();
        boolean searched = false;
        for (Parameter param : space.parameters()) {
            switch (param.name()) {
                case "missing" -> {
                    for (Object v : values(param, file)) {
                        check(Preprocessing.MISSING.contains(String.valueOf(v)), file, param, v,
                                "expected one of " + Preprocessing.MISSING);
                        readsMissing |= !"error".equals(String.valueOf(v));
                    }
                    searched = true;
                }
                case "outliers" -> {
                    for (Object v : values(param, file)) {
                        check(Preprocessing.OUTLIERS.contains(String.valueOf(v)), file, param, v,
                                "expected one of " + Preprocessing.OUTLIERS);
                    }
                    searched = true;
                }
                case "pca_components" -> {
                    if (param instanceof FloatParameter f) {
                        check(f.low() > 0 && f.high() < 1, file, param, "[" + f.low() + ", " + f.high() + "]",
                                "a float range of pca_components is a variance fraction: expected 0 < low <= high < 1");
                    } else if (param instanceof IntParameter i) {
                        check(i.low() >= 1, file, param, i.low(), "expected an integer >= 1");
                    } else {
                        for (Object v : values(param, file)) {
                            double d = v instanceof Number num ? num.doubleValue() : Double.NaN;
                            check(validPca(d), file, param, v, PCA_RANGE);
                        }
                    }
                    searched = true;
                }
                default -> {
                }
            }
        }
        if (readsMissing && !(data.readsLocalFiles() && "csv".equals(data.format()))) {
            String where = p != null && p.readsMissing() ? "data.missing" : "space.missing";
            throw new ConfigException(file, where, p != null && p.readsMissing() ? p.missing() : null, "missing "
                    + "values are read from local csv files only (" + data.location() + " is "
                    + (data.table() != null ? "a table" : DataSpec.isUri(data.path()) ? "a URI" : data.format()
                    + " data") + "): fill them before, or leave data.missing at error");
        }
        if (!searched) {
            return data;
        }
        Preprocessing base = p != null ? p : Preprocessing.NONE;
        return data.withPreprocessing(new Preprocessing(base.missing(), base.missingIndicators(), base.outliers(),
                base.clipLow(), base.clipHigh(), base.zscore(), base.pcaComponents(), readsMissing));
    }

    /**
     * Checks that every fixed and searched component count fits the data's feature columns ({@code columns}, the
     * indicator columns included): called by the driver once it has read the data, before any trial starts.
     *
     * @throws ConfigException naming the field and the allowed range
     */
    public static void checkWidth(DataSpec data, SearchSpace space, String file, int columns) {
        Preprocessing p = data.cleaning();
        if (p.pcaComponents() >= 1 && p.pcaComponents() > columns) {
            throw new ConfigException(file, "data.pca_components", (long) p.pcaComponents(), "more components than "
                    + "the data's " + columns + " feature columns: expected 1.." + columns + " or a variance "
                    + "fraction in (0, 1)");
        }
        for (Parameter param : space.parameters()) {
            if (!param.name().equals("pca_components")) {
                continue;
            }
            double max = param instanceof IntParameter i ? i.high() : param instanceof FloatParameter ? 0
                    : values(param, file).stream().mapToDouble(v -> ((Number) v).doubleValue()).max().orElse(0);
            if (max >= 1 && max > columns) {
                throw new ConfigException(file, "space.pca_components", (long) max, "more components than the "
                        + "data's " + columns + " feature columns: expected 1.." + columns + " or a variance "
                        + "fraction in (0, 1)");
            }
        }
    }

    private static List<Object> values(Parameter p, String file) {
        if (p instanceof CategoricalParameter c) {
            return c.choices();
        }
        if (p instanceof FixedParameter f) {
            return List.of(f.value());
        }
        List<Object> out = new ArrayList<>();
        if (p instanceof IntParameter i) {
            out.add(i.low());
            out.add(i.high());
            return out;
        }
        throw new ConfigException(file, "space." + p.name(), null, "expected a list of choices (a categorical "
                + "parameter)");
    }

    private static void check(boolean ok, String file, Parameter p, Object value, String allowed) {
        if (!ok) {
            throw new ConfigException(file, "space." + p.name(), value, allowed);
        }
    }
}
