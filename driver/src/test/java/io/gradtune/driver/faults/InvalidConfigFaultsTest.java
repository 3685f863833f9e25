package io.gradtune.driver.faults;

import io.gradtune.driver.testing.Cli;
import io.gradtune.driver.cli.Gradtune;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invalid configs and command-line overrides through the real {@code gradtune validate}: each must exit 2 with a
 * message that names the field (its section path, or the option and the field it overrides), and start nothing.
 */
class InvalidConfigFaultsTest {

    static final String BASE = """
            study: faults
            objective: {metric: val_accuracy, direction: maximize}
            data:
              source: data.csv
              label_column: label
              split: {train: 0.6, validation: 0.2}
            search:
              algorithm: random
              max_trials: 4
              seed: 1
            space:
              learning_rate: {type: float, low: 1.0e-4, high: 1.0e-1, log: true}
              layers: {type: int, low: 1, high: 2}
            training:
              epochs: 2
              batch_size: 8
            spark:
              master: local[2]
            """;

    private static final FaultTally TALLY = new FaultTally();

    @TempDir
    static Path dir;

    /** One injected mistake: the config text, extra arguments, and the phrases the message must contain. */
    record Case(String family, String name, String yaml, List<String> args, List<String> phrases) {
        @Override
        public String toString() {
            return family + ": " + name;
        }
    }

    static Case c(String family, String name, String yaml, String... phrases) {
        return new Case(family, name, yaml, List.of(), List.of(phrases));
    }

    static Case option(String family, String name, List<String> args, String... phrases) {
        return new Case(family, name, BASE, args, List.of(phrases));
    }

    static String replace(String from, String to) {
        if (!BASE.contains(from)) {
            throw new IllegalArgumentException("not in BASE: " + from);
        }
        return BASE.replace(from, to);
    }

    static Stream<Case> cases() {
        List<Case> all = new ArrayList<>();
        String dup = "config-duplicate-key";
        all.add(c(dup, "top-level key twice", BASE + "study: again\n", "'study'", "twice", "line"));
        all.add(c(dup, "search.max_trials twice", replace("  max_trials: 4\n", "  max_trials: 4\n  max_trials: 400\n"),
                "search.max_trials", "twice", "line 10"));
        all.add(c(dup, "a parameter's bound twice", replace("layers: {type: int, low: 1, high: 2}",
                "layers: {type: int, low: 1, low: 2, high: 2}"), "space.layers.low", "twice"));
        all.add(c(dup, "a space parameter twice", replace("  layers: {type: int, low: 1, high: 2}\n",
                "  layers: {type: int, low: 1, high: 2}\n  layers: {type: int, low: 1, high: 3}\n"), "space.layers",
                "twice"));
        all.add(c(dup, "a section twice", BASE + "training:\n  epochs: 3\n", "'training'", "twice"));

        String shadow = "config-fixed-and-searched";
        all.add(c(shadow, "learning_rate in training and space", replace("  batch_size: 8\n",
                "  batch_size: 8\n  learning_rate: 0.01\n"), "training.learning_rate", "space.learning_rate"));
        all.add(c(shadow, "layers in training and space", replace("  batch_size: 8\n", "  batch_size: 8\n  layers: 2\n"),
                "training.layers", "space.layers"));

        String over = "config-override-limit";
        all.add(option(over, "--max-trials 2000000000", List.of("--max-trials", "2000000000"), "--max-trials",
                "search.max_trials", "100000"));
        all.add(option(over, "--max-trials 0", List.of("--max-trials", "0"), "search.max_trials"));
        all.add(option(over, "--max-trials -5", List.of("--max-trials", "-5"), "search.max_trials"));
        all.add(option(over, "--epochs 0", List.of("--epochs", "0"), "--epochs", "training.epochs"));
        all.add(option(over, "--epochs 1000000", List.of("--epochs", "1000000"), "training.epochs"));
        all.add(option(over, "--seed beyond the field's range", List.of("--seed", String.valueOf(Long.MAX_VALUE)),
                "--seed", "search.seed"));
        all.add(option(over, "--study with a space", List.of("--study", "my study"), "--study", "letters"));
        all.add(option(over, "--algorithm unknown", List.of("--algorithm", "hyperband"), "search.algorithm", "tpe"));

        String master = "config-spark-master";
        all.add(option(master, "--master garbage", List.of("--master", "garbage"), "--master", "spark.master",
                "local[N]", "spark://HOST:PORT"));
        all.add(option(master, "--master local[0]", List.of("--master", "local[0]"), "spark.master"));
        all.add(option(master, "--master spark:// without port", List.of("--master", "spark://host"), "spark.master"));
        all.add(c(master, "spark.master garbage in the file", replace("master: local[2]", "master: lokal[2]"),
                "spark.master", "lokal[2]", "accepted forms"));
        all.add(c(master, "spark.master local[2,5] with max_attempts 2", replace("master: local[2]",
                "master: local[2,5]"), "spark.master", "spark.max_attempts"));

        String field = "config-field";
        all.add(c(field, "search.max_trials 0", replace("max_trials: 4", "max_trials: 0"), "search.max_trials"));
        all.add(c(field, "search.max_trials 2000000000", replace("max_trials: 4", "max_trials: 2000000000"),
                "search.max_trials", "100000"));
        all.add(c(field, "training.epochs -1", replace("epochs: 2", "epochs: -1"), "training.epochs"));
        all.add(c(field, "unknown top-level key", BASE + "bogus: 1\n", "bogus", "unknown key"));
        all.add(c(field, "unknown key in search", replace("  seed: 1\n", "  seed: 1\n  budget: 3\n"), "search.budget",
                "unknown key"));
        all.add(c(field, "unknown objective metric", replace("metric: val_accuracy", "metric: f1"), "objective.metric"));
        all.add(c(field, "split fractions above 1", replace("train: 0.6, validation: 0.2", "train: 0.9, validation: 0.2"),
                "data.split"));
        all.add(c(field, "data file missing", replace("source: data.csv", "source: nowhere.csv"), "data.source",
                "not found"));
        all.add(c(field, "label column not in the header", replace("label_column: label", "label_column: class"),
                "data.label_column", "class"));
        all.add(c(field, "float range reversed", replace("low: 1.0e-4, high: 1.0e-1", "low: 1.0e-1, high: 1.0e-4"),
                "space.learning_rate"));
        all.add(c(field, "unknown parameter", replace("  layers: {type: int, low: 1, high: 2}\n",
                "  layers: {type: int, low: 1, high: 2}\n  nonsense: {type: int, low: 1, high: 2}\n"), "space.nonsense"));
        all.add(c(field, "spark.max_attempts 0", replace("  master: local[2]\n", "  master: local[2]\n  max_attempts: 0\n"),
                "spark.max_attempts"));
        all.add(c(field, "early-stopping setting out of range", BASE + "early_stopping: {asha: {reduction_factor: 1}}\n",
                "early_stopping.asha.reduction_factor"));
        all.add(c(field, "kafka.topic_prefix with a space", BASE + "kafka: {topic_prefix: my topics}\n",
                "kafka.topic_prefix"));
        all.add(c(field, "feature column is the label", replace("  label_column: label\n",
                "  label_column: label\n  feature_columns: [a, label]\n"), "data.feature_columns"));
        all.add(c(field, "not YAML", "study: [unclosed\n", "not valid YAML", "line"));

        String output = "config-output-dir";
        all.add(c(output, "output.dir under a regular file", BASE + "output: {dir: data.csv/runs}\n", "output.dir",
                "not a directory"));
        all.add(option(output, "--output under a regular file", List.of("--output", "data.csv/runs"), "--output",
                "not a directory"));
        return all.stream();
    }

    @BeforeAll
    static void data() throws IOException {
        StringBuilder csv = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 15; i++) {
            csv.append(i).append(',').append(i * 0.5).append(',').append(i % 3).append('\n');
        }
        Files.writeString(dir.resolve("data.csv"), csv);
    }

    @AfterAll
    static void summary() {
        TALLY.print();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRejectedWithExitTwoNamingTheField(Case k) throws IOException {
        TALLY.injected(k.family());
        Path yaml = dir.resolve(k.name().replaceAll("[^A-Za-z0-9]+", "_") + ".yaml");
        Files.writeString(yaml, k.yaml());
        List<String> args = new ArrayList<>(List.of("validate", yaml.toString()));
        for (String a : k.args()) {   // relative paths in options are relative to the test's directory
            args.add(a.startsWith("data.csv") ? dir.resolve(a).toString() : a);
        }
        if (k.yaml().contains("output: {dir: data.csv")) {
            Files.writeString(yaml, k.yaml().replace("dir: data.csv", "dir: " + dir.resolve("data.csv")));
        }
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(Gradtune.EXIT_USAGE, r.code(), () -> "exit code for " + k + "; stderr: " + r.err() + " stdout: "
                + r.out());
        assertTrue(r.err().contains("config error") && r.err().contains(yaml.getFileName().toString()), r.err());
        for (String phrase : k.phrases()) {
            assertTrue(r.err().contains(phrase), () -> "message for " + k + " lacks '" + phrase + "': " + r.err());
        }
        assertFalse(r.out().contains("OK"), r.out());
        TALLY.survived(k.family());
    }

    @Test
    void theMatrixHoldsAtLeastTwentyFiveConfigs() {
        assertTrue(cases().count() >= 25, "cases: " + cases().count());
        assertEquals(cases().count(), cases().map(Case::name).distinct().count(), "case names are distinct: "
                + Arrays.toString(cases().map(Case::name).toArray()));
    }
}
