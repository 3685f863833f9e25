package io.gradtune.driver.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.worker.protocol.Quantiles;
import io.gradtune.worker.protocol.ReportJson;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * {@code gradtune bench study CONFIG}: the whole study run N times, each in a fresh child process started exactly as
 * a user starts it, {@code LAUNCHER run CONFIG --overwrite --output OUTPUT --study <study>-r<i>} (the launcher's JVM
 * flags, heap and class path, Spark local mode and the embedded broker in that one JVM), one after the other.
 * Measures per run, as the user sees it:
 * <ul>
 *   <li>wall: from just before the child is started until it has exited;</li>
 *   <li>CPU seconds: user + system of the child's whole process tree ({@link ProcessMeasures#childrenCpuSeconds()}
 *       across the run);</li>
 *   <li>peak RSS: the child JVM's {@code VmHWM}, read every {@value #SAMPLE_MILLIS} ms while it runs (the
 *       high-water mark only grows, so the last reading is the peak up to its final milliseconds);</li>
 *   <li>fixed cost: start-up (child started until the journal's first {@code trial_running}) plus tear-down (the
 *       journal's last {@code trial_finished} until the child exited);</li>
 *   <li>trials per minute and epochs per second of wall time, from {@code study.json}'s totals;</li>
 *   <li>the CPU seconds of the child JVM's JIT compiler, GC and trial threads ({@link ThreadCpu}, read every
 *       {@value #THREAD_SAMPLE_MILLIS} ms).</li>
 * </ul>
 * Each child's console goes to {@code OUTPUT/<study>-r<i>.log}.
 */
public final class StudyBenchmark {

    static final long SAMPLE_MILLIS = 100;

    /** How often the child's threads are read for {@link ThreadCpu} (a few hundred files each time). */
    static final long THREAD_SAMPLE_MILLIS = 500;

    private static final ObjectMapper JSON = new ObjectMapper();

    private StudyBenchmark() {
    }

    /**
     * @param config   the study config (checked before any run starts)
     * @param repeat   runs, at least 1
     * @param output   parent directory of the runs' directories and console logs
     * @param launcher the {@code gradtune} launcher script each run is started with
     */
    public record Options(Path config, int repeat, Path output, Path launcher) {
        public Options {
            if (repeat < 1) {
                throw new IllegalArgumentException("--repeat must be at least 1, got " + repeat);
            }
            if (!Files.isRegularFile(launcher) || !Files.isExecutable(launcher)) {
                throw new IllegalArgumentException("--launcher " + launcher + " is not an executable file: give the "
                        + "path of the gradtune launcher script (default: $GRADTUNE_LAUNCHER, set by ./gradtune)");
            }
        }
    }

    /**
     * One run of the study in its own process.
     *
     * @param run                 1..repeat
     * @param exitCode            the child's exit code (0: a study with a best trial)
     * @param wallSeconds         child started until exited
     * @param cpuSeconds          user + system seconds of the child's process tree
     * @param peakRssMegabytes    the child JVM's peak resident set (VmHWM), MiB
     * @param startupSeconds      child started until the first trial started (NaN without one)
     * @param teardownSeconds     the last trial ended until the child exited (NaN without one)
     * @param fixedCostSeconds    start-up + tear-down
     * @param trials              trials in study.json's totals
     * @param epochs              epochs trained, all trials (study.json {@code epochsTrained})
     * @param trialsPerMinute     trials / wall minutes
     * @param epochsPerSecond     epochs / wall seconds
     * @param bestValAccuracy     the best trial's validation accuracy, NaN without one
     * @param states              trials by final state
     * @param runDirectory        the run's directory
     * @param jitCpuSeconds       CPU seconds of the child JVM's JIT compiler threads
     * @param gcCpuSeconds        CPU seconds of its GC threads
     * @param trialCpuSeconds     CPU seconds of its trial (Spark task) threads
     */
    public record Run(int run, int exitCode, double wallSeconds, double cpuSeconds, double peakRssMegabytes,
                      double startupSeconds, double teardownSeconds, double fixedCostSeconds, int trials, int epochs,
                      double trialsPerMinute, double epochsPerSecond, double bestValAccuracy,
                      Map<String, Integer> states, String runDirectory, double jitCpuSeconds,
                      double gcCpuSeconds, double trialCpuSeconds) {
    }

    /** The figures of {@link Run} that {@link #median} summarizes, in table order. */
    static final Map<String, ToDoubleFunction<Run>> FIGURES = figures();

    private static Map<String, ToDoubleFunction<Run>> figures() {
        Map<String, ToDoubleFunction<Run>> m = new LinkedHashMap<>();
        m.put("wallSeconds", Run::wallSeconds);
        m.put("cpuSeconds", Run::cpuSeconds);
        m.put("peakRssMegabytes", Run::peakRssMegabytes);
        m.put("startupSeconds", Run::startupSeconds);
        m.put("teardownSeconds", Run::teardownSeconds);
        m.put("fixedCostSeconds", Run::fixedCostSeconds);
        m.put("trials", Run::trials);
        m.put("epochs", Run::epochs);
        m.put("trialsPerMinute", Run::trialsPerMinute);
        m.put("epochsPerSecond", Run::epochsPerSecond);
        m.put("bestValAccuracy", Run::bestValAccuracy);
        m.put("jitCpuSeconds", Run::jitCpuSeconds);
        m.put("gcCpuSeconds", Run::gcCpuSeconds);
        m.put("trialCpuSeconds", Run::trialCpuSeconds);
        return m;
    }

    /** Checks the config (a bad one throws {@code ConfigException}, exit 2), then runs it {@code repeat} times. */
    public static List<Run> run(Options o, PrintStream out) throws InterruptedException {
        StudyConfig config = StudyConfigLoader.load(o.config());
        List<Run> runs = new ArrayList<>();
        try {
            Files.createDirectories(o.output());
            for (int i = 1; i <= o.repeat(); i++) {
                Run r = runOne(o, config.study() + "-r" + i, i);
                out.println(line("run " + i, r));
                runs.add(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return runs;
    }

    private static Run runOne(Options o, String name, int i) throws IOException, InterruptedException {
        Path output = o.output().toAbsolutePath();
        Path log = output.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(o.launcher().toAbsolutePath().toString(), "run",
                o.config().toAbsolutePath().toString(), "--overwrite", "--output", output.toString(), "--study", name)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        double cpuBefore = ProcessMeasures.childrenCpuSeconds();
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Process p = pb.start();
        double peak = Double.NaN;
        ThreadCpu threads = new ThreadCpu(p.pid());
        long samples = 0;
        try {
            while (!p.waitFor(SAMPLE_MILLIS, TimeUnit.MILLISECONDS)) {
                if (samples++ % (THREAD_SAMPLE_MILLIS / SAMPLE_MILLIS) == 0) {
                    threads.sample();
                }
                double hwm = ProcessMeasures.peakResidentBytes(p.pid());
                if (!Double.isNaN(hwm)) {
                    peak = Double.isNaN(peak) ? hwm : Math.max(peak, hwm);
                }
            }
        } catch (InterruptedException e) {
            p.destroy();
            throw e;
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        Instant exited = started.plusNanos(System.nanoTime() - t0);
        double cpu = ProcessMeasures.childrenCpuSeconds() - cpuBefore;
        ThreadCpu.Split split = threads.split();
        Path runDir = output.resolve(name);
        JournalTimes times = JournalTimes.read(runDir.resolve("journal.jsonl"));
        double startup = times.firstTrialRunning() == null ? Double.NaN
                : seconds(Duration.between(started, times.firstTrialRunning()));
        double teardown = times.lastTrialFinished() == null ? Double.NaN
                : seconds(Duration.between(times.lastTrialFinished(), exited));
        int trials = 0;
        int epochs = 0;
        double best = Double.NaN;
        Map<String, Integer> states = new LinkedHashMap<>();
        Path summary = runDir.resolve("study.json");
        if (Files.isRegularFile(summary)) {
            JsonNode s = JSON.readTree(summary.toFile());
            JsonNode totals = s.path("totals");
            trials = totals.path("trials").asInt();
            epochs = totals.path("epochsTrained").asInt();
            totals.path("byState").fields().forEachRemaining(e -> states.put(e.getKey(), e.getValue().asInt()));
            if (s.path("best").path("valAccuracy").isNumber()) {
                best = s.path("best").path("valAccuracy").asDouble();
            }
        }
        return new Run(i, p.exitValue(), wall, cpu, peak / (1024.0 * 1024.0), startup, teardown, startup + teardown,
                trials, epochs, trials / wall * 60.0, epochs / wall, best, states, runDir.toString(), split.jit(),
                split.gc(), split.trials());
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    /** Per figure of {@link #FIGURES}, its median over the runs (R's type 7 quantile at 0.5). */
    public static Map<String, Double> median(List<Run> runs) {
        Map<String, Double> m = new LinkedHashMap<>();
        FIGURES.forEach((name, f) -> m.put(name, Quantiles.of(runs.stream().map(f::applyAsDouble).toList(), 0.5)));
        return m;
    }

    /** One run, or the median, as a console line. */
    static String line(String label, Run r) {
        return String.format(Locale.ROOT, "%-7s wall %6.1f s  cpu %6.1f s  peak RSS %6.0f MB  fixed cost %5.1f s "
                        + "(start %4.1f s + end %4.1f s)  %5.1f trials/min  %6.1f epochs/s  best val_accuracy %.4f"
                        + "  %s exit %d  cpu of JIT %.1f s, GC %.1f s, trials %.1f s",
                label, r.wallSeconds(), r.cpuSeconds(), r.peakRssMegabytes(), r.fixedCostSeconds(),
                r.startupSeconds(), r.teardownSeconds(), r.trialsPerMinute(), r.epochsPerSecond(),
                r.bestValAccuracy(), r.states(), r.exitCode(), r.jitCpuSeconds(), r.gcCpuSeconds(),
                r.trialCpuSeconds());
    }

    /** The median as a console line. */
    static String medianLine(Map<String, Double> m) {
        return String.format(Locale.ROOT, "%-7s wall %6.1f s  cpu %6.1f s  peak RSS %6.0f MB  fixed cost %5.1f s "
                        + "(start %4.1f s + end %4.1f s)  %5.1f trials/min  %6.1f epochs/s  best val_accuracy %.4f"
                        + "  cpu of JIT %.1f s, GC %.1f s, trials %.1f s",
                "median", m.get("wallSeconds"), m.get("cpuSeconds"), m.get("peakRssMegabytes"),
                m.get("fixedCostSeconds"), m.get("startupSeconds"), m.get("teardownSeconds"), m.get("trialsPerMinute"),
                m.get("epochsPerSecond"), m.get("bestValAccuracy"), m.get("jitCpuSeconds"), m.get("gcCpuSeconds"),
                m.get("trialCpuSeconds"));
    }

    /** The runs and their medians as the report printed last: the median line, then the JSON line. */
    public static String report(Options o, List<Run> runs) {
        return medianLine(median(runs)) + System.lineSeparator() + toJson(o, runs);
    }

    /** The runs and their medians as one JSON object. */
    public static String toJson(Options o, List<Run> runs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("benchmark", "study");
        m.put("config", o.config().toString());
        m.put("repeat", o.repeat());
        m.put("launcher", o.launcher().toString());
        m.put("javaOpts", System.getenv().getOrDefault("GRADTUNE_JAVA_OPTS", ""));
        m.put("heap", System.getenv().getOrDefault("GRADTUNE_HEAP", "launcher default"));
        m.put("runs", runs);
        m.put("median", median(runs));
        return ReportJson.line(m);
    }
}
