package io.gradtune.worker.bench;

import io.gradtune.worker.protocol.DataSpec;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.Quantiles;
import io.gradtune.worker.protocol.ReportJson;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.protocol.TrialSpec;
import io.gradtune.worker.telemetry.MetricsPublisher;
import io.gradtune.worker.train.TrialRunner;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Trial speed: trains the same trial (same parameters, same seed) several times in this JVM, on the calling
 * thread, with no Spark and no Kafka (records go to a publisher that drops them), and reports per-epoch wall time
 * (median, p90), whole-trial seconds and where an epoch's time goes (mini-batch loop, gradient statistics inside
 * it, validation pass, end-of-epoch layer statistics).
 *
 * <p>With {@code stats = both}, trials alternate between statistics on and off, so both variants see the same
 * machine load and the difference is what the statistics cost. Warm-up trials (JIT, native library loading) are
 * run first for every variant and not counted.
 *
 * <p>Run from the CLI as {@code gradtune bench trial}, or directly:
 * {@code java -cp ... io.gradtune.worker.bench.TrialSpeedBenchmark --data data/digits.csv --trials 5}; both parse the
 * options of {@link Command}.
 */
public final class TrialSpeedBenchmark {

    /**
     * What to run. {@code stats} is {@code on}, {@code off} or {@code both}; {@code updater} is {@code direct}
     * (gradtune's, the default), {@code dl4j} (DL4J's own, see {@code DirectUpdaters}) or {@code both};
     * {@code dense} is {@code fast} (gradtune's dense and output layers, the default), {@code dl4j} (DL4J's own,
     * see {@code FastLayers}) or {@code both}; {@code updateMath} is {@code java} (the direct updater computes
     * Adam, Nadam, RmsProp and Nesterovs updates in Java, see {@code JavaUpdaters}), {@code native} (libnd4j's
     * updater ops) or {@code both}.
     */
    public record Config(String dataPath, Map<String, Object> params, int epochs, int trials, int warmup,
                         String stats, String updater, String dense, String updateMath, long seed) {

        /** As the canonical constructor, with the default {@code updateMath} ({@code java}). */
        public Config(String dataPath, Map<String, Object> params, int epochs, int trials, int warmup,
                      String stats, String updater, String dense, long seed) {
            this(dataPath, params, epochs, trials, warmup, stats, updater, dense, "java", seed);
        }

        public Config {
            params = new LinkedHashMap<>(params);
            if (!List.of("on", "off", "both").contains(stats)) {
                throw new IllegalArgumentException("stats must be on, off or both, not '" + stats + "'");
            }
            if (!List.of("direct", "dl4j", "both").contains(updater)) {
                throw new IllegalArgumentException("updater must be direct, dl4j or both, not '" + updater + "'");
            }
            if (!List.of("fast", "dl4j", "both").contains(dense)) {
                throw new IllegalArgumentException("dense must be fast, dl4j or both, not '" + dense + "'");
            }
            if (!List.of("java", "native", "both").contains(updateMath)) {
                throw new IllegalArgumentException("update math must be java, native or both, not '" + updateMath + "'");
            }
            if (epochs < 1 || trials < 1 || warmup < 0) {
                throw new IllegalArgumentException("epochs and trials must be >= 1, warmup >= 0");
            }
        }

        /** The default benchmark trial: 2 x 128 ReLU, Adam 1e-3, batch 64 (a typical quickstart network). */
        public static Map<String, Object> defaultParams() {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("layers", 2);
            p.put("units", 128);
            p.put("activation", "relu");
            p.put("optimizer", "adam");
            p.put("learning_rate", 1e-3);
            p.put("batch_size", 64);
            return p;
        }
    }

    /**
     * One combination of the variant settings: gradient/activation statistics, gradtune's direct updater, its fast
     * dense and output layers, its Java update arithmetic.
     */
    public record Key(boolean stats, boolean direct, boolean fastDense, boolean javaMath) {

        /** What a study trains with: statistics on and every gradtune fast path on. */
        public static final Key STUDY = new Key(true, true, true, true);
    }

    /** The figures of one variant (statistics on or off, direct or DL4J updater, fast or DL4J dense layers). */
    public record Variant(String stats, String updater, String dense, String updateMath, int trials, int epochs, List<Double> epochMillis, List<Double> epochCpuMillis,
                          List<Double> trialSeconds, double fitMillis, double statsMillis, double evalMillis, double layerStatsMillis,
                          double lastValAccuracy, double lastTrainLoss) {

        double epochMedian() {
            return Quantiles.of(epochMillis, 0.5);
        }

        double epochP90() {
            return Quantiles.of(epochMillis, 0.9);
        }

        double trialMedian() {
            return Quantiles.of(trialSeconds, 0.5);
        }

        /**
         * One JSON object with snake_case keys; milliseconds to 2 decimals, seconds to 3, accuracy to 4, loss to
         * 5; a figure without samples (NaN) is written as null (see {@link ReportJson}).
         */
        public String toJson() {
            return ReportJson.line(fields());
        }

        Map<String, Object> fields() {
            Map<String, Object> breakdown = new LinkedHashMap<>();
            breakdown.put("fit", ReportJson.fixed(fitMillis, 2));
            breakdown.put("stats_in_fit", ReportJson.fixed(statsMillis, 2));
            breakdown.put("eval", ReportJson.fixed(evalMillis, 2));
            breakdown.put("layer_stats", ReportJson.fixed(layerStatsMillis, 2));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("stats", stats);
            m.put("updater", updater);
            m.put("dense", dense);
            m.put("update_math", updateMath);
            m.put("trials", trials);
            m.put("epochs_per_trial", epochs);
            m.put("epoch_ms_median", ReportJson.fixed(epochMedian(), 2));
            m.put("epoch_ms_p90", ReportJson.fixed(epochP90(), 2));
            m.put("epoch_cpu_ms_median", ReportJson.fixed(Quantiles.of(epochCpuMillis, 0.5), 2));
            m.put("trial_s_median", ReportJson.fixed(trialMedian(), 3));
            m.put("trial_s", trialSeconds.stream().map(v -> ReportJson.fixed(v, 3)).toList());
            m.put("breakdown_ms_per_epoch_median", breakdown);
            m.put("last_val_accuracy", ReportJson.fixed(lastValAccuracy, 4));
            m.put("last_train_loss", ReportJson.fixed(lastTrainLoss, 5));
            return m;
        }

        String line() {
            return String.format(Locale.ROOT, "stats %-3s updater %-6s dense %-4s math %-6s: %d trials x %d epochs"
                            + " | ms/epoch median %.1f p90 %.1f (thread CPU median %.1f) | s/trial median %.3f"
                            + " | per epoch (median ms): fit %.1f (stats %.1f), eval %.1f,"
                            + " layer stats %.1f | val_acc %.4f",
                    stats, updater, dense, updateMath, trials, epochs, epochMedian(), epochP90(),
                    Quantiles.of(epochCpuMillis, 0.5), trialMedian(), fitMillis, statsMillis,
                    evalMillis, layerStatsMillis, lastValAccuracy);
        }
    }

    private TrialSpeedBenchmark() {
    }

    /** Runs the benchmark; prints one human-readable line per variant to {@code log} (may be null). */
    public static List<Variant> run(Config config, java.io.PrintStream log) {
        List<Boolean> statsValues = choices(config.stats(), "on");
        List<Boolean> directValues = choices(config.updater(), "direct");
        List<Boolean> fastValues = choices(config.dense(), "fast");
        List<Boolean> javaMathValues = choices(config.updateMath(), "java");
        List<Key> variants = new ArrayList<>();
        for (boolean direct : directValues) {
            for (boolean fast : fastValues) {
                for (boolean javaMath : javaMathValues) {
                    for (boolean stats : statsValues) {
                        variants.add(new Key(stats, direct, fast, javaMath));
                    }
                }
            }
        }
        DataSpec data = new DataSpec(config.dataPath(), "csv", "label", null, 0.6, 0.2, "standard", 0L);
        for (int w = 0; w < config.warmup(); w++) {
            for (Key key : variants) {
                runTrial(config, data, key, "warmup-" + w, new ArrayList<>(), new ArrayList<>());
            }
        }
        Map<Key, List<TrialRunner.EpochTiming>> timings = new LinkedHashMap<>();
        Map<Key, List<Double>> cpu = new LinkedHashMap<>();
        Map<Key, List<Double>> seconds = new LinkedHashMap<>();
        Map<Key, TrialOutcome> lastOutcome = new LinkedHashMap<>();
        for (Key key : variants) {
            timings.put(key, new ArrayList<>());
            cpu.put(key, new ArrayList<>());
            seconds.put(key, new ArrayList<>());
        }
        // Odd rounds run the variants in reverse order, so that no variant always runs right after another.
        List<Key> reversed = new ArrayList<>(variants);
        java.util.Collections.reverse(reversed);
        for (int t = 0; t < config.trials(); t++) {
            for (Key key : t % 2 == 0 ? variants : reversed) {
                TrialOutcome o = runTrial(config, data, key, "t" + t, timings.get(key), cpu.get(key));
                if (o.status() != TrialOutcome.Status.COMPLETED) {
                    throw new IllegalStateException("benchmark trial did not finish: " + o);
                }
                seconds.get(key).add(o.seconds());
                lastOutcome.put(key, o);
            }
        }
        List<Variant> out = new ArrayList<>();
        for (Key key : variants) {
            List<TrialRunner.EpochTiming> ts = timings.get(key);
            Variant v = new Variant(key.stats() ? "on" : "off", key.direct() ? "direct" : "dl4j",
                    key.fastDense() ? "fast" : "dl4j", key.javaMath() ? "java" : "native", config.trials(), config.epochs(),
                    ts.stream().map(e -> e.totalNanos() / 1e6).toList(), cpu.get(key), seconds.get(key),
                    Quantiles.of(ts.stream().map(e -> e.fitNanos() / 1e6).toList(), 0.5),
                    Quantiles.of(ts.stream().map(e -> e.statsNanos() / 1e6).toList(), 0.5),
                    Quantiles.of(ts.stream().map(e -> e.evalNanos() / 1e6).toList(), 0.5),
                    Quantiles.of(ts.stream().map(e -> e.layerStatsNanos() / 1e6).toList(), 0.5),
                    lastOutcome.get(key).valAccuracy(), lastOutcome.get(key).trainLoss());
            if (log != null) {
                log.println(v.line());
            }
            out.add(v);
        }
        return out;
    }

    /** A variant setting's values: {@code both} → on and off, {@code on} → on, anything else (the "off" value) → off. */
    private static List<Boolean> choices(String setting, String on) {
        return setting.equals("both") ? List.of(true, false) : List.of(setting.equals(on));
    }

    /**
     * The variants as one JSON object: {@code benchmark}, the trial {@code params}, {@code seed}, the environment
     * ({@code omp_num_threads}, {@code javacpp_max_physical_bytes}, {@code rss_mb_at_end}) and {@code variants}
     * (each as {@link Variant#toJson}).
     */
    public static String toJson(Config config, List<Variant> variants) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("benchmark", "trial");
        m.put("params", config.params());
        m.put("seed", config.seed());
        m.put("omp_num_threads", System.getenv().getOrDefault("OMP_NUM_THREADS", ""));
        m.put("javacpp_max_physical_bytes", org.bytedeco.javacpp.Pointer.maxPhysicalBytes());
        m.put("rss_mb_at_end", residentMegabytes());
        m.put("variants", variants.stream().map(Variant::fields).toList());
        return ReportJson.line(m);
    }

    /**
     * One trial on this thread; each epoch's timing goes to {@code sink} and the thread CPU time between epoch
     * ends to {@code cpuMillis} (the first epoch's figure includes building the network).
     */
    private static TrialOutcome runTrial(Config config, DataSpec data, Key key, String id,
                                         List<TrialRunner.EpochTiming> sink, List<Double> cpuMillis) {
        return timeTrial(data, config.params(), config.epochs(), config.seed(), key, id, sink, cpuMillis);
    }

    /**
     * Trains one trial of {@code params} on {@code data} on this thread with the {@code key}'s variant (records
     * dropped); each epoch's timing goes to {@code sink} and the thread CPU time between epoch ends to
     * {@code cpuMillis} (the first epoch's figure includes building the network). Used by this benchmark and by
     * the driver's {@code bench space}, so both time a trial the same way.
     */
    public static TrialOutcome timeTrial(DataSpec data, Map<String, Object> params, int epochs, long seed, Key key,
                                         String id, List<TrialRunner.EpochTiming> sink, List<Double> cpuMillis) {
        // NetworkBuilder reads these when TrialRunner builds the network; the benchmark runs one trial at a time.
        System.setProperty("gradtune.directUpdater", String.valueOf(key.direct()));
        System.setProperty("gradtune.fastDense", String.valueOf(key.fastDense()));
        System.setProperty("gradtune.javaUpdater", String.valueOf(key.javaMath()));
        TrialSpec spec = TrialSpec.of("bench", "bench", id, params, epochs, seed, data,
                "unused:9092", "unused");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] cpuMark = {threads.getCurrentThreadCpuTime()};
        return new TrialRunner(NO_OP, key.stats(), timing -> {
            long now = threads.getCurrentThreadCpuTime();
            cpuMillis.add((now - cpuMark[0]) / 1e6);
            cpuMark[0] = now;
            sink.add(timing);
        }).run(spec, 0, () -> false);
    }

    private static final MetricsPublisher NO_OP = new MetricsPublisher() {
        @Override
        public void publish(EpochMetrics metrics) {
        }

        @Override
        public void flush() {
        }
    };

    /** Resident set size of this process from /proc/self/status, -1 where unavailable. */
    public static long residentMegabytes() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: no figure
        }
        return -1;
    }

    /**
     * Runs {@link Command} on {@code args} ({@code --help} lists the options) and exits with its code: prints one
     * line per variant and the JSON object last.
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new Command()).execute(args));
    }

    /**
     * The benchmark's command line, defined once: {@code gradtune bench trial} runs this class as its subcommand and
     * {@link #main} runs it directly. A bad option value, or a trial parameter the network builder rejects, is a
     * usage error (exit code 2).
     */
    @CommandLine.Command(name = "trial", mixinStandardHelpOptions = true,
            description = "Train the same trial (default: 2 x 128 ReLU, Adam 1e-3, batch 64) several times on digits in "
                    + "this JVM, one thread, no Spark or Kafka; print ms/epoch (median, p90), s/trial and an epoch "
                    + "breakdown (fit, gradient statistics, evaluation, layer statistics) per variant, JSON last.")
    public static final class Command implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

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

        /**
         * The benchmark configuration the options describe.
         *
         * @throws IllegalArgumentException for a bad {@code --param} or variant setting
         */
        public Config config() {
            Map<String, Object> p = Config.defaultParams();
            for (String kv : params) {
                putParam(p, kv);
            }
            return new Config(data, p, epochs, trials, warmup, stats, updater, dense, updateMath, seed);
        }

        @Override
        public Integer call() {
            try {
                Config config = config();
                System.out.println(toJson(config, run(config, System.out)));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            return CommandLine.ExitCode.OK;
        }
    }

    /**
     * Parses {@code key=value} into {@code params}: integers, then decimals, then true/false, else a string.
     *
     * @throws IllegalArgumentException when there is no {@code =} or no key
     */
    public static void putParam(Map<String, Object> params, String keyValue) {
        int eq = keyValue.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("expected key=value, got '" + keyValue + "'");
        }
        String key = keyValue.substring(0, eq);
        String value = keyValue.substring(eq + 1);
        Object parsed;
        if (value.matches("-?\\d+")) {
            parsed = Integer.parseInt(value);
        } else if (value.matches("-?[0-9.]+([eE][-+]?\\d+)?")) {
            parsed = Double.parseDouble(value);
        } else if (value.equals("true") || value.equals("false")) {
            parsed = Boolean.parseBoolean(value);
        } else {
            parsed = value;
        }
        params.put(key, parsed);
    }
}
