package io.gradtune.driver.bench;

import io.gradtune.driver.config.ConfigException;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.driver.run.Preflight;
import io.gradtune.driver.run.StudyRunner;
import io.gradtune.driver.search.Samplers;
import io.gradtune.driver.study.TrialResult;
import io.gradtune.driver.study.TrialState;
import io.gradtune.worker.protocol.ReportJson;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code gradtune bench data-parallel --study CONFIG}: one whole study run once per {@code training.workers} value
 * asked for (default 1 and 2), one after the other in this JVM, each a real run ({@link StudyRunner}: Spark on the
 * given master, the embedded broker unless the config names one, the config's sampler and seed) without the refit.
 * Reports each run's wall time, trials by state, epochs trained and best validation accuracy, so single-task trials
 * and data-parallel trials of the same study can be compared side by side. Console logs go to
 * {@code OUTPUT/<study>-w<N>.log}.
 */
public final class DataParallelStudyBenchmark {

    private DataParallelStudyBenchmark() {
    }

    /**
     * @param config  the study config
     * @param workers {@code training.workers} values, one run each
     * @param master  Spark master of every run (null: the config's)
     * @param output  parent directory of the runs' directories and logs
     */
    public record Options(Path config, List<Integer> workers, String master, Path output) {
        public Options {
            workers = List.copyOf(workers);
            if (workers.isEmpty() || workers.stream().anyMatch(w -> w < 1)) {
                throw new IllegalArgumentException("--workers must list worker counts of at least 1, got " + workers);
            }
        }
    }

    /**
     * One study run.
     *
     * @param workers     {@code training.workers}
     * @param wallSeconds the run from start to its reports (Spark and broker start included)
     * @param states      trials by final state
     * @param epochs      epochs trained, all trials
     * @param bestValAccuracy the leaderboard's best validation accuracy, NaN without a best trial
     * @param failure     the study's failure, or null
     */
    public record Run(int workers, double wallSeconds, Map<String, Integer> states, int epochs,
                      double bestValAccuracy, String failure) {
    }

    /** Runs the study once per worker count; prints one line per run as it ends. */
    public static List<Run> run(Options o, PrintStream out) throws InterruptedException {
        StudyConfig base = StudyConfigLoader.load(o.config());
        if (o.master() != null) {
            base = base.withMaster(o.master());
        }
        List<Run> runs = new ArrayList<>();
        for (int n : o.workers()) {
            String problem = StudyConfigLoader.trialWorkersProblem(base.spark(), n);
            if (problem != null) {
                throw new ConfigException(o.config().toString(), "--workers", n, problem);
            }
            StudyConfig c = base.withTrainingWorkers(n).withStudy(base.study() + "-w" + n).withOutputDir(o.output())
                    .withoutRefit();
            Run r = runOne(c, n);
            out.printf(Locale.ROOT, "training.workers %d: %.1f s, %s, %d epochs, best val_accuracy %.4f%s%n",
                    r.workers(), r.wallSeconds(), r.states(), r.epochs(), r.bestValAccuracy(),
                    r.failure() == null ? "" : "  FAILED: " + r.failure());
            runs.add(r);
        }
        return runs;
    }

    private static Run runOne(StudyConfig c, int workers) throws InterruptedException {
        try {
            Files.createDirectories(c.outputDir());
            Path log = c.outputDir().resolve(c.study() + ".log");
            try (OutputStream file = Files.newOutputStream(log);
                 PrintStream console = new PrintStream(file, true, StandardCharsets.UTF_8)) {
                long t0 = System.nanoTime();
                StudyRunner.Outcome outcome = new StudyRunner(c, Samplers.create(c.search().algorithm(), c.space(),
                        c.search().seed(), c.search().options()), console).overwrite(true)
                        .withData(Preflight.beforeRun(c)).run();
                double wall = (System.nanoTime() - t0) / 1e9;
                Map<String, Integer> states = new LinkedHashMap<>();
                for (TrialState s : TrialState.values()) {
                    int count = (int) outcome.results().stream().filter(r -> r.state() == s).count();
                    if (count > 0) {
                        states.put(s.name(), count);
                    }
                }
                int epochs = outcome.results().stream().mapToInt(TrialResult::epochs).sum();
                TrialResult best = outcome.leaderboard().best();
                return new Run(workers, wall, states, epochs, best == null ? Double.NaN : best.valAccuracy(),
                        outcome.failure());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The runs as one JSON object. */
    public static String toJson(Options o, List<Run> runs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("benchmark", "data-parallel-study");
        m.put("config", o.config().toString());
        m.put("master", o.master());
        m.put("runs", runs);
        return ReportJson.line(m);
    }
}
