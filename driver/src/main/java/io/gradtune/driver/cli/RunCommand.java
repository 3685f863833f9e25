package io.gradtune.driver.cli;

import io.gradtune.driver.config.ConfigException;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.run.BrokerHeadStart;
import io.gradtune.driver.run.Preflight;
import io.gradtune.driver.run.StudyLauncher;
import io.gradtune.driver.run.StudyRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import io.gradtune.driver.search.Sampler;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

import java.util.concurrent.Callable;

/** {@code gradtune run}: validates the config, then runs the whole study and prints its leaderboard. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a study: Spark trials, Kafka metrics stream, leaderboard and run directory.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    StudyOptions options;

    @Mixin
    ProgressOption progress;

    @Option(names = "--overwrite", description = "Replace the study in an existing run directory (it is cleared once "
            + "Kafka, Spark and the data are up; a study that fails to start leaves it as it was).")
    boolean overwrite;

    @Mixin
    UiOptions ui;

    @Override
    public Integer call() throws Exception {
        StudyConfig config = options.load();
        var progressMode = progress.mode();
        if (config.kafka().embedded() && !embeddedBrokerAvailable()) {
            throw new ConfigException(options.config.toString(), "kafka.bootstrap", "embedded", "this jar has no "
                    + "embedded Kafka broker (the cluster jar leaves it out: on a cluster the broker is external); "
                    + "pass --kafka HOST:PORT, e.g. a broker started by deploy/kafka-start");
        }
        var data = Preflight.beforeRun(config); // data and output directory, before the broker or Spark start
        StudyRunner.checkRunDirectory(config, overwrite); // exit 2 before the warm start is read or anything starts
        // A bad or busy --ui-port: exit 2 before anything starts. Then the embedded broker's start, the longest before
        // the first trial, overlaps the rest of the start (BrokerHeadStart); closed here if the study never takes it.
        try (var live = ui.open(); BrokerHeadStart broker = BrokerHeadStart.beginIfApplies(config)) {
            Map<String, Object> launch = new LinkedHashMap<>();
            launch.put("config_file", options.config.toAbsolutePath().normalize().toString());
            launch.put("config_text", Files.readString(options.config));
            launch.put("args", options.asArgs());
            StudyRunner runner = new StudyRunner(config, sampler(config), System.out).overwrite(overwrite)
                    .launch(launch).withData(data).progress(progressMode).brokerHeadStart(broker);
            runner.liveView(live);
            StopSignals.install(runner::interrupt);
            return Gradtune.exitCode(runner.run());
        }
    }

    /** The config's sampler, with its warm start read and repairs if asked (shared with {@code resume}). */
    static Sampler sampler(StudyConfig config) {
        return StudyLauncher.sampler(config, System.out);
    }

    /** False in the cluster jar, which leaves out the Kafka broker classes the embedded broker runs on. */
    static boolean embeddedBrokerAvailable() {
        try {
            Class.forName("kafka.server.KafkaRaftServer", false, RunCommand.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
