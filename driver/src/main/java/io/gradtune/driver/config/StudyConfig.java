package io.gradtune.driver.config;


import io.gradtune.driver.search.PathologyPrior;
import io.gradtune.driver.search.SamplerOptions;
import io.gradtune.driver.space.SearchSpace;
import io.gradtune.driver.stopping.StoppingSettings;
import io.gradtune.worker.protocol.DataSpec;
import io.gradtune.worker.protocol.FineTuneSpec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * @param refit     what happens after the search: the best trial refitted and scored on the test part
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
        Path outputDir,
        Refit refit) {

    /** A study with the default refit ({@link Refit#DEFAULT}). */
    public StudyConfig(Path source, String study, Objective objective, DataSpec data, Search search, SearchSpace space,
                       Training training, StoppingSettings stopping, Kafka kafka, Spark spark, Path outputDir) {
        this(source, study, objective, data, search, space, training, stopping, kafka, spark, outputDir, Refit.DEFAULT);
    }

    public StudyConfig {
        refit = refit == null ? Refit.DEFAULT : refit;
    }

    /**
     * The {@code refit} section: after a search that ended normally, the best trial's parameters are trained on
     * train + validation for its best epoch count and scored once on the held-out test part.
     *
     * @param enabled            false to skip the refit (no test figure, no best-model.zip)
     * @param mode               where it trains: {@code local}, in the driver JVM, or {@code spark}, data-parallel over
     *                           the application's executors with dl4j-spark (parameter averaging)
     * @param workers            {@code spark} mode: data partitions trained in parallel; 0 = the task slots the
     *                           application has when the refit starts
     * @param averagingFrequency {@code spark} mode: mini-batches each worker fits between two averagings
     */
    public record Refit(boolean enabled, String mode, int workers, int averagingFrequency) {
        public static final Refit DEFAULT = new Refit(true, "local", 0, 5);
        public static final String LOCAL = "local";
        public static final String SPARK = "spark";

        public Refit(boolean enabled, String mode) {
            this(enabled, mode, 0, 5);
        }

        public boolean spark() {
            return SPARK.equals(mode);
        }
    }

    /**
     * @param metric    val_accuracy or val_loss (classification), val_r2, val_mse, val_mae or val_loss (= val_mse) for a
     *                  regression
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
     * @param repair      follow each pathological trial with its repaired neighbour ({@code search.RepairingSampler})
     * @param feedback    diagnosis feedback: trials stopped by an infeasible rule (divergence, exploding or vanishing
     *                    gradients), or pruned and diagnosed with a vanishing or exploding gradient, reach the sampler
     *                    as INFEASIBLE observations (true, the default), or as ordinary PRUNED ones (false: the
     *                    sampler is unaware of why they stopped)
     * @param prior       {@value #PRIOR_TUTORIALS}: the bayesian sampler starts from prior knowledge of where the
     *                    built-in network vanishes or explodes ({@code search.PathologyPrior}), or {@value #PRIOR_NONE};
     *                    the loader's default is {@value #PRIOR_TUTORIALS} with {@code feedback} on, else
     *                    {@value #PRIOR_NONE}. Inert for a user's model class or fine-tuning (see
     *                    {@link StudyConfig#samplerOptions()})
     */
    public record Search(String algorithm, int maxTrials, long seed, SamplerOptions options,
                         java.time.Duration maxTime, double target, Path warmStart, boolean repair,
                         boolean feedback, String prior) {
        /** {@code search.prior} value: the tutorials' pathology prior. */
        public static final String PRIOR_TUTORIALS = "tutorials";
        /** {@code search.prior} value: no prior (the feasibility model learns from feedback only). */
        public static final String PRIOR_NONE = "none";

        public Search {
            if (!PRIOR_TUTORIALS.equals(prior) && !PRIOR_NONE.equals(prior)) {
                throw new IllegalArgumentException("search.prior must be tutorials or none, got " + prior);
            }
        }

        /** Search settings without a prior. */
        public Search(String algorithm, int maxTrials, long seed, SamplerOptions options, java.time.Duration maxTime,
                      double target, Path warmStart, boolean repair, boolean feedback) {
            this(algorithm, maxTrials, seed, options, maxTime, target, warmStart, repair, feedback, PRIOR_NONE);
        }

        public Search withPrior(String p) {
            return new Search(algorithm, maxTrials, seed, options, maxTime, target, warmStart, repair, feedback, p);
        }

        public Search withMaxTrials(int n) {
            return new Search(algorithm, n, seed, options, maxTime, target, warmStart, repair, feedback, prior);
        }

        public Search withSeed(long s) {
            return new Search(algorithm, maxTrials, s, options, maxTime, target, warmStart, repair, feedback, prior);
        }

        public Search withAlgorithm(String name) {
            return new Search(name, maxTrials, seed, options, maxTime, target, warmStart, repair, feedback, prior);
        }

        public Search withWarmStart(Path runDir) {
            return new Search(algorithm, maxTrials, seed, options, maxTime, target, runDir, repair, feedback, prior);
        }

        public Search withRepair(boolean on) {
            return new Search(algorithm, maxTrials, seed, options, maxTime, target, warmStart, on, feedback, prior);
        }

        public Search withFeedback(boolean on) {
            return new Search(algorithm, maxTrials, seed, options, maxTime, target, warmStart, repair, on, prior);
        }
    }

    /**
     * @param epochs     epoch budget of each trial
     * @param defaults   fixed parameter values used where the space does not define the parameter
     * @param modelClass the user's {@code io.gradtune.api.ModelFactory} ({@code model.class}), or null for the
     *                   built-in network. With one, the parameters are the factory's own names, passed to it
     *                   verbatim; gradtune itself reads only {@code batch_size} and {@code scaling} of them.
     * @param fineTune   {@code model.init_from} (resolved to an absolute path), {@code freeze_layers} and
     *                   {@code replace_output}: each trial fine-tunes that saved model; null otherwise (never both a
     *                   model class and fine-tuning)
     */
    public record Training(int epochs, Map<String, Object> defaults, String modelClass, FineTuneSpec fineTune,
                           int workers) {
        public Training {
            // Ordered as given (the config file's order): trials.csv's and trials.parquet's columns follow it, and
            // Map.copyOf's iteration order varies from JVM to JVM.
            defaults.forEach((k, v) -> java.util.Objects.requireNonNull(v, k));
            defaults = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(defaults));
            if (modelClass != null && fineTune != null) {
                throw new IllegalArgumentException("a model class and fine-tuning exclude each other");
            }
            if (workers < 1) {
                throw new IllegalArgumentException("training.workers must be at least 1, was " + workers);
            }
            if (workers > 1 && fineTune != null) {
                throw new IllegalArgumentException("data-parallel trials (training.workers) cannot fine-tune");
            }
        }

        /** A training section of one task per trial ({@code training.workers: 1}). */
        public Training(int epochs, Map<String, Object> defaults, String modelClass, FineTuneSpec fineTune) {
            this(epochs, defaults, modelClass, fineTune, 1);
        }

        /**
         * Whether each trial trains data-parallel ({@code training.workers} &ge; 2: a dl4j-spark job of that many
         * partitions run by the driver, docs/data-parallel.md) rather than as one Spark task.
         */
        public boolean dataParallel() {
            return workers > 1;
        }

        /** A training section without fine-tuning. */
        public Training(int epochs, Map<String, Object> defaults, String modelClass) {
            this(epochs, defaults, modelClass, null);
        }

        /** Whether the trials fine-tune a saved model ({@code model.init_from}). */
        public boolean fineTuned() {
            return fineTune != null;
        }

        /** The built-in network's training section. */
        public Training(int epochs, Map<String, Object> defaults) {
            this(epochs, defaults, null);
        }

        /** Whether the trials build a user's model class rather than the built-in network. */
        public boolean userModel() {
            return modelClass != null;
        }
    }

    /**
     * @param bootstrap         bootstrap servers, or null for the embedded broker
     * @param topicPrefix       prefix of the study's topics
     * @param dataDir           the embedded broker's log directory, or null for a fresh temporary one
     * @param properties        client properties (security settings) given to every Kafka client the study starts,
     *                          the driver's and the workers'; values as written, {@code ${env:NAME}} placeholders
     *                          unresolved (each client resolves them where it starts)
     * @param partitions        partitions of each topic gradtune creates (existing topics are left alone)
     * @param replicationFactor replication factor of each topic gradtune creates, or null for the broker's
     *                          {@code default.replication.factor}
     * @param outageTolerance   {@code kafka.outage_tolerance}: how long every producer of the study (the workers'
     *                          metrics, the driver's events) waits for an absent broker before it gives up on a
     *                          record, and how long the driver waits for a finished trial's records beyond its own
     *                          margin; default {@link #DEFAULT_OUTAGE_TOLERANCE}
     */
    public record Kafka(String bootstrap, String topicPrefix, Path dataDir, Map<String, String> properties,
                        int partitions, Integer replicationFactor, java.time.Duration outageTolerance) {

        /** Outages every producer rides out unless {@code kafka.outage_tolerance} says otherwise: 5 minutes. */
        public static final java.time.Duration DEFAULT_OUTAGE_TOLERANCE = java.time.Duration.ofMinutes(5);

        /** Partitions of a created topic unless {@code kafka.partitions} says otherwise. */
        public static final int DEFAULT_PARTITIONS = 4;

        public Kafka {
            properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
            if (outageTolerance == null) {
                outageTolerance = DEFAULT_OUTAGE_TOLERANCE;
            }
            if (outageTolerance.toMillis() < 1000) {
                throw new IllegalArgumentException("outage tolerance must be at least 1 s, was " + outageTolerance);
            }
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
            }
            if (replicationFactor != null && (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE)) {
                throw new IllegalArgumentException("replication factor must be 1.." + Short.MAX_VALUE + ", was "
                        + replicationFactor);
            }
        }

        /** Default partitions and the broker's default replication factor. */
        public Kafka(String bootstrap, String topicPrefix, Path dataDir, Map<String, String> properties) {
            this(bootstrap, topicPrefix, dataDir, properties, DEFAULT_PARTITIONS, null, DEFAULT_OUTAGE_TOLERANCE);
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

        /** The driver's verdicts to the workers at the epochs where a comparative rule decides. */
        public String controlTopic() {
            return topicPrefix + ".control";
        }

        public Kafka withBootstrap(String servers) {
            return new Kafka(servers, topicPrefix, dataDir, properties, partitions, replicationFactor, outageTolerance);
        }

        public Kafka withDataDir(Path dir) {
            return new Kafka(bootstrap, topicPrefix, dir, properties, partitions, replicationFactor, outageTolerance);
        }
    }

    /**
     * @param master      Spark master URL, as the config (or {@code --master}) gives it
     * @param properties  extra Spark properties, as the config gives them
     * @param maxAttempts Spark task attempts a trial may take ({@code spark.max_attempts}, default
     *                    {@link #DEFAULT_MAX_ATTEMPTS}): a trial whose attempt failed (its code threw, or its
     *                    executor was lost) runs again as a new attempt, up to this many in all; it is Spark's
     *                    {@code spark.task.maxFailures}
     */
    public record Spark(String master, Map<String, String> properties, int maxAttempts) {
        /** The Spark property giving each task (trial) its cores, and so its native threads. */
        public static final String TASK_CPUS = "spark.task.cpus";
        /** Spark's attempt limit per task: gradtune sets it from {@code spark.max_attempts}. */
        public static final String TASK_MAX_FAILURES = "spark.task.maxFailures";
        /** Spark's speculative execution: always off (a second copy of a trial would publish a second curve). */
        public static final String SPECULATION = "spark.speculation";
        public static final int DEFAULT_MAX_ATTEMPTS = 2;
        static final String EXECUTOR_OMP_THREADS = "spark.executorEnv.OMP_NUM_THREADS";
        /** Spark's {@code local} and {@code local[N]} (N a number or *), whose task failure limit is always 1. */
        static final Pattern LOCAL_WITHOUT_RETRIES = Pattern.compile("local(?:\\[([0-9]+|\\*)\\])?");
        /** Spark's {@code local[N,F]}: N threads, F attempts per task. */
        static final Pattern LOCAL_WITH_RETRIES = Pattern.compile("local\\[([0-9]+|\\*)\\s*,\\s*([0-9]+)\\]");

        /** The master URL forms Spark accepts, as the messages list them. */
        public static final String MASTER_FORMS = "local, local[N], local[*], local[N,F], local-cluster[N,C,M], "
                + "spark://HOST:PORT[,HOST:PORT...], yarn, k8s://..., mesos://...";
        private static final String COUNT = "(?:[1-9][0-9]*)";
        private static final Pattern WELL_FORMED = Pattern.compile(String.join("|",
                "local",
                "local\\[(?:" + COUNT + "|\\*)(?:\\s*,\\s*" + COUNT + ")?\\]",
                "local-cluster\\[\\s*" + COUNT + "\\s*,\\s*" + COUNT + "\\s*,\\s*" + COUNT + "\\s*\\]",
                "spark://[A-Za-z0-9._\\-\\[\\]:]+:[0-9]{1,5}(?:,[A-Za-z0-9._\\-\\[\\]:]+:[0-9]{1,5})*",
                "yarn",
                "k8s://\\S+",
                "mesos://\\S+"));

        public Spark {
            properties = Map.copyOf(properties);
        }

        /** True when {@code master} has one of Spark's master URL forms ({@link #MASTER_FORMS}). */
        public static boolean isWellFormed(String master) {
            return master != null && WELL_FORMED.matcher(master.trim()).matches();
        }

        /** A Spark section with the default {@code max_attempts}. */
        public Spark(String master, Map<String, String> properties) {
            this(master, properties, DEFAULT_MAX_ATTEMPTS);
        }

        /**
         * The master the SparkContext is started with. Spark's {@code local} and {@code local[N]} never retry a
         * task (their failure limit is fixed at 1, {@code spark.task.maxFailures} notwithstanding), so they become
         * {@code local[N,maxAttempts]}: a local study retries a failed trial as a cluster study does. Every other
         * master is used as given.
         */
        public String sparkMaster() {
            Matcher m = LOCAL_WITHOUT_RETRIES.matcher(master.trim());
            if (m.matches()) {
                return "local[" + (m.group(1) == null ? "1" : m.group(1)) + "," + maxAttempts + "]";
            }
            return master;
        }

        /**
         * The attempt limit a {@code local[N,F]} master gives (F), or -1 for any other master. The loader refuses
         * an F that differs from {@code max_attempts}.
         */
        static int localFailureLimit(String master) {
            Matcher m = LOCAL_WITH_RETRIES.matcher(master.trim());
            return m.matches() ? Integer.parseInt(m.group(2)) : -1;
        }

        /**
         * The task slots a local master offers ({@code local}: 1, {@code local[N]}/{@code local[N,F]}: N,
         * {@code local[*]}: this machine's processors, {@code local-cluster[N,C,M]}: N x C), divided by
         * {@code spark.task.cpus}; -1 for a cluster master, whose slots are known only once executors register.
         */
        public int localTaskSlots() {
            String m = master.trim();
            int cores;
            Matcher local = Pattern.compile("local(?:\\[([0-9]+|\\*)(?:\\s*,\\s*[0-9]+)?\\])?").matcher(m);
            Matcher cluster = Pattern.compile("local-cluster\\[\\s*([0-9]+)\\s*,\\s*([0-9]+)\\s*,\\s*[0-9]+\\s*\\]")
                    .matcher(m);
            if (local.matches()) {
                String n = local.group(1);
                cores = n == null ? 1 : n.equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(n);
            } else if (cluster.matches()) {
                cores = Integer.parseInt(cluster.group(1)) * Integer.parseInt(cluster.group(2));
            } else {
                return -1;
            }
            return cores / Math.max(1, taskCpus());
        }

        /** {@code spark.task.cpus} of the config's properties (validated by the loader), 1 when not set. */
        public int taskCpus() {
            String v = properties.get(TASK_CPUS);
            return v == null ? 1 : Integer.parseInt(v.trim());
        }

        /**
         * The Spark properties the study's SparkContext is given: the config's, plus what they imply.
         * {@code spark.task.maxFailures} = {@code maxAttempts}; {@code spark.speculation} = false (the loader
         * refuses true); with {@code spark.task.cpus} n > 1 executors start with {@code OMP_NUM_THREADS} n
         * (libnd4j sizes its thread pool from it once per JVM), unless the config sets
         * {@code spark.executorEnv.OMP_NUM_THREADS} itself.
         */
        public Map<String, String> sparkProperties() {
            Map<String, String> out = new LinkedHashMap<>(properties);
            out.put(TASK_MAX_FAILURES, String.valueOf(maxAttempts));
            out.put(SPECULATION, "false");
            int cpus = taskCpus();
            if (cpus > 1) {
                out.putIfAbsent(EXECUTOR_OMP_THREADS, String.valueOf(cpus));
            }
            return out;
        }
    }

    /**
     * The sampler options with the pathology prior resolved: {@code search.prior: tutorials} gives the tutorials' prior
     * over the built-in network's parameters, with the study's fixed training values filling in what the space does
     * not search; none for a user's model class or fine-tuning (their parameter names are not the built-in network's),
     * for {@code search.prior: none}, or when the space searches none of {@link PathologyPrior#NAMES}. The trial budget
     * is {@code search.max_trials} (after any command-line override), over which the cost-aware GP cools the cost.
     */
    public SamplerOptions samplerOptions() {
        return search.options().withPrior(pathologyPrior()).withTrialBudget(search.maxTrials());
    }

    /** The pathology prior the bayesian sampler uses (see {@link #samplerOptions()}), or null for none. */
    public PathologyPrior pathologyPrior() {
        boolean builtIn = training == null || (!training.userModel() && !training.fineTuned());
        if (search == null || !Search.PRIOR_TUTORIALS.equals(search.prior()) || !builtIn
                || !PathologyPrior.appliesTo(space)) {
            return null;
        }
        return PathologyPrior.tutorials(training == null ? Map.of() : training.defaults());
    }

    public StudyConfig withStudy(String name) {
        return new StudyConfig(source, name, objective, data, search, space, training, stopping, kafka, spark, outputDir, refit);
    }

    public StudyConfig withSearch(Search s) {
        return new StudyConfig(source, study, objective, data, s, space, training, stopping, kafka, spark, outputDir, refit);
    }

    public StudyConfig withMaxTrials(int n) {
        return new StudyConfig(source, study, objective, data, search.withMaxTrials(n),
                space, training, stopping, kafka, spark, outputDir, refit);
    }

    public StudyConfig withSeed(long seed) {
        return new StudyConfig(source, study, objective, data, search.withSeed(seed),
                space, training, stopping, kafka, spark, outputDir, refit);
    }

    public StudyConfig withAlgorithm(String algorithm) {
        return new StudyConfig(source, study, objective, data, search.withAlgorithm(algorithm),
                space, training, stopping, kafka, spark, outputDir, refit);
    }

    public StudyConfig withWarmStart(Path runDir) {
        return new StudyConfig(source, study, objective, data, search.withWarmStart(runDir),
                space, training, stopping, kafka, spark, outputDir, refit);
    }

    public StudyConfig withOutputDir(Path dir) {
        return new StudyConfig(source, study, objective, data, search, space, training, stopping, kafka, spark, dir, refit);
    }

    public StudyConfig withMaster(String master) {
        return new StudyConfig(source, study, objective, data, search, space, training, stopping, kafka,
                new Spark(master, spark.properties(), spark.maxAttempts()), outputDir, refit);
    }

    public StudyConfig withKafkaBootstrap(String bootstrap) {
        return new StudyConfig(source, study, objective, data, search, space, training, stopping,
                kafka.withBootstrap(bootstrap), spark, outputDir, refit);
    }

    public StudyConfig withKafkaDataDir(Path dir) {
        return new StudyConfig(source, study, objective, data, search, space, training, stopping,
                kafka.withDataDir(dir), spark, outputDir, refit);
    }

    /** This study with another data spec (the driver's, carrying the digest of the rows it read). */
    public StudyConfig withData(DataSpec d) {
        return new StudyConfig(source, study, objective, d, search, space, training, stopping, kafka, spark, outputDir, refit);
    }

    public StudyConfig withStopping(StoppingSettings settings) {
        return new StudyConfig(source, study, objective, data, search, space, training, settings, kafka, spark, outputDir, refit);
    }

    /** This study building each trial's network with the named model class (null: the built-in network). */
    public StudyConfig withModelClass(String className) {
        return new StudyConfig(source, study, objective, data, search, space,
                new Training(training.epochs(), training.defaults(), className, null, training.workers()), stopping, kafka, spark, outputDir);
    }

    /** This study with {@code training.workers: n} (1: one task per trial; n &ge; 2: data-parallel trials). */
    public StudyConfig withTrainingWorkers(int n) {
        return new StudyConfig(source, study, objective, data, search, space,
                new Training(training.epochs(), training.defaults(), training.modelClass(), training.fineTune(), n),
                stopping, kafka, spark, outputDir, refit);
    }

    /** This study without the refit after the search ({@code refit.enabled: false}). */
    public StudyConfig withoutRefit() {
        return new StudyConfig(source, study, objective, data, search, space, training, stopping, kafka, spark,
                outputDir, new Refit(false, refit.mode(), refit.workers(), refit.averagingFrequency()));
    }

    public StudyConfig withEpochs(int epochs) {
        return new StudyConfig(source, study, objective, data, search, space,
                new Training(epochs, training.defaults(), training.modelClass(), training.fineTune(), training.workers()), stopping, kafka, spark, outputDir, refit);
    }
}
