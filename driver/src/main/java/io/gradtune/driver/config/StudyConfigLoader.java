package io.gradtune.driver.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.gradtune.driver.search.SamplerOptions;
import io.gradtune.driver.search.Samplers;
import io.gradtune.driver.space.CategoricalParameter;
import io.gradtune.driver.space.Condition;
import io.gradtune.driver.space.DeclaredParameters;
import io.gradtune.driver.space.FixedParameter;
import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.IntParameter;
import io.gradtune.driver.space.Parameter;
import io.gradtune.driver.space.SearchSpace;
import io.gradtune.driver.stopping.StoppingSettings;
import io.gradtune.worker.data.CsvTableReader;
import io.gradtune.worker.data.DataFormatException;
import io.gradtune.worker.data.IdxTableReader;
import io.gradtune.worker.model.FineTuning;
import io.gradtune.worker.model.HyperParameters;
import io.gradtune.worker.model.Networks;
import io.gradtune.worker.model.UserModelException;
import io.gradtune.worker.model.UserModels;
import io.gradtune.worker.protocol.DataSpec;
import io.gradtune.worker.protocol.Preprocessing;
import io.gradtune.worker.protocol.FineTuneSpec;
import io.gradtune.worker.secret.Placeholders;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a study YAML file into a {@link StudyConfig}, checking every field in one place. Unknown keys,
 * missing required fields, out-of-range values and missing data files are all reported as a
 * {@link ConfigException} naming the file, the field path and the value. Relative paths in the file are
 * resolved against the file's own directory, so a study runs the same from any working directory.
 */
public final class StudyConfigLoader {

    /** Study names become directory names: letters, digits, dot, dash and underscore. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    public static final List<String> ALGORITHMS = List.of("grid", "random", "bayesian", "gp", "tpe");
    public static final List<String> METRICS = List.of("val_accuracy", "val_loss", "val_mse", "val_mae", "val_r2");
    /** {@code data.task}: what the label column holds. */
    public static final List<String> TASKS = List.of(DataSpec.CLASSIFICATION, DataSpec.REGRESSION);
    public static final List<String> FORMATS = List.of("csv", "parquet", "idx");
    /** Why a regression's data must be a local csv file (the other routes read integer class labels only). */
    static final String NOT_YET_REGRESSION = "a regression reads its numeric target from local csv files only; "
            + "parquet, idx, file-system URIs and catalog tables are not supported for regression yet: export the "
            + "data to a local csv file";
    /** A catalog table: name, db.name or catalog.db.name. */
    static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*){0,2}");

    /** Strict: a key written twice in one mapping is an error (YAML parsers otherwise keep the last one silently). */
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private StudyConfigLoader() {
    }

    public static StudyConfig load(Path file) {
        String f = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(f, null, null, "config file not found (give the path of a study YAML file, "
                    + "for example configs/quickstart.yaml)");
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(f, null, null, "cannot read: " + e.getMessage());
        }
        return load(file, text);
    }

    /**
     * A config from its text, as if read from {@code file} (whose directory relative paths are resolved against):
     * how {@code resume} rebuilds a study's config from the copy in its journal.
     */
    public static StudyConfig load(Path file, String text) {
        String f = file.toString();
        JsonNode tree;
        try {
            tree = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            String duplicate = duplicateKeyPath(e);
            if (duplicate != null) {
                throw new ConfigException(f, duplicate, null, "key written twice in one mapping (at line "
                        + e.getLocation().getLineNr() + "); YAML would silently keep the last value: keep one");
            }
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr();
            throw new ConfigException(f, null, null, "not valid YAML" + where + ": " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new ConfigException(f, null, null, "expected a YAML mapping with the keys study, objective, "
                    + "data, search, space, training (see README, 'Configuration reference')");
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(new ConfigNode(f, "", tree), file, base);
    }

    /** The field path of the key a duplicate-key error is about (e.g. {@code search.max_trials}), or null. */
    private static String duplicateKeyPath(JsonProcessingException e) {
        if (!(e.getProcessor() instanceof JsonParser parser) || e.getOriginalMessage() == null
                || !e.getOriginalMessage().startsWith("Duplicate field")) {
            return null;
        }
        java.util.ArrayDeque<String> names = new java.util.ArrayDeque<>();
        for (JsonStreamContext c = parser.getParsingContext(); c != null; c = c.getParent()) {
            if (c.getCurrentName() != null) {
                names.addFirst(c.getCurrentName());
            }
        }
        return names.isEmpty() ? null : String.join(".", names);
    }

    static StudyConfig parse(ConfigNode root, Path file, Path base) {
        ConfigNode studyNode = root.required("study");
        String study = studyNode.asString();
        if (!NAME.matcher(study).matches()) {
            throw studyNode.error(study, "a study name uses letters, digits, '.', '-' and '_' (it names the run directory)");
        }
        DataSpec data = data(root.section("data"), base);
        StudyConfig.Objective objective = objective(root.section("objective"), data.regression());
        StudyConfig.Search search = search(root.section("search"), base);
        ConfigNode modelNode = root.section("model");
        FineTuneSpec fineTune = fineTune(modelNode, base);
        if (fineTune != null && data.regression()) {
            throw modelNode.get("init_from").error(fineTune.initFrom(), "fine-tuning a saved model on a regression is "
                    + "not supported yet (data.task: regression): a saved model's output is a softmax over classes");
        }
        String modelClass = fineTune != null ? null : modelClass(modelNode);
        if (modelClass != null && data.regression()) {
            throw modelNode.get("class").error(modelClass, "a model class cannot be tuned on a regression "
                    + "yet (data.task: regression): gradtune checks and scores a model's output as a softmax over "
                    + "classes; remove the model section or tune a classification");
        }
        StudyConfig.Training training = training(root.section("training"), modelClass, fineTune);
        List<Parameter> declared = declaredParameters(modelNode, modelClass);
        SearchSpace space = space(root.section("space"), training, declared);
        if (modelClass == null && space.parameters().stream().filter(p -> p.name().equals("residual")
                || p.name().equals("connections")).count() == 2) {
            ConfigNode where = root.section("space").has("residual") ? root.section("space").get("residual")
                    : root.section("training").get("residual");
            throw where.error(ConfigNode.display(where.raw()), "'residual' is the older spelling of 'connections: "
                    + "residual' and cannot be combined with 'connections': remove it and use connections "
                    + "(plain, residual, dense)");
        }
        data = PreprocessingSection.withSpace(data, space, root.file());
        if (data.userData() && space.parameters().stream().anyMatch(p -> p.name().equals("scaling"))) {
            ConfigNode where = root.section("space").has("scaling") ? root.section("space").get("scaling")
                    : root.section("training").get("scaling");
            throw where.error(ConfigNode.display(where.raw()), "data from a data class (data.class) is taken as "
                    + "prepared and never scaled, so scaling cannot be set or tuned: remove it");
        }
        if (training.fineTuned() && search.repair()) {
            throw root.section("search").get("repair").error(true, "repairs change gradtune's own network parameters "
                    + "(activation, init, depth, ...), which fine-tuning a saved model (model.init_from) does not "
                    + "read: remove search.repair");
        }
        if (training.userModel() && search.repair()) {
            throw root.section("search").get("repair").error(true, "repairs change gradtune's own network parameters "
                    + "(activation, init, depth, ...), which a model class does not read: remove search.repair or "
                    + "the model section");
        }
        StoppingSettings stopping = StoppingSection.read(root.get(StoppingSettings.SECTION));
        StudyConfig.Kafka kafka = kafka(root.section("kafka"), base);
        StudyConfig.Spark spark = spark(root.section("spark"));
        ConfigNode out = root.section("output");
        Path outputDir = Path.of(out.string("dir", "runs"));
        out.rejectUnknownKeys();
        String workersProblem = trialWorkersProblem(spark, training.workers());
        if (workersProblem != null) {
            throw root.section("training").get("workers").error(training.workers(), workersProblem);
        }
        StudyConfig.Refit refit = refit(root.section("refit"));
        space = AugmentSection.check(space, data, training, refit, root); // image transforms need image data
        root.rejectUnknownKeys();
        return new StudyConfig(file, study, objective, data, search, space, training, stopping, kafka, spark, outputDir,
                refit);
    }

    /**
     * The {@code refit} section: {@code enabled} (default true), {@code mode} (local, the default, or spark), and for
     * spark {@code workers} (default 0: the task slots) and {@code averaging_frequency} (default 5).
     */
    private static StudyConfig.Refit refit(ConfigNode n) {
        boolean enabled = n.bool("enabled", true);
        String mode = n.oneOf("mode", StudyConfig.Refit.LOCAL, List.of(StudyConfig.Refit.LOCAL, StudyConfig.Refit.SPARK));
        int workers = (int) n.integer("workers", 0, 0, 100_000);
        int frequency = (int) n.integer("averaging_frequency", 5, 1, 100_000);
        if (!mode.equals(StudyConfig.Refit.SPARK) && (n.has("workers") || n.has("averaging_frequency"))) {
            String key = n.has("workers") ? "workers" : "averaging_frequency";
            throw n.get(key).error(n.get(key).asLong(), "applies to refit.mode: spark only (the mode is " + mode + ")");
        }
        n.rejectUnknownKeys();
        return new StudyConfig.Refit(enabled, mode, workers, frequency);
    }

    /**
     * The objective: {@code val_accuracy} (classification) and {@code val_r2} (regression) are maximized, the losses
     * ({@code val_loss}, and a regression's {@code val_mse}, {@code val_mae}) minimized. A metric of the other task is
     * an error, and so is a direction that disagrees with a regression metric's.
     */
    private static StudyConfig.Objective objective(ConfigNode n, boolean regression) {
        String metric = n.oneOf("metric", regression ? "val_r2" : "val_accuracy", METRICS);
        boolean regressionMetric = io.gradtune.worker.stopping.Objective.REGRESSION_METRICS.contains(metric);
        if (regression && metric.equals("val_accuracy")) {
            throw n.get("metric").error(metric, "val_accuracy is a classification metric, and data.task is regression: "
                    + "use val_r2 (maximize), val_mse or val_mae (minimize), or val_loss (the mean squared error)");
        }
        if (!regression && regressionMetric) {
            throw n.get("metric").error(metric, metric + " is a regression metric, and data.task is classification "
                    + "(the default): set data.task: regression with a numeric target in data.label_column, or use "
                    + "val_accuracy or val_loss");
        }
        boolean maximizes = metric.equals("val_accuracy") || metric.equals("val_r2");
        String dflt = maximizes ? "maximize" : "minimize";
        String direction = n.oneOf("direction", dflt, List.of("maximize", "minimize"));
        if (regressionMetric && !direction.equals(dflt)) {
            throw n.get("direction").error(direction, metric + (maximizes ? " is a score (larger is better)"
                    : " is an error (smaller is better)") + ": " + dflt + " it, or leave objective.direction out");
        }
        n.rejectUnknownKeys();
        return new StudyConfig.Objective(metric, direction.equals("maximize"));
    }

    private static DataSpec data(ConfigNode n, Path base) {
        if (n.isMissing()) {
            throw n.error(null, "is required: name the dataset (data.source or data.table) and its label column, or a data class (data.class)");
        }
        if (n.has("class")) {
            return dataClass(n);
        }
        Preprocessing cleaning = PreprocessingSection.read(n);
        ConfigNode src = n.get("source");
        ConfigNode tableNode = n.get("table");
        if (!src.isMissing() && !tableNode.isMissing()) {
            throw tableNode.error(tableNode.asString(), "give either data.source or data.table, not both (data.source "
                    + "is a file or a file-system URI, data.table a catalog table)");
        }
        if (src.isMissing() && tableNode.isMissing()) {
            throw src.error(null, "is required: a local path, a Hadoop file-system URI (file:///..., hdfs://..., "
                    + "s3a://...), or instead data.table: db.name for a catalog table");
        }
        String label = n.string("label_column", "label");
        String task = n.oneOf("task", DataSpec.CLASSIFICATION, TASKS);
        boolean regression = task.equals(DataSpec.REGRESSION);
        ConfigNode featuresNode = n.get("feature_columns");
        List<String> features = featureColumns(featuresNode, label);
        ConfigNode split = n.section("split");
        double train = split.number("train", 0.6, 0.01, 0.99);
        double val = split.number("validation", 0.2, 0.01, 0.99);
        if (train + val > 1.0 + 1e-9) {
            throw split.error("train " + train + " + validation " + val, "the fractions must add up to at most 1 "
                    + "(the rest is the test part)");
        }
        split.rejectUnknownKeys();
        String scaling = n.oneOf("scaling", "standard", List.of("standard", "minmax", "none"));
        long seed = n.integer("seed", 0, Long.MIN_VALUE / 2, Long.MAX_VALUE / 2);
        ConfigNode valNode = n.get("validation_source");
        ConfigNode formatNode = n.get("format");

        if (!tableNode.isMissing()) {
            String table = tableNode.asString();
            if (!TABLE.matcher(table).matches()) {
                throw tableNode.error(table, "expected a table name: name, db.name or catalog.db.name (letters, "
                        + "digits and '_')");
            }
            if (!formatNode.isMissing()) {
                throw formatNode.error(formatNode.asString(), "a table has its own format; data.format describes "
                        + "data.source only");
            }
            if (!valNode.isMissing()) {
                throw valNode.error(valNode.asString(), "not available with data.table: the validation rows are split "
                        + "from the table (data.split)");
            }
            if (regression) {
                throw n.get("task").error(task, NOT_YET_REGRESSION + " (data.table is read through Spark SQL)");
            }
            n.rejectUnknownKeys();
            return new DataSpec(null, null, label, null, train, val, scaling, seed, table, features, null)
                    .withPreprocessing(cleaning);
        }

        String path = location(src, base);
        String format = n.oneOf("format", guessFormat(path), FORMATS);
        if (format.equals("idx") && DataSpec.isUri(path)) {
            throw formatNode.error(format, "idx data is read from local files only: give data.source as a local "
                    + "path, or convert the data to csv or parquet");
        }
        if (format.equals("idx") && features != null) {
            throw featuresNode.error(null, "idx data has no named columns (every pixel is a feature)");
        }
        if (regression && (!format.equals("csv") || DataSpec.isUri(path))) {
            throw n.get("task").error(task, NOT_YET_REGRESSION + " (data.source is " + (DataSpec.isUri(path)
                    ? "a URI, read through Spark SQL)" : format + " data)"));
        }
        checkReadable(src, path, format);
        checkColumns(n, src, path, format, label, features);
        String valPath = null;
        if (!valNode.isMissing()) {
            valPath = location(valNode, base);
            checkReadable(valNode, valPath, format);
            checkColumns(n, valNode, valPath, format, label, features);
        }
        if (regression && valPath != null && DataSpec.isUri(valPath)) {
            throw n.get("task").error(task, NOT_YET_REGRESSION + " (data.validation_source is a URI)");
        }
        ConfigNode testNode = n.get("test_source");
        String testPath = null;
        if (!testNode.isMissing()) {
            if (valPath == null) {
                throw testNode.error(testNode.asString(), "needs data.validation_source: with data.split the test part "
                        + "is the rows the split leaves over; give both files, or neither");
            }
            testPath = location(testNode, base);
            if (DataSpec.isUri(testPath) || DataSpec.isUri(path) || DataSpec.isUri(valPath)
                    || !(format.equals("csv") || format.equals("idx"))) {
                throw testNode.error(testPath, "a separate test file is read with the local csv/idx readers only: give "
                        + "local csv or idx files for data.source, data.validation_source and data.test_source");
            }
            checkReadable(testNode, testPath, format);
            checkColumns(n, testNode, testPath, format, label, features);
        }
        n.rejectUnknownKeys();
        return new DataSpec(path, format, label, valPath, train, val, scaling, seed, null, features, null, task,
                testPath).withPreprocessing(cleaning);
    }

    /** Keys of the data section that describe files, a table or their split: none applies to a data class. */
    private static final List<String> FILE_DATA_KEYS = List.of("source", "validation_source", "test_source", "table",
            "format", "label_column", "feature_columns", "split");

    /**
     * The data section of a user's data class ({@code data.class}, an {@code io.gradtune.api.DataFactory}): with
     * {@code task} and {@code seed} only; {@code scaling} absent or {@code none} (the data is taken as prepared). The
     * class itself is loaded and drained by {@code run.Preflight} / {@code StudyData} before anything starts.
     */
    private static DataSpec dataClass(ConfigNode n) {
        ConfigNode c = n.get("class");
        String name = c.asString();
        if (!JAVA_CLASS.matcher(name).matches()) {
            throw c.error(name, "not a Java class name; give the fully qualified name of a class that implements "
                    + "io.gradtune.api.DataFactory, e.g. io.gradtune.examples.SpiralData");
        }
        for (String key : FILE_DATA_KEYS) {
            if (n.has(key)) {
                throw n.get(key).error(ConfigNode.display(n.get(key).raw()), "data.class and data." + key
                        + " exclude each other: a data class supplies train, validation and test itself; remove one "
                        + "(data.source, validation_source, test_source, table, format, label_column, "
                        + "feature_columns and split describe files)");
            }
        }
        String scaling = n.oneOf("scaling", "none", List.of("standard", "minmax", "none"));
        if (!scaling.equals("none")) {
            throw n.get("scaling").error(scaling, "data from a data class is taken as prepared and never scaled: "
                    + "scale it in the class (e.g. a DataNormalization pre-processor on its iterators) and remove "
                    + "data.scaling, or set it to none");
        }
        String task = n.oneOf("task", DataSpec.CLASSIFICATION, TASKS);
        long seed = n.integer("seed", 0, Long.MIN_VALUE / 2, Long.MAX_VALUE / 2);
        n.rejectUnknownKeys();
        return DataSpec.ofClass(name, seed, task);
    }

    /** A URI as given (a {@code file:} URI must be absolute), or a local path resolved against the config's directory. */
    private static String location(ConfigNode node, Path base) {
        String s = node.asString();
        if (!DataSpec.isUri(s)) {
            return base.resolve(s).normalize().toString();
        }
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            throw node.error(s, "not a valid URI (" + e.getReason() + "); spaces and other special characters "
                    + "must be %-encoded");
        }
        if (uri.getScheme().equalsIgnoreCase("file") && (uri.getPath() == null || !uri.getPath().startsWith("/"))) {
            throw node.error(s, "a file URI names an absolute path: file:///abs/path (or write a plain path, "
                    + "resolved against the config file's directory)");
        }
        return s;
    }

    /** Local files and {@code file:} URIs must exist now; other URIs are checked when the driver reads them. */
    private static void checkReadable(ConfigNode node, String location, String format) {
        Path path = localPath(location);
        if (path == null) {
            return;
        }
        boolean uri = DataSpec.isUri(location);
        // gradtune's own csv and idx readers read one file; Spark SQL also reads a directory of part files.
        boolean ok = !uri && !format.equals("parquet") ? Files.isRegularFile(path) : Files.exists(path);
        if (!ok) {
            throw node.error(node.asString(), "data file not found (" + (uri ? "the file URI names " + path
                    + ", which does not exist on this machine"
                    : "resolved to " + path + "; relative paths are resolved against the config file's directory")
                    + ")");
        }
        if (format.equals("idx") && !Files.isRegularFile(IdxTableReader.labelsFileFor(path))) {
            throw node.error(node.asString(), "IDX labels file not found next to it: " + IdxTableReader.labelsFileFor(path));
        }
    }

    /**
     * The header of a local csv file (a plain path or a {@code file:} URI of one file) must hold the label and the
     * feature columns. Columns of other sources, and every value, are checked when the driver reads the data,
     * before any trial starts.
     */
    private static void checkColumns(ConfigNode n, ConfigNode src, String location, String format, String label,
                                     List<String> features) {
        Path path = localPath(location);
        if (!format.equals("csv") || path == null || !Files.isRegularFile(path)) {
            return;
        }
        List<String> header;
        try {
            header = CsvTableReader.header(path);
        } catch (DataFormatException e) {
            throw src.error(src.asString(), e.getMessage());
        }
        if (header.isEmpty()) {
            throw src.error(src.asString(), "empty file (" + path + ", line 1): expected a header row of column "
                    + "names, then one row per example");
        }
        String columns = header.size() <= 12 ? String.join(", ", header)
                : String.join(", ", header.subList(0, 12)) + ", ... (" + header.size() + " columns)";
        if (!header.contains(label)) {
            throw n.get("label_column").error(label, "no such column in the header (line 1) of " + path + " (columns: "
                    + columns + "); name the class label column (a regression's numeric target column)");
        }
        if (features != null) {
            for (String f : features) {
                if (!header.contains(f)) {
                    throw n.get("feature_columns").error(f, "no such column in the header of " + path + " (columns: "
                            + columns + ")");
                }
            }
        }
    }

    /** The local file a location names: a plain path, or the path of a {@code file:} URI; null for other URIs. */
    private static Path localPath(String location) {
        if (!DataSpec.isUri(location)) {
            return Path.of(location);
        }
        URI uri = URI.create(location);
        return uri.getScheme().equalsIgnoreCase("file") ? Path.of(uri.getPath()) : null;
    }

    /** {@code feature_columns}: null when absent, else distinct non-empty names, none of them the label column. */
    private static List<String> featureColumns(ConfigNode node, String label) {
        if (node.isMissing()) {
            return null;
        }
        if (!node.raw().isArray() || node.raw().isEmpty()) {
            throw node.error(ConfigNode.display(node.raw()), "expected a non-empty list of column names, e.g. "
                    + "[pixel_0, pixel_1]; leave it out to use every other numeric column");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode v : node.raw()) {
            String name = v.isValueNode() ? v.asText() : "";
            if (name.isBlank()) {
                throw node.error(ConfigNode.display(v), "expected column names");
            }
            if (name.equals(label)) {
                throw node.error(name, "is the label column (data.label_column); list only feature columns");
            }
            if (out.contains(name)) {
                throw node.error(name, "is listed twice");
            }
            out.add(name);
        }
        return out;
    }

    private static String guessFormat(String location) {
        String name = location.replaceAll("/+$", "");
        name = name.substring(name.lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT);
        if (name.contains("-idx3-")) {
            return "idx";
        }
        return name.endsWith(".parquet") || name.endsWith(".parq") ? "parquet" : "csv";
    }

    private static StudyConfig.Search search(ConfigNode n, Path base) {
        String algorithm = n.oneOf("algorithm", "random", ALGORITHMS);
        int maxTrials = (int) n.integer("max_trials", 20, Limit.MAX_TRIALS);
        long seed = n.integer("seed", 42, Limit.SEED);
        SamplerOptions d = SamplerOptions.defaults();
        SamplerOptions options = new SamplerOptions((int) n.integer("points", d.gridPoints(), 2, 1000),
                (int) n.integer("startup_trials", d.startupTrials(), 1, 100_000),
                (int) n.integer("ei_candidates", d.eiCandidates(), 1, 10_000), List.of());
        String design = n.oneOf("design", "full", List.of("full", "one_at_a_time"));
        if (!design.equals("full") && !algorithm.equals("grid")) {
            throw n.get("design").error(design, "is a design of the grid; use algorithm: grid, or remove design");
        }
        options = options.withOneAtATime(design.equals("one_at_a_time"));
        boolean bayesian = algorithm.equals(Samplers.BAYESIAN_ALIAS) || algorithm.equals("gp");
        boolean costAware = n.bool("cost_aware", true); // only the bayesian sampler reads it
        if (n.has("cost_aware") && costAware && !bayesian) {
            throw n.get("cost_aware").error("true", "is a setting of the bayesian search (expected improvement per "
                    + "second); use algorithm: bayesian, or remove cost_aware");
        }
        options = options.withCostAware(costAware);
        ConfigNode timeNode = n.get("max_time");
        java.time.Duration maxTime = null;
        if (!timeNode.isMissing()) {
            try {
                maxTime = Durations.parse(timeNode.asString());
            } catch (IllegalArgumentException e) {
                throw timeNode.error(timeNode.asString(), e.getMessage());
            }
        }
        double target = n.has("target") ? n.get("target").asDouble() : Double.NaN;
        String warm = n.string("warm_start", null);
        Path warmStart = null;
        if (warm != null) {
            warmStart = base.resolve(warm).normalize();
            if (!Files.isRegularFile(warmStart.resolve("trials.csv"))) {
                throw n.get("warm_start").error(warm, "no trials.csv in that run directory (resolved to " + warmStart + ")");
            }
        }
        boolean repair = n.bool("repair", false);
        boolean feedback = n.bool("feedback", true);
        String prior = n.oneOf("prior", feedback ? StudyConfig.Search.PRIOR_TUTORIALS : StudyConfig.Search.PRIOR_NONE,
                List.of(StudyConfig.Search.PRIOR_TUTORIALS, StudyConfig.Search.PRIOR_NONE));
        n.rejectUnknownKeys();
        return new StudyConfig.Search(algorithm, maxTrials, seed, options, maxTime, target, warmStart, repair,
                feedback, prior);
    }

    /**
     * The {@code model} section: {@code class}, a user's {@code io.gradtune.api.ModelFactory}, or null without the
     * section. Only its form is checked here; the class is loaded here only to read the parameters it declares
     * ({@link #declaredParameters}); building its network (which runs more of its code) is {@code run.Preflight}'s.
     */
    private static String modelClass(ConfigNode n) {
        if (n.isMissing()) {
            return null;
        }
        ConfigNode c = n.required("class");
        String name = c.asString();
        if (!JAVA_CLASS.matcher(name).matches()) {
            throw c.error(name, "not a Java class name; give the fully qualified name of a class that implements "
                    + "io.gradtune.api.ModelFactory, e.g. io.gradtune.examples.FashionCnn");
        }
        n.rejectUnknownKeys();
        return name;
    }

    /**
     * The {@code model} section's fine-tuning: {@code init_from} (a saved DL4J model zip, relative paths resolved
     * against the config's directory), {@code freeze_layers} (default 0) and {@code replace_output} (default false),
     * or null when the section names no {@code init_from}. The file itself is checked by {@code run.Preflight}.
     */
    private static FineTuneSpec fineTune(ConfigNode n, Path base) {
        if (n.isMissing() || !n.has("init_from")) {
            return null;
        }
        ConfigNode from = n.get("init_from");
        if (n.has("class")) {
            throw from.error(from.asString(), "model.class and model.init_from exclude each other: fine-tuning "
                    + "trains the saved model's own network; remove one of them");
        }
        String given = from.asString();
        if (given.isBlank()) {
            throw from.error(given, "give the path of a saved model zip (a run directory's best-model.zip)");
        }
        String path = base.resolve(given).toAbsolutePath().normalize().toString();
        int freeze = (int) n.integer("freeze_layers", 0, 0, 1_000);
        boolean replace = n.bool("replace_output", false);
        n.rejectUnknownKeys();
        return new FineTuneSpec(path, freeze, replace);
    }

    private static final java.util.regex.Pattern JAVA_CLASS =
            java.util.regex.Pattern.compile("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*"
                    + "(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*(\\$\\p{javaJavaIdentifierPart}+)*");

    /**
     * The parameters the model class declares itself ({@code io.gradtune.api.DeclaresSpace}, e.g. an Arbiter space):
     * the class is loaded and instantiated here for that, and a space it cannot declare is a config error naming it
     * (exit 2). A class that cannot be loaded declares nothing here: {@code run.Preflight} reports it (missing, not a
     * model factory, no public no-arg constructor) before anything starts, as for any model class.
     */
    private static List<Parameter> declaredParameters(ConfigNode modelNode, String modelClass) {
        if (modelClass == null) {
            return List.of();
        }
        ConfigNode c = modelNode.get("class");
        io.gradtune.api.ModelFactory model;
        try {
            model = UserModels.load(modelClass);
        } catch (UserModelException e) {
            return List.of(); // missing, not a factory, no constructor: run.Preflight reports it (exit 2) with the rest
        }
        try {
            return DeclaredParameters.of(model);
        } catch (RuntimeException | LinkageError e) {
            throw c.error(modelClass, "declaring its search space failed: " + e.getMessage()
                    + "; fix the class's parameters()/space()");
        }
    }

    private static StudyConfig.Training training(ConfigNode n, String modelClass, FineTuneSpec fineTune) {
        int epochs = (int) n.integer("epochs", 10, Limit.EPOCHS);
        int workers = (int) n.integer("workers", 1, Limit.TRAINING_WORKERS);
        if (workers > 1 && fineTune != null) {
            throw n.get("workers").error(workers, "data-parallel trials cannot fine-tune a saved model "
                    + "(model.init_from): frozen layers are not supported by dl4j-spark's parameter averaging here; "
                    + "remove training.workers or the model's init_from");
        }
        Map<String, Object> defaults = new LinkedHashMap<>();
        for (String key : n.keys()) {
            if (key.equals("epochs") || key.equals("workers")) {
                continue;
            }
            ConfigNode c = n.get(key);
            if (modelClass != null) {
                defaults.put(key, scalar(c));   // the model class's own parameter, passed to it verbatim
                continue;
            }
            if (fineTune != null && !FineTuning.TRAINING_KEYS.contains(key)) {
                throw c.error(null, notFineTunable());
            }
            if (!HyperParameters.isKnown(key)) {
                throw c.error(null, "unknown key; training takes 'epochs' and fixed values of the parameters "
                        + new java.util.TreeSet<>(HyperParameters.KNOWN));
            }
            defaults.put(key, scalar(c));
        }
        return new StudyConfig.Training(epochs, defaults, modelClass, fineTune, workers);
    }

    /**
     * Why {@code training.workers} cannot run on {@code spark}'s master, or null: on a local master (whose task slots
     * are known before Spark starts) a data-parallel trial of more partitions than slots. Cluster masters are not
     * checked here (their slots are known only once executors register); there the partitions of each averaging
     * round run in waves when slots are fewer. Also checked for {@code --master}.
     */
    public static String trialWorkersProblem(StudyConfig.Spark spark, int workers) {
        int slots = spark.localTaskSlots();
        if (workers > 1 && slots >= 0 && workers > slots) {
            return "a data-parallel trial of " + workers + " workers needs " + workers + " task slots at once, but "
                    + spark.master() + " offers " + slots + " (" + StudyConfig.Spark.TASK_CPUS + " "
                    + spark.taskCpus() + "); lower training.workers to at most " + slots + " or give the master more "
                    + "threads";
        }
        return null;
    }

    private static String notFineTunable() {
        return "does not apply when fine-tuning (model.init_from): the network is the saved model's; the parameters "
                + "that apply are " + FineTuning.TRAINING_KEYS;
    }

    /**
     * The search space: the model class's declared parameters first (so a config parameter may depend on one), then
     * the config's {@code space}, then the fixed values of {@code training}. A config parameter (in {@code space} or
     * {@code training}) with a declared parameter's name is an error: the model's declaration is the range its
     * values must come from (an Arbiter leaf gives only values of its own range).
     */
    private static SearchSpace space(ConfigNode n, StudyConfig.Training training, List<Parameter> declared) {
        if ((n.isMissing() || n.keys().isEmpty()) && declared.isEmpty()) {
            throw n.error(null, "is required: define at least one parameter to search (see README, 'Search space')");
        }
        List<Parameter> params = new ArrayList<>(declared);
        Map<String, Parameter> byName = new HashMap<>();
        declared.forEach(p -> byName.put(p.name(), p));
        for (String key : training.defaults().keySet()) {
            if (byName.containsKey(key)) {
                throw new ConfigException(n.file(), "training." + key, training.defaults().get(key), "'" + key
                        + "' is declared by the model class " + training.modelClass() + " (" + byName.get(key)
                        + "); remove it from training, or change it in the model class");
            }
        }
        for (String name : n.isMissing() ? List.<String>of() : n.keys()) {
            ConfigNode p = n.get(name);
            if (byName.containsKey(name)) {
                throw p.error(null, "'" + name + "' is declared by the model class " + training.modelClass() + " ("
                        + byName.get(name) + "); remove it from space, or change its range in the model class");
            }
            if (training.fineTuned() && !FineTuning.TRAINING_KEYS.contains(name)) {
                throw p.error(null, notFineTunable());
            }
            if (!training.userModel() && !HyperParameters.isKnown(name)) {
                throw p.error(null, "unknown parameter; known: " + new java.util.TreeSet<>(HyperParameters.KNOWN)
                        + " and units_1..units_" + HyperParameters.MAX_LAYERS);
            }
            if (training.defaults().containsKey(name)) {
                String path = n.path().isEmpty() ? name : n.path() + "." + name;
                throw p.error(null, "'" + name + "' is both fixed (training." + name + ": "
                        + training.defaults().get(name) + ") and searched (" + path + "); the searched one would "
                        + "silently win: remove it from training to search it, or from space to fix it");
            }
            Parameter parameter = parameter(name, p, byName);
            params.add(parameter);
            byName.put(name, parameter);
        }
        for (Map.Entry<String, Object> d : training.defaults().entrySet()) {
            params.add(new FixedParameter(d.getKey(), d.getValue(), null));
        }
        try {
            SearchSpace space = new SearchSpace(params);
            checkBuildable(n, space, training.modelClass());
            return space;
        } catch (IllegalArgumentException e) {
            throw n.error(null, e.getMessage());
        }
    }

    /**
     * Every choice must be a value the network builder accepts: checked with one assignment per value. With a model
     * class only gradtune's own training parameters ({@code batch_size}, {@code scaling}) are checked here; the
     * class's own are checked by building its network once before the study starts ({@code run.Preflight}).
     */
    private static void checkBuildable(ConfigNode n, SearchSpace space, String modelClass) {
        for (Parameter p : space.parameters()) {
            if (modelClass != null && !Networks.USER_MODEL_TRAINING_KEYS.contains(p.name())) {
                continue;
            }
            List<Object> values;
            if (p instanceof CategoricalParameter c) {
                values = c.choices();
            } else if (p instanceof FixedParameter f) {
                values = List.of(f.value());
            } else if (p instanceof FloatParameter f) {
                values = List.of(f.low(), f.high());
            } else {
                IntParameter i = (IntParameter) p;
                values = List.of(i.low(), i.high());
            }
            for (Object v : values) {
                try {
                    HyperParameters.from(Map.of(p.name(), v));
                } catch (IllegalArgumentException e) {
                    String path = n.path().isEmpty() ? p.name() : n.path() + "." + p.name();
                    throw new ConfigException(n.file(), path, v, e.getMessage());
                }
            }
        }
    }

    private static Parameter parameter(String name, ConfigNode p, Map<String, Parameter> defined) {
        if (!p.raw().isObject()) {
            return new FixedParameter(name, scalar(p), null);
        }
        Condition condition = condition(p.section("when"), defined);
        String type = p.oneOf("type", null, List.of("float", "int", "categorical", "fixed"));
        if (type == null) {
            throw p.error(null, "needs 'type': float, int, categorical or fixed");
        }
        Parameter out;
        try {
            out = switch (type) {
                case "float" -> new FloatParameter(name, p.required("low").asDouble(), p.required("high").asDouble(),
                        p.bool("log", false), condition);
                case "int" -> new IntParameter(name, (int) p.required("low").asLong(), (int) p.required("high").asLong(),
                        p.bool("log", false), condition);
                case "categorical" -> new CategoricalParameter(name, values(p.required("values")), condition);
                default -> new FixedParameter(name, scalar(p.required("value")), condition);
            };
        } catch (IllegalArgumentException e) {
            throw p.error(null, e.getMessage());
        }
        p.rejectUnknownKeys();
        return out;
    }

    private static Condition condition(ConfigNode when, Map<String, Parameter> defined) {
        if (when.isMissing()) {
            return null;
        }
        List<String> keys = when.keys();
        if (keys.size() != 1) {
            throw when.error(null, "a condition names exactly one parent parameter, e.g. when: {optimizer: [nesterov]} "
                    + "or when: {layers: {at_least: 3}}");
        }
        String parent = keys.get(0);
        ConfigNode c = when.get(parent);
        if (!defined.containsKey(parent)) {
            throw c.error(null, "the parent parameter '" + parent + "' must be defined in the space before this one");
        }
        if (c.raw().isObject()) {
            double atLeast = c.required("at_least").asDouble();
            c.rejectUnknownKeys();
            return new Condition(parent, null, atLeast);
        }
        return new Condition(parent, values(c), null);
    }

    private static List<Object> values(ConfigNode n) {
        List<Object> out = new ArrayList<>();
        if (n.raw().isArray()) {
            for (JsonNode v : n.raw()) {
                out.add(scalarOf(n, v));
            }
        } else {
            out.add(scalar(n));
        }
        return out;
    }

    private static Object scalar(ConfigNode n) {
        return scalarOf(n, n.raw());
    }

    private static Object scalarOf(ConfigNode n, JsonNode v) {
        String list = AugmentSection.listValue(n, v); // augment: [shift, flip], image_shape: [28, 28]
        if (list != null) {
            return list;
        }
        if (v == null || !v.isValueNode() || v.isNull()) {
            throw n.error(ConfigNode.display(v), "expected a number, a string or true/false");
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isIntegralNumber()) {
            return v.asInt();
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        String s = v.asText();
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return s;
        }
    }

    private static StudyConfig.Kafka kafka(ConfigNode n, Path base) {
        String bootstrap = n.string("bootstrap", "embedded");
        String prefix = n.string("topic_prefix", "gradtune");
        if (!prefix.matches("[A-Za-z0-9._-]{1,200}")) {
            throw n.get("topic_prefix").error(prefix, "a topic prefix uses letters, digits, '.', '-' and '_'");
        }
        String dir = n.string("data_dir", null);
        ConfigNode propsNode = n.section("properties");
        Map<String, String> props = stringMap(propsNode);
        for (Map.Entry<String, String> e : props.entrySet()) {
            try {
                Placeholders.check(e.getValue());
            } catch (IllegalArgumentException bad) {
                // No value in the message: it may hold a secret written literally next to the bad placeholder.
                throw propsNode.get(e.getKey()).error(null, bad.getMessage());
            }
        }
        int partitions = (int) n.integer("partitions", StudyConfig.Kafka.DEFAULT_PARTITIONS, 1, 100_000);
        Integer replication = n.get("replication_factor").isMissing() ? null   // null: the broker's default
                : Integer.valueOf((int) n.integer("replication_factor", 1, 1, Short.MAX_VALUE));
        java.time.Duration tolerance = StudyConfig.Kafka.DEFAULT_OUTAGE_TOLERANCE;
        ConfigNode toleranceNode = n.get("outage_tolerance");
        if (!toleranceNode.isMissing()) {
            try {
                tolerance = Durations.parse(toleranceNode.asString());
            } catch (IllegalArgumentException e) {
                throw toleranceNode.error(toleranceNode.asString(), e.getMessage());
            }
            if (tolerance.toMillis() < 1000 || tolerance.compareTo(java.time.Duration.ofDays(1)) > 0) {
                throw toleranceNode.error(toleranceNode.asString(), "an outage tolerance is 1s to 1d, e.g. 5m");
            }
        }
        n.rejectUnknownKeys();
        return new StudyConfig.Kafka(bootstrap.equals("embedded") ? null : bootstrap, prefix,
                dir == null ? null : base.resolve(dir).normalize(), props, partitions, replication, tolerance);
    }

    private static StudyConfig.Spark spark(ConfigNode n) {
        // Without spark.master in the config, the master spark-submit was given (its --master, which SparkSubmit
        // passes as the system property spark.master) is used; a plain JVM (./gradtune) falls back to local[*].
        String master = n.string("master", System.getProperty("spark.master", "local[*]"));
        int maxAttempts = (int) n.integer("max_attempts", StudyConfig.Spark.DEFAULT_MAX_ATTEMPTS, 1, 100);
        ConfigNode properties = n.section("properties");
        Map<String, String> props = stringMap(properties);
        String cpus = props.get(StudyConfig.Spark.TASK_CPUS);
        if (cpus != null && !cpus.trim().matches("[1-9][0-9]{0,3}")) {
            throw properties.get(StudyConfig.Spark.TASK_CPUS).error(cpus, "cores per trial: a whole number >= 1");
        }
        String speculation = props.get(StudyConfig.Spark.SPECULATION);
        if (speculation != null && speculation.trim().equalsIgnoreCase("true")) {
            throw properties.get(StudyConfig.Spark.SPECULATION).error(speculation, SPECULATION_REFUSED);
        }
        if (props.containsKey(StudyConfig.Spark.TASK_MAX_FAILURES)) {
            throw properties.get(StudyConfig.Spark.TASK_MAX_FAILURES).error(props.get(StudyConfig.Spark.TASK_MAX_FAILURES),
                    MAX_FAILURES_REFUSED);
        }
        String reason = masterProblem(master, maxAttempts);
        if (reason != null) {
            throw n.get("master").error(master, reason);
        }
        n.rejectUnknownKeys();
        return new StudyConfig.Spark(master, props, maxAttempts);
    }

    private static final String SPECULATION_REFUSED = "gradtune keeps Spark speculation off: a speculative copy of a "
            + "trial would train it twice at once and publish a second curve under another attempt number, which "
            + "would replace the first one's mid-trial; a slow trial is a result, not a straggler. Remove it or set "
            + "'false' (retries of failed attempts: spark.max_attempts)";
    private static final String MAX_FAILURES_REFUSED = "set the number of attempts with spark.max_attempts (gradtune "
            + "sets spark.task.maxFailures from it, and local masters' task failure limit too)";

    /**
     * Why a master cannot be used with {@code max_attempts}, or null: not one of Spark's master URL forms
     * ({@link StudyConfig.Spark#isWellFormed}), or a {@code local[N,F]} master whose F differs. Also checked for
     * {@code --master}, so a bad master exits 2 before the broker or Spark start.
     */
    public static String masterProblem(String master, int maxAttempts) {
        if (!StudyConfig.Spark.isWellFormed(master)) {
            return "not a Spark master URL; accepted forms: " + StudyConfig.Spark.MASTER_FORMS;
        }
        int f = StudyConfig.Spark.localFailureLimit(master);
        if (f >= 0 && f != maxAttempts) {
            return "local[N,F] allows F attempts per task, but spark.max_attempts is " + maxAttempts
                    + ": write local[N] (gradtune runs it as local[N," + maxAttempts + "]) and set spark.max_attempts";
        }
        return null;
    }

    /**
     * Refuses the Spark settings of spark-submit ({@code --conf} arrives as {@code spark.*} system properties) that
     * gradtune owns: {@code spark.speculation=true} and {@code spark.task.maxFailures}. Called before anything
     * starts, so the run exits 2.
     */
    public static void checkSubmittedSparkProperties(String file, java.util.Properties system) {
        String speculation = system.getProperty(StudyConfig.Spark.SPECULATION);
        if (speculation != null && speculation.trim().equalsIgnoreCase("true")) {
            throw new ConfigException(file, "--conf " + StudyConfig.Spark.SPECULATION, speculation, SPECULATION_REFUSED);
        }
        String maxFailures = system.getProperty(StudyConfig.Spark.TASK_MAX_FAILURES);
        if (maxFailures != null) {
            throw new ConfigException(file, "--conf " + StudyConfig.Spark.TASK_MAX_FAILURES, maxFailures,
                    MAX_FAILURES_REFUSED);
        }
    }

    private static Map<String, String> stringMap(ConfigNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : n.keys()) {
            out.put(k, n.get(k).asString());
        }
        return out;
    }
}
