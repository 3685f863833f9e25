package io.gradtune.driver.config;

import io.gradtune.driver.search.SamplerOptions;
import io.gradtune.driver.space.SearchSpace;
import io.gradtune.driver.stopping.StoppingSettings;
import io.gradtune.worker.protocol.DataSpec;

import java.nio.file.Path;
import java.util.Map;

/**
 * A validated study: everything {@code gradtune run} needs, immutable. Built by {@link StudyConfigLoader}
 * from YAML and then adjusted by command-line overrides through the {@code with...} methods.
 *
 * @param source    the config file it came from (for messages and provenance)
 * @param study     study name (also the run directory's name)
 * @param objective what to optimize
 * @param data      where the data comes from (local path, file-system URI or catalog table), its columns and split
 * @param search    sampler and budget
 * @param space     the search space
 * @param training  epoch budget and training defaults (fixed parameters the space does not search)
 * @param stopping  early-stopping rules evaluated on the driver as epoch records arrive
 * @param kafka     broker and topic settings
 * @param spark     Spark master and properties
 * @param outputDir parent directory of run directories
 */
public record StudyConfig(
        Path source,
        String study,
        Objective objective,
        DataSpec data,
        Search search,
        SearchSpace space,
        Training training,
        StoppingSettings stopping,
        Kafka kafka,
        Spark spark,
        Path outputDir) {

    /**
     * @param metric    val_accuracy or val_loss
     * @param maximize  true to maximize
     */
    public record Objective(String metric, boolean maximize) {
        /** Converts a metric value to minimization form, as samplers see it. */
        public double toMinimization(double value) {
            return maximize ? -value : value;
        }
    }

    /**
     * @param algorithm   grid, random, bayesian (= gp, Gaussian-process EI), gp or tpe
     * @param maxTrials   number of trials to run at most
     * @param seed        seed of proposals and of each trial's initial weights
     * @param options     sampler settings (grid points, startup trials, TPE candidates, warm start)
     * @param maxTime     wall-time budget: no new trial starts after it (null = none)
     * @param target      stop proposing once a completed trial's objective reaches this (NaN = none)
     * @param warmStart   run directory of an earlier study whose trials.csv seeds the model-based sampler (gp or tpe), or null
     */
    public record Search(String algorithm, int maxTrials, long seed, SamplerOptions options,
                         java.time.Duration maxTime, double target, Path warmStart) {
        public Search withMaxTrials(int n) {
            return new Search(algorithm, n, seed, options, maxTime, target, warmStart);
        }

        public Search withSeed(long s) {
            return new Search(algorithm, maxTrials, s, options, maxTime, target, warmStart);
        }

        public Search withAlgorithm(String name) {
            return new Search(name, maxTrials, seed, options, maxTime, target, warmStart);
        }

        public Search withWarmStart(Path runDir) {
            return new Search(algorithm, maxTrials, seed, options, maxTime, target, runDir);
        }
    }

    /**
     * @param epochs   epoch budget of each trial
     * @param defaults fixed parameter values used where the space does not define the parameter
     */
    public record Training(int epochs, Map<String, Object> defaults) {
        public Training {
            defaults = Map.copyOf(defaults);
        }
    }

    /**
     * @param bootstrap   bootstrap servers, or null for the embedded broker
     * @param topicPrefix prefix of the study's topics
     * @param dataDir     the embedded broker's log directory, or null for a fresh temporary one
     * @param properties  extra client properties (security settings) passed to producers and consumers
     */
    public record Kafka(String bootstrap, String topicPrefix, Path dataDir, Map<String, String> properties) {
        public Kafka {
            properties = Map.copyOf(properties);
        }

        public boolean embedded() {
            return bootstrap == null;
        }

        public String metricsTopic() {
            return topicPrefix + ".metrics";
        }

        public String trialsTopic() {
            return topicPrefix + ".trials";
        }
    }

    /**
     * @param master     Spark master URL
     * @param properties extra Spark properties
     */
    public record Spark(String master, Map<String, String> properties) {
        public Spark {
            properties = Map.copyOf(properties);
        }
    }

    public StudyConfig withStudy(String name) {
        return new StudyConfig(source, name, objective, data, search, space, training, stopping, kafka, spark, outputDir);
    }

    public StudyConfig withMaxTrials(int n) {
        return new StudyConfig(source, study, objective, data, search.withMaxTrials(n),
                space, training, stopping, kafka, spark, outputDir);
    }

    public StudyConfig withSeed(long seed) {
        return new StudyConfig(source, study, objective, data, search.withSeed(seed),
                space, training, stopping, kafka, spark, outputDir);
    }

    public StudyConfig withAlgorithm(String algorithm) {
        return new StudyConfig(source, study, objective, data, search.withAlgorithm(algorithm),
                space, training, stopping, kafka, spark, outputDir);
    }

    public StudyConfig withWarmStart(Path runDir) {
        return new StudyConfig(source, study, objective, data, search.withWarmStart(runDir),
                space, training, stopping, kafka, spark, outputDir);
    }

    public StudyConfig withOutputDir(Path dir) {
        return new StudyConfig(source, study, objective, data, search, space, training, stopping, kafka, spark, dir);
    }

    public StudyConfig withMaster(String master) {
        return new StudyConfig(source, study, objective, data, search, space, training, stopping, kafka,
                new Spark(master, spark.properties()), outputDir);
    }

    public StudyConfig withKafkaBootstrap(String bootstrap) {
        return new StudyConfig(source, study, objective, data, search, space, training, stopping,
                new Kafka(bootstrap, kafka.topicPrefix(), kafka.dataDir(), kafka.properties()), spark, outputDir);
    }

    public StudyConfig withKafkaDataDir(Path dir) {
        return new StudyConfig(source, study, objective, data, search, space, training, stopping,
                new Kafka(kafka.bootstrap(), kafka.topicPrefix(), dir, kafka.properties()), spark, outputDir);
    }

    /** This study with another data spec (the driver's, carrying the digest of the rows it read). */
    public StudyConfig withData(DataSpec d) {
        return new StudyConfig(source, study, objective, d, search, space, training, stopping, kafka, spark, outputDir);
    }

    public StudyConfig withStopping(StoppingSettings settings) {
        return new StudyConfig(source, study, objective, data, search, space, training, settings, kafka, spark, outputDir);
    }

    public StudyConfig withEpochs(int epochs) {
        return new StudyConfig(source, study, objective, data, search, space,
                new Training(epochs, training.defaults()), stopping, kafka, spark, outputDir);
    }
}
