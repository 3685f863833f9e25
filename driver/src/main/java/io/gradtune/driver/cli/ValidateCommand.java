package io.gradtune.driver.cli;

import io.gradtune.driver.config.KafkaSecrets;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.run.Preflight;
import io.gradtune.driver.space.Parameter;
import io.gradtune.worker.secret.SecretResolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * {@code gradtune validate}: checks a config (its fields, the Spark master's form, its local data files read in full
 * and checked value by value, that the output directory could be created, and that every {@code ${env:NAME}} in
 * {@code kafka.properties} is set) without starting Spark or Kafka and without writing anything. Data read through Spark SQL
 * (a URI, parquet, a table) is checked by {@code run} as it reads it.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a study config and its data path; start nothing.")
final class ValidateCommand implements Callable<Integer> {

    @Mixin
    StudyOptions options;

    @Override
    public Integer call() {
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
        for (Parameter p : c.space().parameters()) {
            System.out.println("  " + p);
        }
        // As run does before it starts anything: every ${env:NAME} in kafka.properties must be set here (exit 2).
        KafkaSecrets.resolve(c, SecretResolver.jvmDefault());
        StudyConfig.Kafka k = c.kafka();
        System.out.println("  kafka " + (k.embedded() ? "embedded" : k.bootstrap()) + ": topics " + k.metricsTopic()
                + ", " + k.trialsTopic() + " (created when missing with " + k.partitions() + " partitions, replication "
                + "factor " + (k.replicationFactor() == null ? "the broker's default" : k.replicationFactor()) + ")"
                + (k.properties().isEmpty() ? "" : "; client properties " + String.join(", ", k.properties().keySet())));
        return Gradtune.EXIT_OK;
    }
}
