package io.gradtune.driver.cli;

import io.gradtune.driver.bench.BenchmarkResult;
import io.gradtune.driver.bench.ProposalTiming;
import io.gradtune.driver.bench.SamplerBenchmark;
import io.gradtune.worker.bench.TrialSpeedBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code gradtune bench}: benchmarks that need no Spark, printing one JSON object on the last line. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (no Spark needed).",
        subcommands = {BenchCommand.Samplers.class, BenchCommand.Stream.class, BenchCommand.Trial.class})
final class BenchCommand {

    /** {@code gradtune bench samplers}: best value found on a test function, over seeds, and proposal cost. */
    @Command(name = "samplers", mixinStandardHelpOptions = true,
            description = "Run a sampler on a test function (branin, hartmann6) over several seeds; print JSON.")
    static final class Samplers implements Callable<Integer> {

        @Option(names = "--function", required = true, description = "branin or hartmann6")
        String function;

        @Option(names = "--sampler", required = true,
                description = "random, bayesian (= gp, Gaussian-process EI), gp, tpe or grid")
        String sampler;

        @Option(names = "--evals", defaultValue = "50", description = "Evaluations per seed (default ${DEFAULT-VALUE}).")
        int evals;

        @Option(names = "--seeds", defaultValue = "20", description = "Number of seeds (default ${DEFAULT-VALUE}).")
        int seeds;

        @Option(names = "--observed", description = "Instead: time one proposal with this many observed trials.")
        Integer observed;

        @Override
        public Integer call() {
            if (evals < 1 || seeds < 1) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--evals and --seeds must be at least 1");
            }
            try {
                if (observed != null) {
                    ProposalTiming t = SamplerBenchmark.proposalTime(function, sampler, observed, 200);
                    System.out.println(t.toJson());
                } else {
                    BenchmarkResult r = SamplerBenchmark.run(function, sampler, evals, seeds);
                    System.out.println(r.toJson());
                }
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage());
            }
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

    /** {@code gradtune bench trial}: per-epoch and per-trial wall time of one trial config, on one thread. */
    @Command(name = "trial", mixinStandardHelpOptions = true,
            description = "Train the same trial (default: 2 x 128 ReLU, Adam 1e-3, batch 64) several times on digits in "
                    + "this JVM, one thread, no Spark or Kafka; print ms/epoch (median, p90), s/trial and an epoch "
                    + "breakdown (fit, gradient statistics, evaluation, layer statistics) per variant, JSON last.")
    static final class Trial implements Callable<Integer> {

        @Option(names = "--data", defaultValue = "data/digits.csv", description = "CSV with a 'label' column (default ${DEFAULT-VALUE}).")
        String data;

        @Option(names = "--epochs", defaultValue = "20", description = "Epochs per trial (default ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--trials", defaultValue = "5", description = "Timed trials per variant (default ${DEFAULT-VALUE}).")
        int trials;

        @Option(names = "--warmup", defaultValue = "1", description = "Untimed warm-up trials per variant (default ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--stats", defaultValue = "both",
                description = "Gradient/activation statistics: on, off, or both (alternating trials; default ${DEFAULT-VALUE}).")
        String stats;

        @Option(names = "--updater", defaultValue = "direct",
                description = "Updater: direct (gradtune's; DL4J's standard path), dl4j (DL4J's own, external-gradient "
                        + "path), or both (alternating trials; default ${DEFAULT-VALUE}).")
        String updater;

        @Option(names = "--dense", defaultValue = "fast",
                description = "Dense and output layers: fast (gradtune's; the backward pass and the score reuse the "
                        + "pre-activations instead of recomputing them), dl4j (DL4J's own), or both (alternating trials; "
                        + "default ${DEFAULT-VALUE}).")
        String dense;

        @Option(names = "--update-math", defaultValue = "java",
                description = "Adam/Nadam/RmsProp/Nesterovs update arithmetic of the direct updater: java (gradtune's "
                        + "loop over the flat buffers, bit-identical), native (libnd4j's updater ops), or both "
                        + "(alternating trials; default ${DEFAULT-VALUE}).")
        String updateMath;

        @Option(names = "--seed", defaultValue = "42", description = "Trial seed, the same for every trial (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--param", description = "Override a trial parameter, e.g. --param units=256 --param layers=3.")
        List<String> params = new ArrayList<>();

        @Override
        public Integer call() {
            try {
                Map<String, Object> p = TrialSpeedBenchmark.Config.defaultParams();
                for (String kv : params) {
                    TrialSpeedBenchmark.putParam(p, kv);
                }
                TrialSpeedBenchmark.Config config =
                        new TrialSpeedBenchmark.Config(data, p, epochs, trials, warmup, stats, updater, dense,
                                updateMath, seed);
                System.out.println(TrialSpeedBenchmark.toJson(config,
                        TrialSpeedBenchmark.run(config, System.out)));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage());
            }
            return Gradtune.EXIT_OK;
        }
    }
}
