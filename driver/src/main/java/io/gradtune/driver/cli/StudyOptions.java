package io.gradtune.driver.cli;

import io.gradtune.driver.config.ConfigException;
import io.gradtune.driver.config.Limit;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/** The config file and the command-line overrides shared by {@code run} and {@code validate}. */
final class StudyOptions {

    @Parameters(index = "0", paramLabel = "CONFIG", description = "Study YAML file, e.g. configs/quickstart.yaml")
    Path config;

    @Option(names = "--max-trials", paramLabel = "N", description = "Number of trials (overrides search.max_trials).")
    Long maxTrials;

    @Option(names = "--output", paramLabel = "DIR", description = "Parent directory of run directories (default: output.dir, else runs/).")
    Path output;

    @Option(names = "--study", paramLabel = "NAME", description = "Study name, also the run directory's name (overrides study).")
    String study;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master URL, e.g. local[*] or spark://host:7077 (overrides spark.master).")
    String master;

    @Option(names = "--kafka", paramLabel = "BOOTSTRAP", description = "Kafka bootstrap servers, or 'embedded' for an in-process broker (overrides kafka.bootstrap).")
    String kafka;

    @Option(names = "--kafka-data-dir", paramLabel = "DIR", description = "Log directory of the embedded broker (default: a temporary directory).")
    Path kafkaDataDir;

    @Option(names = "--seed", paramLabel = "N", description = "Search seed: fixes proposals and initial weights (overrides search.seed).")
    Long seed;

    @Option(names = "--epochs", paramLabel = "N", description = "Epoch budget per trial (overrides training.epochs).")
    Long epochs;

    @Option(names = "--algorithm", paramLabel = "NAME", description = "Search algorithm: grid, random, bayesian (GP-EI), gp or tpe (overrides search.algorithm).")
    String algorithm;

    @Option(names = "--warm-start", paramLabel = "RUN_DIR", description = "Earlier run directory whose trials.csv seeds the bayesian sampler (overrides search.warm_start).")
    Path warmStart;

    @Option(names = "--no-early-stopping", description = "Disable every early-stopping rule (trials run their whole budget).")
    boolean noEarlyStopping;

    /** Loads the file and applies the overrides, validating each. */
    StudyConfig load() {
        return apply(StudyConfigLoader.load(config));
    }

    /**
     * These options as command-line arguments, paths made absolute: what {@code resume} parses again to rebuild
     * the study's config from any working directory.
     */
    java.util.List<String> asArgs() {
        java.util.List<String> args = new java.util.ArrayList<>();
        args.add(config.toAbsolutePath().toString());
        add(args, "--max-trials", maxTrials);
        add(args, "--output", output == null ? null : output.toAbsolutePath());
        add(args, "--study", study);
        add(args, "--master", master);
        add(args, "--kafka", kafka);
        add(args, "--kafka-data-dir", kafkaDataDir == null ? null : kafkaDataDir.toAbsolutePath());
        add(args, "--seed", seed);
        add(args, "--epochs", epochs);
        add(args, "--algorithm", algorithm);
        add(args, "--warm-start", warmStart == null ? null : warmStart.toAbsolutePath());
        if (noEarlyStopping) {
            args.add("--no-early-stopping");
        }
        return args;
    }

    private static void add(java.util.List<String> args, String name, Object value) {
        if (value != null) {
            args.add(name);
            args.add(value.toString());
        }
    }

    /** Applies the overrides to a loaded config, validating each. */
    StudyConfig apply(StudyConfig c) {
        String file = config.toString();
        // Each override is held to the limit of the field it overrides (Limit), and its message names both.
        if (maxTrials != null) {
            c = c.withMaxTrials((int) Limit.MAX_TRIALS.checkOption(file, "--max-trials", maxTrials));
        }
        if (epochs != null) {
            c = c.withEpochs((int) Limit.EPOCHS.checkOption(file, "--epochs", epochs));
        }
        if (study != null) {
            if (!StudyConfigLoader.NAME.matcher(study).matches()) {
                throw new ConfigException(file, "--study (overrides study)", study, "a study name uses letters, "
                        + "digits, '.', '-' and '_' (it names the run directory)");
            }
            c = c.withStudy(study);
        }
        if (output != null) {
            c = c.withOutputDir(output);
        }
        if (master != null) {
            String problem = StudyConfigLoader.masterProblem(master, c.spark().maxAttempts());
            if (problem != null) {
                throw new ConfigException(file, "--master (overrides spark.master)", master, problem);
            }
            c = c.withMaster(master);
            String workers = StudyConfigLoader.trialWorkersProblem(c.spark(), c.training().workers());
            if (workers != null) {
                throw new ConfigException(file, "--master (overrides spark.master)", master, workers);
            }
        }
        StudyConfigLoader.checkSubmittedSparkProperties(file, System.getProperties());
        if (kafka != null) {
            c = c.withKafkaBootstrap(kafka.equals("embedded") ? null : kafka);
        }
        if (kafkaDataDir != null) {
            c = c.withKafkaDataDir(kafkaDataDir);
        }
        if (seed != null) {
            c = c.withSeed(Limit.SEED.checkOption(file, "--seed", seed));
        }
        if (algorithm != null) {
            String name = algorithm.toLowerCase(java.util.Locale.ROOT);
            if (!StudyConfigLoader.ALGORITHMS.contains(name)) {
                throw new ConfigException(file, "--algorithm (overrides search.algorithm)", algorithm, "expected one of "
                        + String.join(", ", StudyConfigLoader.ALGORITHMS));
            }
            c = c.withAlgorithm(name);
        }
        if (warmStart != null) {
            Path dir = warmStart.toAbsolutePath().normalize();
            if (!java.nio.file.Files.isRegularFile(dir.resolve("trials.csv"))) {
                throw new ConfigException(file, "--warm-start (overrides search.warm_start)", warmStart, "no trials.csv in that run directory "
                        + "(resolved to " + dir + "); pass the directory of an earlier run");
            }
            try {
                c = c.withWarmStart(dir.toRealPath());   // a nightly-latest symlink is recorded as the run it names
            } catch (java.io.IOException e) {
                throw new ConfigException(file, "--warm-start", warmStart, "cannot resolve: " + e.getMessage());
            }
        }
        if (noEarlyStopping) {
            c = c.withStopping(io.gradtune.driver.stopping.StoppingSettings.none());
        }
        return c;
    }
}
