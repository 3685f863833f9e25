package io.gradtune.driver.cli;

import io.gradtune.driver.config.ConfigException;
import io.gradtune.driver.config.KafkaSecrets;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.run.Preflight;
import io.gradtune.driver.space.SpaceText;
import io.gradtune.worker.secret.SecretResolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code gradtune validate}: checks a config (its fields, the Spark master's form, its local data files read in full
 * and checked value by value, that the output directory could be created, and that every {@code ${env:NAME}} in
 * {@code kafka.properties} is set) without starting Spark or Kafka and without writing anything. Data read through Spark SQL
 * (a URI, parquet, a table) is checked by {@code run} as it reads it. Several files ({@code validate configs/*.yaml})
 * are checked one after another, each reported as OK or with its error, the overrides applied to each; the exit code
 * is 2 when any is invalid. The space prints as {@link SpaceText}'s lines.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check study configs and their data; start nothing. Exit 2 if any is invalid.")
final class ValidateCommand implements Callable<Integer> {

    @Mixin
    StudyOptions options;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "MORE",
            description = "More study YAML files, each checked on its own, e.g. configs/*.yaml")
    List<Path> more = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (more.isEmpty()) {
            validate();   // one file: an error goes to the usual handler (exit 2, "gradtune: config error: ...")
            return Gradtune.EXIT_OK;
        }
        List<Path> files = new ArrayList<>();
        files.add(options.config);
        files.addAll(more);
        List<Path> invalid = new ArrayList<>();
        for (Path file : files) {
            options.config = file;
            try {
                validate();
            } catch (ConfigException e) {
                invalid.add(file);
                System.out.flush();
                String message = e.getMessage();   // names the file itself, usually first
                String prefix = file + ": ";
                spec.commandLine().getErr().println(file + ": INVALID — "
                        + (message.startsWith(prefix) ? message.substring(prefix.length()) : message));
                spec.commandLine().getErr().flush();
            }
        }
        String summary = (files.size() - invalid.size()) + " of " + files.size() + " configs valid";
        if (invalid.isEmpty()) {
            System.out.println(summary);
            return Gradtune.EXIT_OK;
        }
        spec.commandLine().getErr().println(summary + "; invalid: "
                + invalid.stream().map(Path::toString).reduce((a, b) -> a + ", " + b).orElse(""));
        return Gradtune.EXIT_USAGE;
    }

    /** Checks {@code options.config} and prints its report; a bad config throws {@link ConfigException}. */
    private void validate() {
        StudyConfig c = options.load();
        String data = Preflight.beforeValidate(c);
        System.out.println(c.source() + ": OK — study '" + c.study() + "', " + c.search().algorithm() + " search, "
                + c.search().maxTrials() + " trials x " + c.training().epochs() + " epochs, data " + c.data().location());
        if (data != null) {
            System.out.println("  " + data);
        } else {
            System.out.println("  (" + c.data().location() + " is read through Spark SQL when the study starts: its columns "
                    + "and values are checked then, before any trial)");
        }
        if (c.training().userModel()) {
            System.out.println("  model: " + c.training().modelClass() + (data != null ? " (loaded, and its network built "
                    + "once for a sample assignment of the space against the data)" : " (loaded; built against the "
                    + "data once it is read)"));
        }
        if (c.training().fineTuned()) {
            var ft = c.training().fineTune();
            System.out.println("  model: fine-tuning " + ft.initFrom() + ", first " + ft.freezeLayers()
                    + " weight layer(s) frozen, output layer " + (ft.replaceOutput() ? "replaced" : "kept unless the "
                    + "class count differs") + " (the file read and checked" + (data != null ? " against the data)"
                    : ")"));
        }
        if (c.training().dataParallel()) {
            int slots = c.spark().localTaskSlots();
            System.out.println("  training: data-parallel trials, " + c.training().workers() + " workers each (a "
                    + "dl4j-spark job per trial, run by the driver; " + (slots < 0 ? "floor(task slots / "
                    + c.training().workers() + ") trials at a time" : Math.max(1, slots / c.training().workers())
                    + " trial(s) at a time on " + c.spark().master()) + ")");
        }
        System.out.println("  space:");
        for (String line : SpaceText.lines(c.space())) {
            System.out.println("    " + line);
        }
        // As run does before it starts anything: every ${env:NAME} in kafka.properties must be set here (exit 2).
        KafkaSecrets.resolve(c, SecretResolver.jvmDefault());
        StudyConfig.Kafka k = c.kafka();
        System.out.println("  kafka " + (k.embedded() ? "embedded" : k.bootstrap()) + ": topics " + k.metricsTopic()
                + ", " + k.trialsTopic() + " (created when missing with " + k.partitions() + " partitions, replication "
                + "factor " + (k.replicationFactor() == null ? "the broker's default" : k.replicationFactor()) + ")"
                + (k.properties().isEmpty() ? "" : "; client properties " + String.join(", ", k.properties().keySet())));
    }
}
