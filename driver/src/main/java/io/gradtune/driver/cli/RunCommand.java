package io.gradtune.driver.cli;

import io.gradtune.driver.config.ConfigException;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.search.SamplerOptions;
import io.gradtune.driver.search.Samplers;
import io.gradtune.driver.search.WarmStart;
import io.gradtune.driver.run.Preflight;
import io.gradtune.driver.run.StudyRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code gradtune run}: validates the config, then runs the whole study and prints its leaderboard. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a study: Spark trials, Kafka metrics stream, leaderboard and run directory.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    StudyOptions options;

    @Override
    public Integer call() throws Exception {
        StudyConfig config = options.load();
        if (config.kafka().embedded() && !embeddedBrokerAvailable()) {
            throw new ConfigException(options.config.toString(), "kafka.bootstrap", "embedded", "this jar has no "
                    + "embedded Kafka broker (the cluster jar leaves it out: on a cluster the broker is external); "
                    + "pass --kafka HOST:PORT, e.g. a broker started by deploy/kafka-start");
        }
        Preflight.beforeRun(config);   // data and output directory, before the broker or Spark start
        SamplerOptions options = config.search().options();
        if (config.search().warmStart() != null) {
            options = options.withWarmStart(WarmStart.read(config.search().warmStart(), config.space(),
                    config.objective().maximize()));
            System.out.println("warm start: " + options.warmStart().size() + " trials from " + config.search().warmStart());
        }
        StudyRunner.Outcome outcome = new StudyRunner(config,
                Samplers.create(config.search().algorithm(), config.space(), config.search().seed(), options),
                System.out).run();
        return outcome.failure() != null || outcome.leaderboard().best() == null ? Gradtune.EXIT_FAILURE
                : Gradtune.EXIT_OK;
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
