package io.gradtune.driver.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The small study the integration and fault tests run on {@code data/digits.csv}: random search over the learning
 * rate (3e-3..1e-2, log) and the units of one hidden layer, Adam, a 0.6/0.2 split with standard scaling, Spark
 * {@code local[2]}. One place for the config text those tests share; each test sets what it varies.
 */
public final class DigitsStudy {

    private final String study;
    private int trials = 4;
    private int epochs = 3;
    private long seed = 11;
    private int batchSize = 64;
    private int trainingWorkers = 1;
    private int unitsLow = 32;
    private int unitsHigh = 64;
    private String earlyStopping = "none";
    private String kafka;
    private String spark = "{master: \"local[2]\"}";

    private DigitsStudy(String study) {
        this.study = study;
    }

    /** A study of this name (also its topic prefix when {@link #kafka} is given). */
    public static DigitsStudy named(String study) {
        return new DigitsStudy(study);
    }

    public DigitsStudy trials(int trials) {
        this.trials = trials;
        return this;
    }

    public DigitsStudy epochs(int epochs) {
        this.epochs = epochs;
        return this;
    }

    /** The search seed. */
    public DigitsStudy seed(long seed) {
        this.seed = seed;
        return this;
    }

    public DigitsStudy batchSize(int batchSize) {
        this.batchSize = batchSize;
        return this;
    }

    /** {@code training.workers}: 1 (the default) or N &ge; 2 for data-parallel trials. */
    public DigitsStudy trainingWorkers(int workers) {
        this.trainingWorkers = workers;
        return this;
    }

    /** The searched range of the hidden layer's units. */
    public DigitsStudy units(int low, int high) {
        this.unitsLow = low;
        this.unitsHigh = high;
        return this;
    }

    /** The {@code early_stopping} value, as YAML ({@code none} by default). */
    public DigitsStudy earlyStopping(String yaml) {
        this.earlyStopping = yaml;
        return this;
    }

    /**
     * The {@code kafka} section's body, as YAML lines indented by two spaces, or a flow mapping (absent: the embedded
     * broker).
     */
    public DigitsStudy kafka(String yamlBody) {
        this.kafka = yamlBody;
        return this;
    }

    /** The {@code spark} section's body, as YAML lines indented by two spaces, or a flow mapping. */
    public DigitsStudy spark(String yaml) {
        this.spark = yaml;
        return this;
    }

    /** The config text. */
    public String yaml() {
        Path digits = Path.of("../data/digits.csv").toAbsolutePath().normalize();
        StringBuilder y = new StringBuilder();
        y.append("study: ").append(study).append('\n');
        y.append("objective: {metric: val_accuracy, direction: maximize}\n");
        y.append("data: {source: ").append(digits).append(", label_column: label, split: {train: 0.6, validation: 0.2},"
                + " scaling: standard, seed: 0}\n");
        y.append("search: {algorithm: random, max_trials: ").append(trials).append(", seed: ").append(seed).append("}\n");
        y.append("space:\n");
        y.append("  learning_rate: {type: float, low: 3.0e-3, high: 1.0e-2, log: true}\n");
        y.append("  units: {type: int, low: ").append(unitsLow).append(", high: ").append(unitsHigh).append("}\n");
        y.append("training: {epochs: ").append(epochs).append(", batch_size: ").append(batchSize)
                .append(", optimizer: adam").append(trainingWorkers == 1 ? "" : ", workers: " + trainingWorkers)
                .append("}\n");
        y.append("early_stopping: ").append(earlyStopping).append('\n');
        if (kafka != null) {
            y.append(section("kafka", kafka));
        }
        y.append(section("spark", spark));
        return y.toString();
    }

    private static String section(String name, String yaml) {
        String body = yaml.endsWith("\n") ? yaml : yaml + "\n";
        return name + ":" + (yaml.startsWith("{") ? " " : "\n") + body;
    }

    /** Writes the config to {@code dir/<study>.yaml} and returns its path. */
    public Path write(Path dir) {
        return write(dir, study + ".yaml");
    }

    /** Writes the config to {@code dir/<file>} and returns its path. */
    public Path write(Path dir, String file) {
        try {
            return Files.writeString(dir.resolve(file), yaml());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
