package io.gradtune.driver.bench;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.driver.run.Preflight;
import io.gradtune.driver.run.StudyRunner;
import io.gradtune.driver.search.Samplers;
import io.gradtune.driver.study.TrialState;
import io.gradtune.worker.protocol.Quantiles;
import io.gradtune.worker.protocol.ReportJson;
import io.gradtune.worker.train.SyntheticWork;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code gradtune bench overhead}: the orchestration overhead of a whole study. A real study ({@link StudyRunner}:
 * Spark on {@code local[S]}, the embedded broker, the metrics consumer, the journal and reports, random search, no
 * stopping rules, no refit) whose trials are synthetic ({@link SyntheticWork}: {@code D} ms of CPU work per epoch,
 * {@code E} epochs, every epoch record published through Kafka as a real trial's is).
 *
 * <p>Overhead is {@code wall / (N x E x D / S) - 1}, for two walls: the trial phase (the first trial's work starting
 * to the last trial's outcome, worker-side clocks) and the whole run (start of {@link StudyRunner#run} to its return:
 * Spark, broker and data start-up and the end-of-run reports included). With {@code S} slots the {@code (S+i)}-th
 * trial to start can only start after the {@code i}-th trial ended, so pairing the two in time order gives the
 * latency from a free slot to the next trial's first epoch of work, p50 and p99 (nearest rank).
 */
public final class OverheadBenchmark {

    private OverheadBenchmark() {
    }

    /**
     * @param trials      N
     * @param epochs      E
     * @param epochMillis D, CPU milliseconds per epoch
     * @param slots       S, the {@code local[S]} master's task slots
     * @param data        the study's data file (read once, never trained on)
     * @param output      where the run directory and its console log go
     */
    public record Options(int trials, int epochs, long epochMillis, int slots, Path data, Path output) {
        public Options {
            if (trials < 1 || epochs < 1 || epochMillis < 1 || slots < 1) {
                throw new IllegalArgumentException("--trials, --epochs, --epoch-ms and --slots must be >= 1");
            }
        }
    }

    /**
     * @param idealSeconds        N x E x D / S
     * @param phaseSeconds        first trial's work starting to the last trial's outcome
     * @param runSeconds          the whole {@link StudyRunner#run}
     * @param workWallSeconds     wall time spent inside the synthetic work, all trials (above N x E x D when the
     *                            machine's cores are contended)
     * @param slotToWorkP50Millis free slot to the next trial's first work, p50
     * @param processCpuSeconds   the process's CPU (user + system) over {@link StudyRunner#run}, NaN if unknown
     * @param threadCpuSeconds    CPU seconds by thread-name group ({@link ThreadCpu}), largest first
     */
    public record Result(int trials, int epochs, long epochMillis, int slots, int completed, double idealSeconds,
                         double phaseSeconds, double runSeconds, double workWallSeconds, double phaseOverhead,
                         double runOverhead, double workBoundOverhead, double slotToWorkP50Millis,
                         double slotToWorkP99Millis, double slotToWorkMaxMillis, String failure,
                         double processCpuSeconds, Map<String, Double> threadCpuSeconds) {

        /** Thread groups listed in the JSON, the largest ones. */
        static final int THREAD_GROUPS = 25;

        public Result {
            threadCpuSeconds = Collections.unmodifiableMap(new LinkedHashMap<>(threadCpuSeconds));
        }

        /** This result with the run's CPU figures. */
        Result withCpu(double process, Map<String, Double> threads) {
            return new Result(trials, epochs, epochMillis, slots, completed, idealSeconds, phaseSeconds, runSeconds,
                    workWallSeconds, phaseOverhead, runOverhead, workBoundOverhead, slotToWorkP50Millis,
                    slotToWorkP99Millis, slotToWorkMaxMillis, failure, process, threads);
        }

        /**
         * The process's CPU beyond the synthetic work (N x E x D), per trial, ms: what the driver, the broker, the
         * JIT compiler, the collector and the executor's own code cost per trial (start-up and reports included).
         */
        public double nonWorkCpuMillisPerTrial() {
            return (processCpuSeconds - (double) trials * epochs * epochMillis / 1000.0) * 1000.0 / trials;
        }

        /** One line of JSON, snake_case keys. */
        public String toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("benchmark", "overhead");
            m.put("trials", trials);
            m.put("epochs", epochs);
            m.put("epoch_ms", epochMillis);
            m.put("slots", slots);
            m.put("completed", completed);
            m.put("ideal_s", ReportJson.fixed(idealSeconds, 2));
            m.put("phase_s", ReportJson.fixed(phaseSeconds, 2));
            m.put("run_s", ReportJson.fixed(runSeconds, 2));
            m.put("work_wall_s", ReportJson.fixed(workWallSeconds, 2));
            m.put("overhead_phase", ReportJson.fixed(phaseOverhead, 4));
            m.put("overhead_run", ReportJson.fixed(runOverhead, 4));
            m.put("overhead_vs_work_wall", ReportJson.fixed(workBoundOverhead, 4));
            Map<String, Object> gap = new LinkedHashMap<>();
            gap.put("p50", ReportJson.fixed(slotToWorkP50Millis, 2));
            gap.put("p99", ReportJson.fixed(slotToWorkP99Millis, 2));
            gap.put("max", ReportJson.fixed(slotToWorkMaxMillis, 2));
            m.put("slot_to_first_work_ms", gap);
            m.put("process_cpu_s", ReportJson.fixed(processCpuSeconds, 1));
            m.put("non_work_cpu_ms_per_trial", ReportJson.fixed(nonWorkCpuMillisPerTrial(), 1));
            Map<String, Object> threads = new LinkedHashMap<>();
            threadCpuSeconds.entrySet().stream().limit(THREAD_GROUPS)
                    .forEach(e -> threads.put(e.getKey(), ReportJson.fixed(e.getValue(), 1)));
            m.put("thread_cpu_s", threads);
            m.put("failure", failure);
            return ReportJson.line(m);
        }
    }

    /** The benchmark study's YAML: random search over one dummy parameter, no stopping rules, no refit. */
    static String configText(Options o, Path runs) {
        return String.join("\n",
                "study: bench-overhead",
                "objective: {metric: val_accuracy, direction: maximize}",
                "data:",
                "  source: " + quoted(o.data().toAbsolutePath().toString()),
                "  format: csv",
                "  label_column: label",
                "  seed: 0",
                "search: {algorithm: random, max_trials: " + o.trials() + ", seed: 1}",
                "space:",
                "  learning_rate: {type: float, low: 1.0e-4, high: 1.0e-1, log: true}",
                "training: {epochs: " + o.epochs() + "}",
                "early_stopping: none",
                "refit: {enabled: false}",
                "kafka: {bootstrap: embedded, topic_prefix: bench-overhead}",
                "spark: {master: 'local[" + o.slots() + "]'}",
                "output: {dir: " + quoted(runs.toAbsolutePath().toString()) + "}",
                "");
    }

    private static String quoted(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** Runs the study with synthetic trials; its console goes to {@code OUTPUT/bench-overhead.log}. */
    public static Result run(Options o) throws InterruptedException {
        try {
            Files.createDirectories(o.output());
            Path configFile = o.output().resolve("bench-overhead.yaml");
            Files.writeString(configFile, configText(o, o.output()));
            StudyConfig c = StudyConfigLoader.load(configFile);
            Path log = o.output().resolve("bench-overhead.log");
            String before = System.getProperty(SyntheticWork.PROPERTY);
            System.setProperty(SyntheticWork.PROPERTY, Long.toString(o.epochMillis()));
            SyntheticWork.drain();
            try (OutputStream file = Files.newOutputStream(log);
                 PrintStream console = new PrintStream(file, true, StandardCharsets.UTF_8)) {
                long t0 = System.nanoTime();
                ThreadCpu cpu = ThreadCpu.start();
                StudyRunner.Outcome outcome;
                try {
                    outcome = new StudyRunner(c, Samplers.create(c.search().algorithm(), c.space(),
                            c.search().seed(), c.search().options()), console).overwrite(true)
                            .withData(Preflight.beforeRun(c)).run();
                } finally {
                    cpu.close();
                }
                double runSeconds = (System.nanoTime() - t0) / 1e9;
                int completed = (int) outcome.results().stream().filter(r -> r.state() == TrialState.COMPLETED).count();
                return result(o, SyntheticWork.drain(), runSeconds, completed, outcome.failure())
                        .withCpu(cpu.processSeconds(), cpu.byGroup());
            } finally {
                if (before == null) {
                    System.clearProperty(SyntheticWork.PROPERTY);
                } else {
                    System.setProperty(SyntheticWork.PROPERTY, before);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The figures from the synthetic attempts' timestamps. */
    static Result result(Options o, List<SyntheticWork.Timing> timings, double runSeconds, int completed,
                         String failure) {
        double ideal = (double) o.trials() * o.epochs() * o.epochMillis() / 1000.0 / o.slots();
        List<SyntheticWork.Timing> started = timings.stream().filter(t -> t.firstWorkNanos() >= 0).toList();
        long[] starts = started.stream().mapToLong(SyntheticWork.Timing::firstWorkNanos).sorted().toArray();
        long[] ends = timings.stream().mapToLong(SyntheticWork.Timing::endNanos).sorted().toArray();
        double phase = starts.length == 0 ? Double.NaN : (ends[ends.length - 1] - starts[0]) / 1e9;
        double workWall = timings.stream().mapToLong(SyntheticWork.Timing::workWallNanos).sum() / 1e9;
        int gaps = Math.max(0, Math.min(starts.length - o.slots(), ends.length));
        double[] gap = new double[gaps];
        for (int i = 0; i < gaps; i++) {
            gap[i] = (starts[o.slots() + i] - ends[i]) / 1e6;
        }
        java.util.Arrays.sort(gap);
        return new Result(o.trials(), o.epochs(), o.epochMillis(), o.slots(), completed, ideal, phase, runSeconds,
                workWall, phase / ideal - 1, runSeconds / ideal - 1, phase / (workWall / o.slots()) - 1,
                pct(gap, 0.50), pct(gap, 0.99), gaps == 0 ? Double.NaN : gap[gaps - 1], failure, Double.NaN, Map.of());
    }

    private static double pct(double[] sorted, double q) {
        return Quantiles.nearestRank(i -> sorted[i], sorted.length, q);
    }

    /** A human line for the console, before the JSON. */
    public static String summary(Result r) {
        return String.format(Locale.ROOT, "%d trials x %d epochs x %d ms on %d slots: ideal %.1f s, trial phase %.1f s "
                        + "(overhead %.2f %%), whole run %.1f s (%.2f %%); free slot -> next trial's work p50 %.1f ms, "
                        + "p99 %.1f ms; process CPU %.1f s, %.1f ms per trial beyond the work", r.trials(), r.epochs(), r.epochMillis(), r.slots(), r.idealSeconds(),
                r.phaseSeconds(), 100 * r.phaseOverhead(), r.runSeconds(), 100 * r.runOverhead(),
                r.slotToWorkP50Millis(), r.slotToWorkP99Millis(), r.processCpuSeconds(), r.nonWorkCpuMillisPerTrial());
    }
}
