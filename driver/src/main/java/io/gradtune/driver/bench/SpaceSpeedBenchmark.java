package io.gradtune.driver.bench;

import io.gradtune.driver.config.ConfigException;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.driver.search.RandomSampler;
import io.gradtune.worker.bench.TrialSpeedBenchmark;
import io.gradtune.worker.model.HyperParameters;
import io.gradtune.worker.protocol.ReportJson;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.train.TrialRunner;
import io.gradtune.worker.train.WorkerRuntime;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * Per-epoch cost across a real search space (issue 14, item 2): a fixed, seeded sample of configurations drawn from
 * a study's space as its random sampler draws them, each trained for a few epochs on this thread (one native
 * thread, as a study's trial; records dropped, statistics on) through {@link TrialSpeedBenchmark#timeTrial}, so a
 * trial is timed the same way as in {@code bench trial}. Each configuration's first epoch (network build, JIT and
 * workspace sizing) is not counted.
 *
 * <p>Prints one row per configuration, then mean ms/epoch grouped by widest layer, depth, batch size, activation,
 * optimizer and dropout, and one JSON object last. The default space is the digits space (the resource
 * {@code bench-space.yaml} next to this class); {@code --space FILE} takes any study config's space, training
 * defaults and data instead.
 */
public final class SpaceSpeedBenchmark {

    /** The built-in space, a study config held as a resource of this class. */
    static final String BUILT_IN = "bench-space.yaml";

    /** The widest-layer buckets of the grouped table, by their upper bounds (inclusive). */
    static final List<Integer> WIDTH_BOUNDS = List.of(63, 255, Integer.MAX_VALUE);

    private SpaceSpeedBenchmark() {
    }

    /**
     * One configuration's figures: its parameters, the mean and median wall and thread-CPU ms per timed epoch
     * (epochs 2..E), the network's parameter count, the last validation accuracy and the last validation loss (in
     * full precision in the JSON: it tells whether two builds trained bit-identically; NaN if not known).
     */
    public record Row(int index, String activations, Map<String, Object> params, List<Double> epochMillis,
                      List<Double> epochCpuMillis, long numParams, double valAccuracy, double valLoss) {

        /** A row without a validation loss. */
        public Row(int index, String activations, Map<String, Object> params, List<Double> epochMillis,
                   List<Double> epochCpuMillis, long numParams, double valAccuracy) {
            this(index, activations, params, epochMillis, epochCpuMillis, numParams, valAccuracy, Double.NaN);
        }

        public Row {
            params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
            epochMillis = List.copyOf(epochMillis);
            epochCpuMillis = List.copyOf(epochCpuMillis);
        }

        /** Mean wall ms over the timed epochs. */
        public double meanMillis() {
            return epochMillis.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        /** Mean thread-CPU ms over the timed epochs. */
        public double meanCpuMillis() {
            return epochCpuMillis.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        /** The hidden layers' widths, input side first. */
        public List<Integer> widths() {
            return HyperParameters.from(params).unitsPerLayer();
        }

        String line() {
            HyperParameters h = HyperParameters.from(params);
            return String.format(Locale.ROOT, "%3d %-4s %-18s %-9s %-8s batch %3d  lr %.2e  dropout %.2f  l2 %.1e"
                            + "  %7d params | %7.1f ms/epoch (CPU %7.1f) | val_acc %.4f",
                    index, activations, h.unitsPerLayer().toString().replace(" ", ""), h.activation(), h.optimizer(),
                    h.batchSize(), h.learningRate(), h.dropout(), h.l2(), numParams, meanMillis(),
                    meanCpuMillis(), valAccuracy);
        }
    }

    /** A group of the table: its dimension ({@code width}, {@code depth}, ...), value, rows and mean ms/epoch. */
    public record Group(String dimension, String value, String activations, int configs, double meanMillis,
                        double meanCpuMillis) {
    }

    /** The dimensions of the grouped table and how a configuration falls into each. */
    static final Map<String, Function<HyperParameters, String>> DIMENSIONS = dimensions();

    private static Map<String, Function<HyperParameters, String>> dimensions() {
        Map<String, Function<HyperParameters, String>> d = new LinkedHashMap<>();
        d.put("widest layer", h -> widthBucket(Collections.max(h.unitsPerLayer())));
        d.put("depth", h -> String.valueOf(h.unitsPerLayer().size()));
        d.put("batch size", h -> String.valueOf(h.batchSize()));
        d.put("activation", HyperParameters::activation);
        d.put("optimizer", HyperParameters::optimizer);
        d.put("dropout", h -> h.dropout() == 0 ? "off" : h.dropout() < 0.25 ? "on, < 0.25" : "on, >= 0.25");
        return d;
    }

    /** The bucket label of a widest layer: {@code 16-63}, {@code 64-255} or {@code 256+}. */
    static String widthBucket(int widest) {
        int low = 1;
        for (int bound : WIDTH_BOUNDS) {
            if (widest <= bound) {
                return bound == Integer.MAX_VALUE ? low + "+" : (low == 1 ? "<=" + bound : low + "-" + bound);
            }
            low = bound + 1;
        }
        throw new AssertionError();
    }

    /**
     * The first {@code n} configurations the study's random sampler draws from {@code config}'s space with
     * {@code seed} (fixed parameters included, inactive conditional ones left out).
     */
    public static List<Map<String, Object>> sample(StudyConfig config, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(config.space().assign(p -> RandomSampler.draw(p, random)));
        }
        return out;
    }

    /**
     * Loads the study config at {@code file}, or the built-in space when {@code file} is null (its data then
     * {@code data/digits.csv} under the working directory, the repository root when run by the launcher).
     */
    public static StudyConfig load(Path file) {
        return file != null ? StudyConfigLoader.load(file) : builtIn(Path.of("configs"));
    }

    /** The built-in space, read as if it were the file {@code bench-space.yaml} in {@code configsDir}. */
    static StudyConfig builtIn(Path configsDir) {
        try (InputStream in = SpaceSpeedBenchmark.class.getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException("resource " + BUILT_IN + " missing from the class path");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return StudyConfigLoader.load(configsDir.resolve(BUILT_IN).toAbsolutePath().normalize(), text);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + BUILT_IN, e);
        }
    }

    /**
     * Trains each configuration for {@code epochs} epochs (the first not counted), printing a row per
     * configuration to {@code log} (may be null) as it finishes.
     */
    public static List<Row> run(StudyConfig config, List<Map<String, Object>> configurations, int epochs, long seed,
                                TrialSpeedBenchmark.Key key, PrintStream log) {
        return run(config, configurations, epochs, seed, key, List.of(JAVA), log);
    }

    /**
     * As {@link #run(StudyConfig, List, int, long, TrialSpeedBenchmark.Key, PrintStream)}, each configuration once
     * per activation-derivative variant ({@code java}: gradtune's Java loops where bit-identical, see
     * {@code JavaActivations}; {@code dl4j}: DL4J's ops), side by side, the order alternating per configuration.
     */
    public static List<Row> run(StudyConfig config, List<Map<String, Object>> configurations, int epochs, long seed,
                                TrialSpeedBenchmark.Key key, List<String> activationVariants, PrintStream log) {
        WorkerRuntime.useThreads(1);
        List<Row> rows = new ArrayList<>();
        String before = System.getProperty(JAVA_ACTIVATIONS);
        try {
            for (int i = 0; i < configurations.size(); i++) {
                List<String> order = new ArrayList<>(activationVariants);
                if (i % 2 == 1) {
                    Collections.reverse(order);
                }
                for (String variant : order) {
                    System.setProperty(JAVA_ACTIVATIONS, String.valueOf(variant.equals(JAVA)));
                    rows.add(runOne(config, i, variant, configurations.get(i), epochs, seed, key, log));
                }
            }
        } finally {
            if (before == null) {
                System.clearProperty(JAVA_ACTIVATIONS);
            } else {
                System.setProperty(JAVA_ACTIVATIONS, before);
            }
        }
        rows.sort(java.util.Comparator.comparingInt(Row::index)
                .thenComparing(r -> activationVariants.indexOf(r.activations())));
        return rows;
    }

    /** The system property the worker's dense layer reads for its activation derivatives. */
    static final String JAVA_ACTIVATIONS = "gradtune.javaActivations";
    static final String JAVA = "java";
    static final String DL4J = "dl4j";

    private static Row runOne(StudyConfig config, int i, String variant, Map<String, Object> params, int epochs,
                          long seed, TrialSpeedBenchmark.Key key, PrintStream log) {
        List<TrialRunner.EpochTiming> timings = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        TrialOutcome o = TrialSpeedBenchmark.timeTrial(config.data(), params, epochs, seed, key, "c" + i,
                timings, cpu);
        if (o.status() != TrialOutcome.Status.COMPLETED) {
            throw new IllegalStateException("configuration " + i + " " + params + " did not finish: " + o);
        }
        List<Double> wall = timings.stream().skip(1).map(t -> t.totalNanos() / 1e6).toList();
        Row row = new Row(i, variant, params, wall, cpu.subList(Math.min(1, cpu.size()), cpu.size()), o.numParams(),
                o.valAccuracy(), o.valLoss());
        if (log != null) {
            log.println(row.line());
        }
        return row;
    }

    /** Mean ms/epoch of the rows grouped by each dimension, values in a stable order (numeric where they are). */
    public static List<Group> groups(List<Row> rows) {
        List<Group> out = new ArrayList<>();
        List<String> variants = rows.stream().map(Row::activations).distinct().toList();
        for (Map.Entry<String, Function<HyperParameters, String>> d : DIMENSIONS.entrySet()) {
            for (String variant : variants) {
                Map<String, List<Row>> byValue = new TreeMap<>(SpaceSpeedBenchmark::compareLabels);
                rows.stream().filter(r -> r.activations().equals(variant)).forEach(r -> byValue.computeIfAbsent(
                        d.getValue().apply(HyperParameters.from(r.params())), k -> new ArrayList<>()).add(r));
                byValue.forEach((value, rs) -> out.add(new Group(d.getKey(), value, variant, rs.size(),
                        rs.stream().mapToDouble(Row::meanMillis).average().orElse(Double.NaN),
                        rs.stream().mapToDouble(Row::meanCpuMillis).average().orElse(Double.NaN))));
            }
        }
        return out;
    }

    /** Numeric labels (and bucket labels by their first number) in numeric order, the rest alphabetically. */
    private static int compareLabels(String a, String b) {
        Integer x = leadingNumber(a);
        Integer y = leadingNumber(b);
        if (x != null && y != null && !x.equals(y)) {
            return Integer.compare(x, y);
        }
        return a.compareTo(b);
    }

    private static Integer leadingNumber(String s) {
        String digits = s.replaceFirst("^<=", "").replaceFirst("^([0-9]+).*$", "$1");
        return digits.matches("[0-9]+") ? Integer.valueOf(digits) : null;
    }

    /** The grouped table as text, one line per group under its dimension's heading. */
    public static String table(List<Group> groups) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-13s %-12s %-11s %7s %12s %12s%n", "dimension", "value",
                "activations", "configs", "ms/epoch", "CPU ms/epoch"));
        for (Group g : groups) {
            sb.append(String.format(Locale.ROOT, "%-13s %-12s %-11s %7d %12.1f %12.1f%n", g.dimension(), g.value(),
                    g.activations(), g.configs(), g.meanMillis(), g.meanCpuMillis()));
        }
        return sb.toString();
    }

    /**
     * One JSON object: {@code benchmark} ("space"), {@code configs}, {@code seed}, {@code epochs} (per
     * configuration, the first not timed), the mean over configurations, {@code rows} (params, ms/epoch mean and
     * each timed epoch, CPU mean, parameter count, val accuracy) and {@code groups}.
     */
    public static String toJson(long seed, int epochs, List<Row> rows, List<Group> groups) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("benchmark", "space");
        m.put("configs", rows.size());
        m.put("seed", seed);
        m.put("epochs", epochs);
        m.put("timed_epochs_per_config", Math.max(0, epochs - 1));
        m.put("omp_num_threads", System.getenv().getOrDefault("OMP_NUM_THREADS", ""));
        Map<String, Object> means = new LinkedHashMap<>();
        for (String variant : rows.stream().map(Row::activations).distinct().toList()) {
            List<Row> rs = rows.stream().filter(r -> r.activations().equals(variant)).toList();
            means.put(variant, Map.of(
                    "epoch_ms_mean", ReportJson.fixed(rs.stream().mapToDouble(Row::meanMillis).average()
                            .orElse(Double.NaN), 2),
                    "epoch_cpu_ms_mean", ReportJson.fixed(rs.stream().mapToDouble(Row::meanCpuMillis).average()
                            .orElse(Double.NaN), 2)));
        }
        m.put("means_by_activations", means);
        m.put("rss_mb_at_end", TrialSpeedBenchmark.residentMegabytes());
        m.put("rows", rows.stream().map(r -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("index", r.index());
            o.put("activations", r.activations());
            o.put("params", r.params());
            o.put("num_params", r.numParams());
            o.put("epoch_ms_mean", ReportJson.fixed(r.meanMillis(), 2));
            o.put("epoch_cpu_ms_mean", ReportJson.fixed(r.meanCpuMillis(), 2));
            o.put("epoch_ms", r.epochMillis().stream().map(v -> ReportJson.fixed(v, 2)).toList());
            o.put("val_accuracy", ReportJson.fixed(r.valAccuracy(), 4));
            if (Double.isFinite(r.valLoss())) {
                o.put("val_loss", r.valLoss());
            }
            return o;
        }).toList());
        m.put("groups", groups.stream().map(g -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("dimension", g.dimension());
            o.put("value", g.value());
            o.put("activations", g.activations());
            o.put("configs", g.configs());
            o.put("epoch_ms_mean", ReportJson.fixed(g.meanMillis(), 2));
            o.put("epoch_cpu_ms_mean", ReportJson.fixed(g.meanCpuMillis(), 2));
            return o;
        }).toList());
        return ReportJson.line(m);
    }

    /**
     * {@code gradtune bench space}. A bad option value or space file is a usage error (exit code 2), reported
     * before any training starts.
     */
    @CommandLine.Command(name = "space", mixinStandardHelpOptions = true,
            description = "Time a fixed, seeded sample of configurations from a study's search space (default: the "
                    + "issue-14 digits space: 1-4 layers of 16-512 units, 6 activations, adam/nesterov/rmsprop, "
                    + "batch 32-256, dropout, L2) on this thread, one native thread, no Spark or Kafka; print "
                    + "ms/epoch per configuration (first epoch not counted), mean ms/epoch by widest layer, depth, "
                    + "batch size, activation, optimizer and dropout, JSON last.")
    public static final class Command implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--configs", defaultValue = "30", description = "Configurations sampled (default ${DEFAULT-VALUE}).")
        int configs;

        @Option(names = "--seed", defaultValue = "14",
                description = "Seed of the sample; also each trial's training seed (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--epochs", defaultValue = "4",
                description = "Epochs per configuration, the first not timed (default ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--space", description = "A study config whose space, training defaults and data to use "
                + "(default: the built-in issue-14 digits space).")
        Path space;

        @Option(names = "--activations", defaultValue = "java",
                description = "Activation derivatives of the dense layers: java (gradtune's Java loops where "
                        + "bit-identical: leaky ReLU), dl4j (DL4J's ops), or both (each configuration twice, side by "
                        + "side; default ${DEFAULT-VALUE}).")
        String activations;

        @Option(names = "--set", description = "Override a parameter in every sampled configuration, e.g. "
                + "--set dropout=0 --set optimizer=adam.")
        List<String> overrides = new ArrayList<>();

        @Override
        public Integer call() {
            if (configs < 1) {
                throw usage("--configs must be >= 1, was " + configs);
            }
            if (epochs < 2) {
                throw usage("--epochs must be >= 2 (the first epoch is not timed), was " + epochs);
            }
            if (!List.of(JAVA, DL4J, "both").contains(activations)) {
                throw usage("--activations must be java, dl4j or both, not '" + activations + "'");
            }
            StudyConfig config;
            List<Map<String, Object>> sample = new ArrayList<>();
            try {
                config = load(space);
                if (config.training().userModel() || config.training().fineTuned()) {
                    throw usage("--space " + space + ": a study with its own model class or model.init_from is not "
                            + "supported; bench space times the built-in network");
                }
                for (Map<String, Object> p : sample(config, configs, seed)) {
                    Map<String, Object> params = new LinkedHashMap<>(p);
                    for (String kv : overrides) {
                        TrialSpeedBenchmark.putParam(params, kv);
                    }
                    HyperParameters.from(params);
                    sample.add(params);
                }
            } catch (ConfigException | IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
            List<String> variants = activations.equals("both") ? List.of(JAVA, DL4J) : List.of(activations);
            List<Row> rows = run(config, sample, epochs, seed, TrialSpeedBenchmark.Key.STUDY, variants, System.out);
            List<Group> groups = groups(rows);
            System.out.print(table(groups));
            System.out.println(toJson(seed, epochs, rows, groups));
            return CommandLine.ExitCode.OK;
        }

        private CommandLine.ParameterException usage(String message) {
            return new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }
}
