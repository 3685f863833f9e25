package io.gradtune.driver.cli;

import io.gradtune.driver.bench.SamplerBenchmark;
import io.gradtune.driver.bench.SteeringBenchmark;
import io.gradtune.driver.bench.SteeringReport;
import io.gradtune.worker.bench.TrialSpeedBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code gradtune bench}: benchmarks, each printing one JSON object on the last line. {@code samplers} and
 * {@code trial} are the benchmarks' own picocli commands ({@link SamplerBenchmark.Command},
 * {@link TrialSpeedBenchmark.Command}), which their {@code main} methods also run, so each has one definition of
 * its options. Only {@code steering} (real studies) and {@code data-parallel} (Spark local[N] contexts) start
 * Spark in this JVM; {@code study} starts each of its runs as a child process through the launcher.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks.",
        subcommands = {SamplerBenchmark.Command.class, BenchCommand.Stream.class, TrialSpeedBenchmark.Command.class,
                BenchCommand.Steering.class, BenchCommand.DataParallel.class, BenchCommand.Overhead.class,
                BenchCommand.Scale.class, BenchCommand.Study.class,
                io.gradtune.worker.bench.TransferBenchmark.Command.class,
                io.gradtune.driver.bench.SpaceSpeedBenchmark.Command.class})
final class BenchCommand {

    /** {@code gradtune bench overhead}: orchestration overhead of a study of synthetic fixed-cost trials. */
    @Command(name = "overhead", mixinStandardHelpOptions = true,
            description = "A real study (Spark local[S], embedded Kafka, driver loop, journal, reports; random search, "
                    + "no stopping rules, no refit) whose trials are synthetic: D ms of CPU work per epoch, E epochs, "
                    + "records through Kafka as usual. Prints overhead = wall / (N x E x D / S) - 1 and the latency "
                    + "from a free slot to the next trial's first work (p50/p99), JSON last.")
    static final class Overhead implements Callable<Integer> {

        @Option(names = "--trials", defaultValue = "200", description = "Trials N (default ${DEFAULT-VALUE}).")
        int trials;

        @Option(names = "--epochs", defaultValue = "1", description = "Epochs E per trial (default ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--epoch-ms", defaultValue = "1000", description = "CPU milliseconds D per epoch (default ${DEFAULT-VALUE}).")
        long epochMillis;

        @Option(names = "--slots", defaultValue = "2", description = "Task slots S: Spark local[S] (default ${DEFAULT-VALUE}).")
        int slots;

        @Option(names = "--data", defaultValue = "data/digits.csv",
                description = "The study's data, read once and never trained on (default ${DEFAULT-VALUE}).")
        java.nio.file.Path data;

        @Option(names = "--output", defaultValue = "runs/bench-overhead",
                description = "Run directory's parent and console log (default ${DEFAULT-VALUE}).")
        java.nio.file.Path output;

        @Override
        public Integer call() throws InterruptedException {
            io.gradtune.driver.bench.OverheadBenchmark.Options o;
            try {
                o = new io.gradtune.driver.bench.OverheadBenchmark.Options(trials, epochs, epochMillis, slots, data, output);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage());
            }
            io.gradtune.driver.bench.OverheadBenchmark.Result r = io.gradtune.driver.bench.OverheadBenchmark.run(o);
            System.out.println(io.gradtune.driver.bench.OverheadBenchmark.summary(r));
            System.out.println(r.toJson());
            return r.failure() == null ? Gradtune.EXIT_OK : 1;
        }
    }

    /** {@code gradtune bench scale}: the driver's side of a large study, simulated. */
    @Command(name = "scale", mixinStandardHelpOptions = true,
            description = "No Spark, no DL4J: a pool of emulated trials publishes synthetic epoch records to an "
                    + "embedded broker; the driver's consumer, stopping rules (ASHA on), journal, metrics.jsonl, "
                    + "trials.csv and the GP sampler run as in a study. Prints driver CPU per trial, decision latency "
                    + "p50/p99, GP proposal time p50/p99 and peak heap, JSON last.")
    static final class Scale implements Callable<Integer> {

        @Option(names = "--trials", defaultValue = "10000", description = "Trials (default ${DEFAULT-VALUE}).")
        int trials;

        @Option(names = "--slots", defaultValue = "256", description = "Concurrent emulated trials (default ${DEFAULT-VALUE}).")
        int slots;

        @Option(names = "--epochs", defaultValue = "20", description = "Maximum epochs per trial (default ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--epoch-ms", defaultValue = "200", description = "Time between a trial's records (default ${DEFAULT-VALUE}).")
        long epochMillis;

        @Option(names = "--output", defaultValue = "runs/bench-scale",
                description = "Where the simulated run directory goes (default ${DEFAULT-VALUE}).")
        java.nio.file.Path output;

        @Override
        public Integer call() throws InterruptedException {
            io.gradtune.driver.bench.ScaleBenchmark.Options o;
            try {
                o = new io.gradtune.driver.bench.ScaleBenchmark.Options(trials, slots, epochs, epochMillis, output);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage());
            }
            io.gradtune.driver.bench.ScaleBenchmark.Result r = io.gradtune.driver.bench.ScaleBenchmark.run(o);
            System.out.println(io.gradtune.driver.bench.ScaleBenchmark.summary(r));
            System.out.println(r.toJson());
            return Gradtune.EXIT_OK;
        }
    }

    /** {@code gradtune bench stream}: decision latency and consumer throughput on an embedded broker. */
    @Command(name = "stream", mixinStandardHelpOptions = true,
            description = "Synthetic trials publish epoch records to an embedded broker; the driver's consumer feeds them "
                    + "to a study with the default stopping rules, as a real run does. Prints decision latency "
                    + "p50/p99 (publish -> decision) and consumer records per second as JSON. With --saturate, "
                    + "publishes everything first and times the consumer draining it.")
    static final class Stream implements Callable<Integer> {

        @Option(names = "--trials", defaultValue = "100", description = "Concurrent synthetic trials (default ${DEFAULT-VALUE}).")
        int trials;

        @Option(names = "--epochs", defaultValue = "20", description = "Maximum epochs per trial (default ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--epoch-millis", defaultValue = "100", description = "Time between a trial's records (default ${DEFAULT-VALUE}).")
        long epochMillis;

        @Option(names = "--warmup-seconds", defaultValue = "5", description = "Unsampled start: JIT and broker warm-up (default ${DEFAULT-VALUE}).")
        double warmupSeconds;

        @Option(names = "--seconds", defaultValue = "20", description = "Sampled duration after the warm-up (default ${DEFAULT-VALUE}).")
        double seconds;

        @Option(names = "--saturate", description = "Publish trials x epochs records first, then time the consumer draining them.")
        boolean saturate;

        @Option(names = "--decision-warm-up", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Warm the decision path up while the broker starts, as `run` does (default on; "
                        + "--no-decision-warm-up measures a driver without it).")
        boolean decisionWarmUp;

        @Override
        public Integer call() throws InterruptedException {
            io.gradtune.driver.bench.StreamBenchmark.Options o;
            try {
                o = new io.gradtune.driver.bench.StreamBenchmark.Options(trials, epochs, epochMillis, warmupSeconds,
                        seconds, saturate, decisionWarmUp);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage());
            }
            System.out.println(io.gradtune.driver.bench.StreamBenchmark.run(o).toJson());
            return Gradtune.EXIT_OK;
        }
    }

    /** {@code gradtune bench steering}: issue 11's steering benchmark ({@link SteeringBenchmark}). */
    @Command(name = "steering", mixinStandardHelpOptions = true,
            description = "For each seed, runs the config's study (the bayesian sampler) five times, as `run` does "
                    + "(Spark local mode, embedded Kafka): with diagnosis feedback, the tutorials' pathology prior "
                    + "(prior knowledge, not feedback) and repair; feedback and the prior; feedback and repair; "
                    + "feedback only; and with none of them. Prints per study the trials in pathological regions (stopped by divergence, "
                    + "exploding or vanishing gradients, or diagnosed VANISHING_GRADIENT/EXPLODING_GRADIENT), the "
                    + "epochs they trained, all epochs and the best validation accuracy; then per arm the means and "
                    + "the waste ratio against the unaware arm; JSON last.")
    static final class Steering implements Callable<Integer> {

        @Option(names = "--config", defaultValue = "configs/bench-steering.yaml",
                description = "Study config (default ${DEFAULT-VALUE}).")
        Path config;

        @Option(names = "--seeds", defaultValue = "3", description = "Search seeds 1..N (default ${DEFAULT-VALUE}).")
        int seeds;

        @Option(names = "--trials", defaultValue = "40", description = "Trials per study (default ${DEFAULT-VALUE}).")
        int trials;

        @Option(names = "--epochs", description = "Epoch budget per trial (default: the config's training.epochs).")
        Integer epochs;

        @Option(names = "--output", defaultValue = "runs/bench-steering",
                description = "Parent directory of the studies' run directories and console logs (default ${DEFAULT-VALUE}).")
        Path output;

        @Override
        public Integer call() throws InterruptedException {
            SteeringBenchmark.Options o;
            try {
                o = new SteeringBenchmark.Options(config, seeds, trials, epochs, output);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage());
            }
            SteeringReport report = SteeringBenchmark.run(o, System.out);
            System.out.print(report.table());
            System.out.println(report.toJson());
            return report.runs().stream().anyMatch(r -> r.failure() != null) ? Gradtune.EXIT_FAILURE : Gradtune.EXIT_OK;
        }
    }

    /** {@code gradtune bench data-parallel}: {@link io.gradtune.driver.bench.DataParallelBenchmark}. */
    @Command(name = "data-parallel", mixinStandardHelpOptions = true,
            description = "Trains one MLP on one data set in a single JVM (plain MultiLayerNetwork.fit), then "
                    + "data-parallel with dl4j-spark's parameter averaging on a fresh Spark local[N] for each N of "
                    + "--workers; same seed, epochs and per-worker batch. Prints each run's training wall time, "
                    + "Spark start and validation accuracy; JSON last. With --study CONFIG: that whole study run once "
                    + "per --workers value N as training.workers: N (1 = one task per trial), side by side: wall "
                    + "time, trials by state, epochs, best validation accuracy.")
    static final class DataParallel implements Callable<Integer> {

        @Option(names = "--study", paramLabel = "CONFIG",
                description = "A study config to run once per --workers value as training.workers (no refit).")
        Path study;

        @Option(names = "--master", paramLabel = "URL",
                description = "With --study: Spark master of every run (default: the config's spark.master).")
        String master;

        @Option(names = "--output", defaultValue = "runs/bench-data-parallel",
                description = "With --study: parent directory of the runs and their logs (default ${DEFAULT-VALUE}).")
        Path output;

        @Option(names = "--data", defaultValue = "data/digits.csv", description = "CSV with a label column (default ${DEFAULT-VALUE}).")
        Path data;

        @Option(names = "--label", defaultValue = "label", description = "Label column (default ${DEFAULT-VALUE}).")
        String label;

        @Option(names = "--workers", defaultValue = "1,2", split = ",",
                description = "Worker counts N, each run on local[N] (default ${DEFAULT-VALUE}).")
        java.util.List<Integer> workers;

        @Option(names = "--epochs", defaultValue = "10", description = "Epochs per run (default ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--batch", defaultValue = "32", description = "Mini-batch size per worker (default ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--averaging-frequency", defaultValue = "5",
                description = "Mini-batches per worker between averagings (default ${DEFAULT-VALUE}).")
        int averagingFrequency;

        @Option(names = "--hidden", defaultValue = "128,64", split = ",",
                description = "Hidden layer sizes (default ${DEFAULT-VALUE}).")
        java.util.List<Integer> hidden;

        @Option(names = "--seed", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() throws InterruptedException {
            if (study != null) {
                io.gradtune.driver.bench.DataParallelStudyBenchmark.Options so;
                try {
                    so = new io.gradtune.driver.bench.DataParallelStudyBenchmark.Options(study, workers, master,
                            output);
                } catch (IllegalArgumentException e) {
                    throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage());
                }
                java.util.List<io.gradtune.driver.bench.DataParallelStudyBenchmark.Run> runs =
                        io.gradtune.driver.bench.DataParallelStudyBenchmark.run(so, System.out);
                System.out.println(io.gradtune.driver.bench.DataParallelStudyBenchmark.toJson(so, runs));
                return runs.stream().anyMatch(r -> r.failure() != null) ? Gradtune.EXIT_FAILURE : Gradtune.EXIT_OK;
            }
            io.gradtune.driver.bench.DataParallelBenchmark.Options o;
            try {
                o = new io.gradtune.driver.bench.DataParallelBenchmark.Options(data, label, workers, epochs, batch,
                        averagingFrequency, hidden, seed);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage());
            }
            java.util.List<io.gradtune.driver.bench.DataParallelBenchmark.Run> runs;
            try {
                runs = io.gradtune.driver.bench.DataParallelBenchmark.run(o, System.out);
            } catch (io.gradtune.worker.data.DataFormatException e) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--data " + data + ": " + e.getMessage());
            }
            System.out.println(io.gradtune.driver.bench.DataParallelBenchmark.toJson(o, runs));
            return Gradtune.EXIT_OK;
        }
    }

    /** {@code gradtune bench study CONFIG}: {@link io.gradtune.driver.bench.StudyBenchmark}. */
    @Command(name = "study", mixinStandardHelpOptions = true,
            description = "Runs the whole study N times, each in a fresh JVM started as `./gradtune run CONFIG` starts "
                    + "it (the launcher's flags, heap and class path), one after the other. Prints per run and the "
                    + "median: wall time, CPU seconds (user + system of the process tree), peak resident memory, "
                    + "fixed cost (start until the first trial starts, last trial end until exit), trials per minute "
                    + "and epochs per second; JSON last.")
    static final class Study implements Callable<Integer> {

        @picocli.CommandLine.Parameters(index = "0", paramLabel = "CONFIG", description = "The study config.")
        Path config;

        @Option(names = "--repeat", defaultValue = "3", description = "Runs of the study (default ${DEFAULT-VALUE}).")
        int repeat;

        @Option(names = "--output", defaultValue = "runs/bench-study",
                description = "Parent directory of the runs' directories and console logs (default ${DEFAULT-VALUE}).")
        Path output;

        @Option(names = "--launcher", paramLabel = "PATH",
                description = "The gradtune launcher each run is started with (default: $GRADTUNE_LAUNCHER, which "
                        + "./gradtune sets to itself, else ./gradtune).")
        Path launcher;

        @Override
        public Integer call() throws InterruptedException {
            Path l = launcher != null ? launcher
                    : Path.of(System.getenv().getOrDefault("GRADTUNE_LAUNCHER", "./gradtune"));
            io.gradtune.driver.bench.StudyBenchmark.Options o;
            try {
                o = new io.gradtune.driver.bench.StudyBenchmark.Options(config, repeat, output, l);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage());
            }
            java.util.List<io.gradtune.driver.bench.StudyBenchmark.Run> runs =
                    io.gradtune.driver.bench.StudyBenchmark.run(o, System.out);
            System.out.println(io.gradtune.driver.bench.StudyBenchmark.report(o, runs));
            return runs.stream().allMatch(r -> r.exitCode() == Gradtune.EXIT_OK) ? Gradtune.EXIT_OK
                    : Gradtune.EXIT_FAILURE;
        }
    }
}
