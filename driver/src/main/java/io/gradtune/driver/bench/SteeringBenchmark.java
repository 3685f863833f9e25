package io.gradtune.driver.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.driver.diagnose.Remedies;
import io.gradtune.driver.run.Preflight;
import io.gradtune.driver.run.StudyRunner;
import io.gradtune.driver.search.RepairingSampler;
import io.gradtune.driver.search.Sampler;
import io.gradtune.driver.search.Samplers;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;

/**
 * {@code gradtune bench steering} (issue 11, deliverable 6): for each seed, the config's sampler in every
 * {@link SteeringArm} (feedback and repair, feedback only, neither), each a real study run by {@link StudyRunner},
 * as {@code gradtune run} runs it (Spark local mode, embedded Kafka, the config's early-stopping rules), then the
 * pathological trials and epochs of each ({@link SteeringRun}) and the per-arm means and waste ratios
 * ({@link SteeringReport}). Each study's console goes to {@code <output>/<study>.log}, its run directory to
 * {@code <output>/<study>/}; a study of the same name there is replaced.
 */
public final class SteeringBenchmark {

    /**
     * @param config the study config ({@code configs/bench-steering.yaml}); its search algorithm, space, data and
     *               stopping rules are used as written
     * @param seeds  number of seeds: search seeds 1..seeds
     * @param trials trials per study
     * @param epochs epoch budget per trial, or null for the config's
     * @param output parent directory of the studies' run directories
     */
    public record Options(Path config, int seeds, int trials, Integer epochs, Path output) {
        public Options {
            if (seeds < 1 || seeds > 100) {
                throw new IllegalArgumentException("--seeds must be 1..100, got " + seeds);
            }
            if (trials < 1 || trials > 10_000) {
                throw new IllegalArgumentException("--trials must be 1..10000, got " + trials);
            }
            if (epochs != null && (epochs < 1 || epochs > 10_000)) {
                throw new IllegalArgumentException("--epochs must be 1..10000, got " + epochs);
            }
            if (!Files.isRegularFile(config)) {
                throw new IllegalArgumentException("no config file " + config);
            }
        }

        /** Search seeds 1..seeds. */
        public List<Long> seedList() {
            return LongStream.rangeClosed(1, seeds).boxed().toList();
        }
    }

    private SteeringBenchmark() {
    }

    /** The config of one (arm, seed) study. */
    static StudyConfig studyConfig(StudyConfig base, Options o, SteeringArm arm, long seed) {
        StudyConfig c = base.withStudy("steering-" + arm.name().toLowerCase(Locale.ROOT) + "-s" + seed)
                .withOutputDir(o.output()).withMaxTrials(o.trials()).withSeed(seed);
        c = c.withSearch(arm.apply(c.search()));
        return o.epochs() == null ? c : c.withEpochs(o.epochs());
    }

    /** The config's sampler, wrapped for repair when the arm repairs (as {@code run} builds it). */
    static Sampler sampler(StudyConfig c) {
        Sampler s = Samplers.create(c.search().algorithm(), c.space(), c.search().seed(), c.samplerOptions());
        return c.search().repair() ? new RepairingSampler(s, c.space(), new Remedies(c.space(), c.data().scaling())) : s;
    }

    /** Runs every study, printing one line per study to {@code out} as it ends. */
    public static SteeringReport run(Options o, PrintStream out) throws InterruptedException {
        StudyConfig base = StudyConfigLoader.load(o.config());
        List<SteeringRun> runs = new ArrayList<>();
        out.printf(Locale.ROOT, "%-21s %5s %7s %12s %12s %7s %8s %9s %8s%n", "arm", "seed", "trials", "patho_trials",
                "patho_epochs", "epochs", "repairs", "best_acc", "wall_s");
        for (long seed : o.seedList()) {
            for (SteeringArm arm : SteeringArm.values()) {
                SteeringRun r = runOne(studyConfig(base, o, arm, seed), arm, seed);
                runs.add(r);
                out.printf(Locale.ROOT, "%-21s %5d %7d %12d %12d %7d %8s %9.4f %8.1f%s%n", arm.label(), seed,
                        r.trials(), r.pathological(), r.pathologicalEpochs(), r.epochs(),
                        r.repairs() + "/" + r.repairsSucceeded(), r.bestValAccuracy(), r.wallSeconds(),
                        r.failure() == null ? "" : "  FAILED: " + r.failure());
                out.flush();
            }
        }
        List<SteeringRun> ordered = new ArrayList<>();
        for (SteeringArm arm : SteeringArm.values()) {
            runs.stream().filter(r -> r.arm() == arm).forEach(ordered::add);
        }
        return new SteeringReport(o.config().toString(), o.seedList(), o.trials(),
                o.epochs() == null ? base.training().epochs() : o.epochs(), ordered);
    }

    private static SteeringRun runOne(StudyConfig c, SteeringArm arm, long seed) throws InterruptedException {
        try {
            Files.createDirectories(c.outputDir());
            Path log = c.outputDir().resolve(c.study() + ".log");
            try (OutputStream file = Files.newOutputStream(log);
                 PrintStream console = new PrintStream(file, true, StandardCharsets.UTF_8)) {
                long t0 = System.nanoTime();
                StudyRunner.Outcome outcome = new StudyRunner(c, sampler(c), console).overwrite(true)
                        .withData(Preflight.beforeRun(c)).run();
                double wall = (System.nanoTime() - t0) / 1e9;
                int[] repairs = repairs(outcome.runDir().resolve("study.json"));
                return SteeringRun.of(arm, seed, outcome.results(), repairs[0], repairs[1],
                        outcome.leaderboard().best(), wall, outcome.failure());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Repairs tried and succeeded, summed over study.json's {@code repairs} table (none without one). */
    static int[] repairs(Path studyJson) throws IOException {
        int[] sum = new int[2];
        if (Files.isRegularFile(studyJson)) {
            for (JsonNode row : new ObjectMapper().readTree(studyJson.toFile()).path("repairs")) {
                sum[0] += row.path("tried").asInt();
                sum[1] += row.path("succeeded").asInt();
            }
        }
        return sum;
    }
}
