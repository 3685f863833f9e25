package io.gradtune.driver.run;

import io.gradtune.driver.journal.Journal;
import io.gradtune.driver.journal.RunDirectory;
import io.gradtune.driver.study.TrialState;
import io.gradtune.driver.testing.Cli;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.ProtocolCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link StudyStatus} and {@code gradtune status} on fixture run directories written as a study writes them. */
class StudyStatusTest {

    @TempDir
    Path tmp;

    private static final String CONFIG = """
            study: fixture
            objective: {metric: val_loss}
            search: {algorithm: random, max_trials: 20}
            training: {epochs: 10}
            """;

    private static EpochMetrics epoch(String trial, int attempt, int epoch, double loss, double accuracy) {
        return EpochMetrics.of("fixture", "run-1", trial, attempt, "driver", "localhost", epoch, loss, loss, accuracy,
                1e-3, 10, 0, List.of());
    }

    private static Map<String, Object> event(String name, Object... kv) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("event", name);
        e.put("at", "2026-11-29T12:00:00Z");
        for (int i = 0; i < kv.length; i += 2) {
            e.put((String) kv[i], kv[i + 1]);
        }
        return e;
    }

    /**
     * A study of 20 trials at most (--max-trials 5 on its command line), 10 epochs (--epochs 4): t0001 completed
     * (best loss 0.30 at epoch 2), t0002 pruned, t0003 completed (loss 0.20 at epoch 3), t0004 running with two
     * epochs in metrics.jsonl (its attempt 0's single record superseded by attempt 1's), t0005 queued; metrics.jsonl
     * ends with a half-written line.
     */
    private Path fixture(boolean ended) throws Exception {
        Path dir = tmp.resolve("runs").resolve("fixture");
        Files.createDirectories(dir);
        Map<String, Object> launch = Map.of("config_file", "/x/fixture.yaml", "config_text", CONFIG,
                "args", List.of("/x/fixture.yaml", "--max-trials", "5", "--epochs", "4"));
        StringBuilder metrics = new StringBuilder();
        try (Journal j = Journal.open(dir.resolve(Journal.FILE))) {
            j.append(event("study_started", "mode", "run", "pid", 1, "launch", launch));
            for (int n = 1; n <= 5; n++) {
                j.append(event("trial_created", "trial", "t000" + n, "number", n, "params",
                        Map.of("learning_rate", 0.001 * n), "seed", 10 + n, "seen_finished", 0));
            }
            for (int n = 1; n <= 4; n++) {
                j.append(event("trial_running", "trial", "t000" + n));
            }
            List<EpochMetrics> c1 = List.of(epoch("t0001", 0, 1, 0.5, 0.8), epoch("t0001", 0, 2, 0.3, 0.9));
            List<EpochMetrics> c2 = List.of(epoch("t0002", 0, 1, 2.5, 0.1));
            List<EpochMetrics> c3 = List.of(epoch("t0003", 0, 1, 0.4, 0.85), epoch("t0003", 0, 2, 0.3, 0.9),
                    epoch("t0003", 0, 3, 0.2, 0.95));
            j.append(finished("t0001", "COMPLETED", c1, null));
            j.append(finished("t0002", "PRUNED", c2, Map.of("action", "PRUNE", "rule", "divergence", "epoch", 1,
                    "reason", "loss above ln K", "evidence", Map.of("val_loss", 2.5))));
            j.append(finished("t0003", "COMPLETED", c3, null));
            for (EpochMetrics m : concat(c1, c2, c3, List.of(epoch("t0004", 0, 1, 0.9, 0.5),
                    epoch("t0004", 1, 1, 0.8, 0.6), epoch("t0004", 1, 2, 0.7, 0.7)))) {
                metrics.append(ProtocolCodec.encode(m)).append('\n');
            }
            if (ended) {
                j.append(event("study_ended", "status", "interrupted", "reason", "signal", "detail",
                        "SIGINT after 3 of 5 trials"));
            }
        }
        metrics.append("{\"type\":\"epoch_metrics\",\"schemaVer");
        Files.writeString(dir.resolve("metrics.jsonl"), metrics);
        Files.writeString(dir.resolve("trials.csv"), "trial_id,state,diagnosis\nt0001,COMPLETED,HEALTHY\n"
                + "t0002,PRUNED,UNSTABLE\n");
        return dir;
    }

    @SafeVarargs
    private static List<EpochMetrics> concat(List<EpochMetrics>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }

    private static Map<String, Object> finished(String trial, String state, List<EpochMetrics> curve,
                                                Map<String, Object> stop) {
        Map<String, Object> e = event("trial_finished", "trial", trial, "state", state);
        if (stop != null) {
            e.put("stop", stop);
        }
        e.put("error", null);
        e.put("seconds", 1.5);
        e.put("num_params", 1000);
        e.put("attempts", 1);
        e.put("executor", "driver");
        e.put("host", "localhost");
        e.put("curve", curve.stream().map(ProtocolCodec::encode).toList());
        return e;
    }

    @Test
    void aRunningStudyShowsItsProcessCountsRunningEpochsBestAndLeaderboard() throws Exception {
        Path dir = fixture(false);
        // this test's JVM holds the lock: a live process on this host
        try (RunDirectory.Lock lock = RunDirectory.lock(dir, note -> { })) {
            StudyStatus.Report r = StudyStatus.read(dir);
            assertEquals(StudyStatus.State.RUNNING, r.state());
            assertTrue(r.detail().contains("pid " + ProcessHandle.current().pid()), r.detail());
            assertEquals(5, r.budget(), "--max-trials of the journaled command line");
            assertEquals(4, r.epochBudget());
            assertEquals(2, r.count(TrialState.COMPLETED));
            assertEquals(1, r.count(TrialState.PRUNED));
            assertEquals(1, r.count(TrialState.RUNNING));
            assertEquals(1, r.count(TrialState.QUEUED));
            assertEquals(List.of(new StudyStatus.Unfinished("t0004", 2), new StudyStatus.Unfinished("t0005", 0)),
                    r.unfinished());
            assertEquals(9, r.epochs(), "6 of the finished trials and t0004's 3 (both attempts); the torn line left out");
            assertEquals("t0003", r.leaderboard().best().trialId(), "val_loss is minimized");
            assertEquals(0.2, r.leaderboard().best().objective(), 1e-12);
            String text = r.render(Instant.parse("2026-11-29T12:00:05Z"));
            assertTrue(text.startsWith("study fixture: running (pid "), text);
            assertTrue(text.contains("last journal event: 2026-11-29T12:00:00Z (5 s ago)"), text);
            assertTrue(text.contains("trials: 3 of 5 ended: 2 completed, 1 pruned, 0 failed; 1 running, 1 queued, "
                    + "0 interrupted"), text);
            assertTrue(text.contains("running: t0004 epoch 2/4, t0005 epoch 0/4"), text);
            assertTrue(text.contains("best so far: val_loss 0.2000 (t0003, epoch 3)"), text);
            assertTrue(text.contains("HEALTHY"), "diagnosis from trials.csv: " + text);
            assertTrue(text.contains("t0002  PRUNED    epochs=1   UNSTABLE"), text);
            // status writes nothing and leaves the lock alone
            assertTrue(Files.exists(dir.resolve(RunDirectory.LOCK)));
        }
    }

    @Test
    void aStudyWhoseProcessDiedWithoutEndingItIsStoppedAndItsRunningTrialsInterrupted() throws Exception {
        Path dir = fixture(false);
        // a lock left by a process that is gone (no such pid on this host)
        Files.writeString(dir.resolve(RunDirectory.LOCK), "{\"pid\":" + Integer.MAX_VALUE + ",\"host\":\""
                + java.net.InetAddress.getLocalHost().getHostName() + "\",\"started\":\"\"}");
        StudyStatus.Report r = StudyStatus.read(dir);
        assertEquals(StudyStatus.State.STOPPED, r.state());
        assertTrue(r.detail().contains("is gone") && r.detail().contains("./gradtune resume"), r.detail());
        assertEquals(2, r.count(TrialState.INTERRUPTED));
        assertEquals(0, r.count(TrialState.RUNNING));
        assertTrue(r.render(Instant.now()).contains("unfinished (run again by resume): t0004 epoch 2/4"));
    }

    @Test
    void anEndedStudySaysHowItEnded() throws Exception {
        Path dir = fixture(true);
        StudyStatus.Report r = StudyStatus.read(dir);
        assertEquals(StudyStatus.State.INTERRUPTED, r.state());
        assertTrue(r.detail().startsWith("signal: SIGINT after 3 of 5 trials"), r.detail());
    }

    @Test
    void theCommandPrintsTheStatusAndRefusesADirectoryThatHoldsNoStudy() throws Exception {
        Path dir = fixture(true);
        Cli ok = Cli.run("status", dir.toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().startsWith("study fixture: interrupted (signal: "), ok.out());
        assertTrue(ok.out().contains("leaderboard (completed trials; val_loss, min):"), ok.out());

        Path empty = Files.createDirectories(tmp.resolve("not-a-run"));
        Cli bad = Cli.run("status", empty.toString());
        assertEquals(2, bad.code(), bad.out() + bad.err());
        assertTrue(bad.err().contains("is not a run directory: it has no journal.jsonl"), bad.err());
        Cli missing = Cli.run("status", tmp.resolve("nowhere").toString());
        assertEquals(2, missing.code());

        Files.writeString(empty.resolve(Journal.FILE), "{\"event\":\"trial_running\",\"trial\":\"t0001\"}\n",
                StandardOpenOption.CREATE);
        Cli noStart = Cli.run("status", empty.toString());
        assertEquals(2, noStart.code());
        assertTrue(noStart.err().contains("no study_started event"), noStart.err());
        assertThrows(StudyStatus.NotARunDirectory.class, () -> StudyStatus.read(tmp.resolve("nowhere")));
    }
}
