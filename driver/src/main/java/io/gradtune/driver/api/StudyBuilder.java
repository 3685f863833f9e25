package io.gradtune.driver.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.gradtune.api.DataFactory;
import io.gradtune.api.ModelFactory;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.driver.run.StudyLauncher;
import io.gradtune.driver.run.StudyRunner;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * A study from Java code, without a YAML file: for teams that run gradtune inside their own jobs. Each method sets
 * the config key of the same name (README, "Configuration reference"); {@link #build()} checks the whole study
 * exactly as {@code gradtune run} checks a file (the builder writes the equivalent YAML, {@link #yaml()}), and
 * {@link #run(PrintStream)} runs it the way {@code gradtune run} does, journaling that YAML so
 * {@code gradtune resume} can continue the run directory. Paths should be absolute; relative ones resolve against
 * the working directory.
 *
 * <pre>{@code
 * StudyRunner.Outcome outcome = StudyBuilder.study("cnn")
 *         .model(FashionCnn.class)
 *         .csv(Path.of("/data/train.csv.gz"), "label").validation(Path.of("/data/val.csv.gz")).scaling("minmax")
 *         .search("random", 8, 7)
 *         .floatParam("learning_rate", 1e-4, 1e-2, true)
 *         .intParam("filters", 8, 32)
 *         .categorical("batch_norm", false, true)
 *         .fixed("batch_size", 64)
 *         .epochs(3)
 *         .run(System.out);
 * }</pre>
 */
public final class StudyBuilder {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    private final ObjectNode root = JsonNodeFactory.instance.objectNode();

    private StudyBuilder(String study) {
        root.put("study", study);
    }

    /** A new study of this name (it names the run directory). */
    public static StudyBuilder study(String name) {
        return new StudyBuilder(name);
    }

    /** Trials build their networks with this factory ({@code model.class}). */
    public StudyBuilder model(Class<? extends ModelFactory> factory) {
        return model(factory.getName());
    }

    /** Trials build their networks with the named factory class ({@code model.class}). */
    public StudyBuilder model(String className) {
        section("model").put("class", className);
        return this;
    }

    /**
     * The study's data comes from this factory ({@code data.class}): the driver drains its train, validation and test
     * iterators once (README, "Your own data"). Excludes {@link #csv} and {@link #validation}.
     */
    public StudyBuilder data(Class<? extends DataFactory> factory) {
        return data(factory.getName());
    }

    /** The study's data comes from the named factory class ({@code data.class}). */
    public StudyBuilder data(String className) {
        section("data").put("class", className);
        return this;
    }

    /** {@code data.task}: classification (the default) or regression. */
    public StudyBuilder task(String task) {
        section("data").put("task", task);
        return this;
    }

    /** A local CSV file (plain or .gz) with a label column ({@code data.source}, {@code data.label_column}). */
    public StudyBuilder csv(Path file, String labelColumn) {
        ObjectNode data = section("data");
        data.put("source", file.toAbsolutePath().toString());
        data.put("format", "csv");
        data.put("label_column", labelColumn);
        return this;
    }

    /** A separate validation file ({@code data.validation_source}) instead of a split. */
    public StudyBuilder validation(Path file) {
        section("data").put("validation_source", file.toAbsolutePath().toString());
        return this;
    }

    /** {@code data.scaling}: standard, minmax or none. */
    public StudyBuilder scaling(String scaling) {
        section("data").put("scaling", scaling);
        return this;
    }

    /** {@code objective.metric} and {@code objective.direction}. */
    public StudyBuilder objective(String metric, boolean maximize) {
        ObjectNode o = section("objective");
        o.put("metric", metric);
        o.put("direction", maximize ? "maximize" : "minimize");
        return this;
    }

    /** {@code search.algorithm}, {@code search.max_trials} and {@code search.seed}. */
    public StudyBuilder search(String algorithm, int maxTrials, long seed) {
        ObjectNode s = section("search");
        s.put("algorithm", algorithm);
        s.put("max_trials", maxTrials);
        s.put("seed", seed);
        return this;
    }

    /** A float parameter of the space, on a log scale if {@code log}. */
    public StudyBuilder floatParam(String name, double low, double high, boolean log) {
        ObjectNode p = section("space").putObject(name);
        p.put("type", "float").put("low", low).put("high", high).put("log", log);
        return this;
    }

    /** An integer parameter of the space, {@code low..high} inclusive. */
    public StudyBuilder intParam(String name, int low, int high) {
        ObjectNode p = section("space").putObject(name);
        p.put("type", "int").put("low", low).put("high", high);
        return this;
    }

    /** A categorical parameter of the space (numbers, strings or booleans). */
    public StudyBuilder categorical(String name, Object... values) {
        ObjectNode p = section("space").putObject(name);
        p.put("type", "categorical");
        ArrayNode a = p.putArray("values");
        for (Object v : values) {
            a.add(YAML.valueToTree(v));
        }
        return this;
    }

    /** A fixed parameter ({@code training.NAME: value}): every trial gets it. */
    public StudyBuilder fixed(String name, Object value) {
        section("training").set(name, YAML.valueToTree(value));
        return this;
    }

    /**
     * {@code training.workers}: 1 (the default) for one Spark task per trial, N &ge; 2 for data-parallel trials of N
     * partitions (README, "Data-parallel trials"); checked as the YAML field is when the study is built.
     */
    public StudyBuilder trainingWorkers(int workers) {
        section("training").put("workers", workers);
        return this;
    }

    /** {@code training.epochs}. */
    public StudyBuilder epochs(int epochs) {
        section("training").put("epochs", epochs);
        return this;
    }

    /** {@code spark.master}, e.g. {@code local[2]}. */
    public StudyBuilder sparkMaster(String master) {
        section("spark").put("master", master);
        return this;
    }

    /** {@code kafka.bootstrap}: {@code embedded} (the default) or {@code host:port}. */
    public StudyBuilder kafka(String bootstrap) {
        section("kafka").put("bootstrap", bootstrap);
        return this;
    }

    /** {@code output.dir}: the parent of the run directory. */
    public StudyBuilder outputDir(Path dir) {
        section("output").put("dir", dir.toAbsolutePath().toString());
        return this;
    }

    /**
     * Any other config key by its dotted path, e.g. {@code set("early_stopping.rules", List.of(...))} or
     * {@code set("search.max_time", "10m")}: the value as Jackson turns it into a tree (maps, lists, scalars).
     */
    public StudyBuilder set(String dottedPath, Object value) {
        String[] parts = dottedPath.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            node = child instanceof ObjectNode o ? o : node.putObject(parts[i]);
        }
        node.set(parts[parts.length - 1], YAML.valueToTree(value));
        return this;
    }

    /** The study as config YAML: what {@link #build()} checks and {@link #run} journals. */
    public String yaml() {
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The checked study, as {@code gradtune validate} would load it from {@link #yaml()}.
     *
     * @throws io.gradtune.driver.config.ConfigException naming the field, value and what to do
     */
    public StudyConfig build() {
        return StudyConfigLoader.load(pseudoFile(), yaml());
    }

    /**
     * Runs the study as {@code gradtune run} would: preflight (data, model class, output directory), Spark, Kafka,
     * the trials and the reports. Blocks until the study ends.
     *
     * @param out the console lines {@code gradtune run} prints
     */
    public StudyRunner.Outcome run(PrintStream out) throws InterruptedException {
        StudyConfig config = build();
        return StudyLauncher.run(config, pseudoFile().toString(), yaml(), false, out);
    }

    /** The file name the config is known by in messages and the journal (no such file is written). */
    private Path pseudoFile() {
        return Path.of("").toAbsolutePath().resolve("study-builder-" + root.path("study").asText() + ".yaml");
    }

    private ObjectNode section(String name) {
        JsonNode n = root.get(name);
        return n instanceof ObjectNode o ? o : root.putObject(name);
    }
}
