package io.gradtune.driver.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradtune.driver.study.TrialResult;
import io.gradtune.driver.testing.Cli;
import io.gradtune.driver.testing.DigitsStudy;
import io.gradtune.driver.testing.DriverProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code gradtune status} on a real study (Spark local[2], the embedded broker, DL4J on digits) run by
 * {@code gradtune run} in its own JVM, as from another shell: polled from this JVM while the study runs until it
 * shows the driver's pid running with at least one epoch recorded, then after the study ended, where it agrees with
 * the study's own study.json and leaderboard.txt. The driver's console is not a terminal, so {@code --progress auto}
 * would be plain too; plain mode prints no carriage return or escape code.
 */
class StudyStatusIT {

    @TempDir
    Path dir;

    @Test
    void statusShowsARunningStudyWhileItRunsAndItsLeaderboardAfter() throws Exception {
        DigitsStudy digits = DigitsStudy.named("it-status").trials(4).epochs(10);
        Path cfg = digits.write(dir);
        Path runs = dir.resolve("runs");
        Path runDir = runs.resolve("it-status");
        // The study in its own JVM, as from another shell; status is asked from this one.
        try (DriverProcess driver = DriverProcess.start(dir.resolve("driver.log"), List.of(), "run", cfg.toString(),
                "--output", runs.toString(), "--progress", "plain")) {
            // While it runs: poll (deadline 3 minutes) until status shows it running with at least one epoch.
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            Cli running = null;
            while (System.nanoTime() < deadline && driver.isAlive()) {
                if (Files.exists(runDir.resolve("journal.jsonl"))) {
                    Cli c = Cli.run("status", runDir.toString());
                    if (c.code() == 0 && c.out().startsWith("study it-status: running (pid " + driver.pid() + " ")
                            && !c.out().contains("epochs recorded: 0\n")) {
                        running = c;
                        break;
                    }
                }
                Thread.sleep(100); // poll interval; the deadline bounds the wait
            }
            assertTrue(running != null, "status never showed the study running with an epoch; driver:\n"
                    + driver.console());
            assertTrue(running.out().contains(" of 4 ended: "), running.out());
            assertTrue(running.out().contains("leaderboard (completed trials; val_accuracy, max):"), running.out());
            assertTrue(Files.exists(runDir.resolve(".lock")), "status left the study's lock alone");

            assertEquals(0, driver.waitFor(Duration.ofMinutes(5)), driver.console());
            assertFalse(driver.console().contains("\r"), "plain mode: no carriage returns");
            assertFalse(driver.console().contains("\033"), "plain mode: no escape codes");
        }

        // After it ended: finished, with the counts and leaderboard of the study's own reports.
        Cli after = Cli.run("status", runDir.toString());
        assertEquals(0, after.code(), after.err());
        assertTrue(after.out().startsWith("study it-status: finished (budget: 4 of 4 trials)"), after.out());
        StudyStatus.Report report = StudyStatus.read(runDir);
        assertEquals(StudyStatus.State.FINISHED, report.state());
        assertEquals(4, report.results().size());
        JsonNode study = new ObjectMapper().readTree(runDir.resolve("study.json").toFile());
        assertEquals(study.path("totals").path("epochsTrained").asLong(), report.epochs(), study.path("totals").toString());
        String board = report.leaderboard().render(Integer.MAX_VALUE);
        assertTrue(Files.readString(runDir.resolve("leaderboard.txt")).contains(board),
                "the same leaderboard as leaderboard.txt's:\n" + board);
        TrialResult best = report.leaderboard().best();
        assertEquals(study.path("best").path("trialId").asText(), best.trialId(), study.path("best").toString());
        assertTrue(after.out().contains(String.format(java.util.Locale.ROOT, "best so far: val_accuracy %.4f (%s",
                best.objective(), best.trialId())), after.out());
    }
}
