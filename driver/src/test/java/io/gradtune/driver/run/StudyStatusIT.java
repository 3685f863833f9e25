package io.gradtune.driver.run;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.driver.console.ProgressMode;
import io.gradtune.driver.search.RandomSampler;
import io.gradtune.driver.study.TrialResult;
import io.gradtune.driver.study.TrialState;
import io.gradtune.driver.testing.Cli;
import io.gradtune.driver.testing.DigitsStudy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code gradtune status} on a real study (Spark local[2], the embedded broker, DL4J on digits): polled while the
 * study runs until it shows a running study with at least one epoch recorded, then after the study ended, where it
 * agrees with the study's own outcome. The study prints in plain progress mode: no carriage return on its console.
 */
class StudyStatusIT {

    @TempDir
    Path dir;

    @Test
    void statusShowsARunningStudyWhileItRunsAndItsLeaderboardAfter() throws Exception {
        DigitsStudy digits = DigitsStudy.named("it-status").trials(4).epochs(10);
        Path cfg = digits.write(dir);
        Path runs = dir.resolve("runs");
        StudyConfig config = StudyConfigLoader.load(cfg).withOutputDir(runs);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        StudyRunner runner = new StudyRunner(config, new RandomSampler(config.space(), 11),
                new PrintStream(console, true, StandardCharsets.UTF_8))
                .launch(Map.of("config_file", cfg.toString(), "config_text", digits.yaml(),
                        "args", List.of(cfg.toString(), "--output", runs.toString())))
                .progress(ProgressMode.PLAIN);
        CompletableFuture<StudyRunner.Outcome> study = CompletableFuture.supplyAsync(() -> {
            try {
                return runner.run();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Path runDir = runs.resolve("it-status");

        // While it runs: poll (deadline 3 minutes) until status shows it running with at least one epoch.
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        Cli running = null;
        while (System.nanoTime() < deadline && !study.isDone()) {
            if (Files.exists(runDir.resolve("journal.jsonl"))) {
                Cli c = Cli.run("status", runDir.toString());
                if (c.code() == 0 && c.out().startsWith("study it-status: running (pid ")
                        && !c.out().contains("epochs recorded: 0\n")) {
                    running = c;
                    break;
                }
            }
            Thread.sleep(100); // poll interval; the deadline bounds the wait
        }
        assertTrue(running != null, "status never showed the study running with an epoch; console:\n" + console);
        assertTrue(running.out().contains("trials: "), running.out());
        assertTrue(running.out().contains(" of 4 ended: "), running.out());
        assertTrue(running.out().contains("leaderboard (completed trials; val_accuracy, max):"), running.out());

        StudyRunner.Outcome outcome = study.get(5, TimeUnit.MINUTES);
        assertNull(outcome.failure(), console.toString());

        // After it ended: finished, the same counts and best trial as the study's own outcome.
        Cli after = Cli.run("status", runDir.toString());
        assertEquals(0, after.code(), after.err());
        StudyStatus.Report report = StudyStatus.read(runDir);
        assertEquals(StudyStatus.State.FINISHED, report.state(), after.out());
        long completed = outcome.results().stream().filter(r -> r.state() == TrialState.COMPLETED).count();
        assertEquals(completed, report.count(TrialState.COMPLETED));
        assertEquals(4, report.results().size());
        TrialResult best = outcome.leaderboard().best();
        assertEquals(best.trialId(), report.leaderboard().best().trialId());
        assertEquals(best.objective(), report.leaderboard().best().objective(), 1e-12);
        assertTrue(after.out().startsWith("study it-status: finished (budget: "), after.out());
        assertTrue(after.out().contains(String.format(java.util.Locale.ROOT, "best so far: val_accuracy %.4f (%s",
                best.objective(), best.trialId())), after.out());
        assertEquals(outcome.leaderboard().render(Integer.MAX_VALUE), report.leaderboard().render(Integer.MAX_VALUE),
                "the same leaderboard as leaderboard.txt's");
        assertFalse(console.toString().contains("\r"), "plain mode: no carriage returns");
    }
}
