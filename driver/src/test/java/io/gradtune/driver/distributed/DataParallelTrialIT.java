package io.gradtune.driver.distributed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.driver.run.StudyRunner;
import io.gradtune.driver.search.RandomSampler;
import io.gradtune.driver.study.TrialResult;
import io.gradtune.driver.study.TrialState;
import io.gradtune.driver.testing.DigitsStudy;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;
import io.gradtune.worker.protocol.ProtocolCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data-parallel trials end to end ({@code training.workers: 2}): Spark local[2], the embedded broker, dl4j-spark on
 * the digits study. Every trial is a driver-run dl4j-spark job of 2 partitions; its epochs stream through Kafka with
 * per-layer statistics of the averaged parameters; a per-trial rule (a plateau that cannot be beaten: min_delta 10
 * accuracy units) provably stops each trial at epoch 2 of 6 unless ASHA (on by default, its verdict read between
 * epochs) prunes it at epoch 1 first; the leaderboard and the reports hold them like any trial.
 * The gradient rules stay on with their defaults: records without gradients must not make them fire.
 */
class DataParallelTrialIT {

    @TempDir
    Path dir;

    @Test
    void dataParallelTrialsStreamAveragedLayerStatsAndStopOnARule() throws Exception {
        Path cfg = DigitsStudy.named("it-dp-trials").trials(3).epochs(6).seed(7).trainingWorkers(2)
                .earlyStopping("{plateau: {patience: 1, min_delta: 10}}").write(dir);
        StudyConfig config = StudyConfigLoader.load(cfg).withOutputDir(dir.resolve("runs"));
        assertEquals(2, config.training().workers());
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        StudyRunner.Outcome outcome = new StudyRunner(config, new RandomSampler(config.space(), 7),
                new PrintStream(console, true)).run();
        String log = console.toString();
        assertNull(outcome.failure(), log);
        assertTrue(log.contains("data-parallel trials: 2 workers each"), log);

        List<TrialResult> results = outcome.results();
        assertEquals(3, results.size(), log);
        // Every trial stops on a rule: the plateau at epoch 2 (COMPLETED), or ASHA (on by default) at its rung through
        // the control topic's verdict (PRUNED). Never the 6 epochs of the budget.
        int plateau = 0;
        for (TrialResult r : results) {
            assertNotNull(r.stop(), log);
            if (r.state() == TrialState.PRUNED) {
                assertEquals("asha", r.stop().rule(), log);
                assertEquals(1, r.epochs(), "pruned at its rung, no epoch past the verdict: " + log);
            } else {
                assertEquals(TrialState.COMPLETED, r.state(), log);
                assertEquals("plateau", r.stop().rule(), log);
                assertEquals(2, r.stop().epoch(), log);
                assertEquals(2, r.epochs(), "the trial ended at the rule's epoch, not after 6: " + log);
                plateau++;
            }
        }
        assertTrue(plateau >= 2, "the first two trials cannot be pruned by ASHA's first rung alone: " + log);

        Map<String, List<EpochMetrics>> byTrial = new HashMap<>();
        List<String> lines = Files.readAllLines(outcome.runDir().resolve("metrics.jsonl"));
        for (String line : lines) {
            EpochMetrics m = ProtocolCodec.decodeEpochMetrics(line).value();
            byTrial.computeIfAbsent(m.trialId(), k -> new ArrayList<>()).add(m);
        }
        assertEquals(0, outcome.records().duplicates());
        for (TrialResult r : results) {
            List<EpochMetrics> curve = byTrial.get(r.trialId());
            assertEquals(r.epochs(), curve.size(), "one record per epoch for " + r.trialId());
            for (int i = 0; i < curve.size(); i++) {
                EpochMetrics m = curve.get(i);
                assertEquals(i + 1, m.epoch());
                assertEquals(DataParallelTrial.EXECUTOR_ID, m.executorId());
                assertEquals(0, m.attempt());
                assertTrue(Double.isFinite(m.trainLoss()) && m.trainLoss() > 0, m.toString());
                assertTrue(m.valAccuracy() > 0.3, m.toString());
                assertTrue(m.layers().size() >= 2, m.toString());
                assertEquals("output", m.layers().get(m.layers().size() - 1).kind(), m.toString());
                assertEquals("0", m.layers().get(0).name(), m.toString());
                for (LayerStats l : m.layers()) {
                    assertFalse(l.gradientsObserved(), l.toString());
                    assertTrue(Double.isNaN(l.gradL2()), "no gradient under parameter averaging: " + l);
                    assertTrue(l.allFinite(), l.toString());
                    assertTrue(l.weightL2() > 0 && l.updateRatio() > 0 && l.updateRatio() < 1, l.toString());
                    assertNotNull(l.activationStd(), l.toString());
                }
            }
        }
        assertNotNull(outcome.leaderboard().best(), log);
        assertTrue(outcome.leaderboard().best().valAccuracy() > 0.6, "two epochs of averaged training learn: " + log);
        String leaderboard = Files.readString(outcome.runDir().resolve("leaderboard.txt"));
        assertTrue(leaderboard.contains(outcome.leaderboard().best().trialId()), leaderboard);
        JsonNode study = new ObjectMapper().readTree(outcome.runDir().resolve("study.json").toFile());
        assertEquals("finished", study.path("status").asText());
        assertEquals(results.stream().mapToInt(TrialResult::epochs).sum(),
                study.path("totals").path("epochsTrained").asInt(), study.path("totals").toString());
        String raw = lines.get(0);
        assertTrue(raw.contains("\"averaged\":true"), raw);
    }

    /**
     * The journal treats a data-parallel trial like any other: a signal while it trains cancels its round and leaves
     * it INTERRUPTED (not FAILED), and {@code resume} runs it again from epoch 1 to the budget, its curve the rerun's.
     */
    @Test
    void anInterruptedDataParallelTrialRunsAgainOnResume() throws Exception {
        Path cfg = DigitsStudy.named("it-dp-resume").trials(2).epochs(4).seed(7).trainingWorkers(2)
                .earlyStopping("none").write(dir);
        StudyConfig config = StudyConfigLoader.load(cfg).withOutputDir(dir.resolve("runs")).withoutRefit();
        Path metrics = config.outputDir().resolve(config.study()).resolve("metrics.jsonl");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        StudyRunner first = new StudyRunner(config, new RandomSampler(config.space(), 7), new PrintStream(console, true));
        StudyRunner.Outcome[] interrupted = new StudyRunner.Outcome[1];
        Thread runner = new Thread(() -> {
            try {
                interrupted[0] = first.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        runner.start();
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(90).toNanos();
        while (!(Files.exists(metrics) && Files.size(metrics) > 0) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            Thread.sleep(20);
        }
        assertTrue(Files.exists(metrics) && Files.size(metrics) > 0, "a first epoch record: " + console);
        first.interrupt("SIGTERM");
        runner.join(java.time.Duration.ofSeconds(90).toMillis());
        assertFalse(runner.isAlive(), console.toString());
        String log = console.toString();
        assertNotNull(interrupted[0], log);
        assertTrue(interrupted[0].results().stream().anyMatch(r -> r.state() == TrialState.INTERRUPTED), log);
        assertTrue(interrupted[0].results().stream().noneMatch(r -> r.state() == TrialState.FAILED), log);

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        StudyRunner.Outcome resumed = new StudyRunner(config, new RandomSampler(config.space(), 7),
                new PrintStream(again, true)).resume();
        String log2 = again.toString();
        assertNull(resumed.failure(), log2);
        assertTrue(log2.contains("runs again"), log2);
        assertEquals(2, resumed.results().size(), log2);
        Map<String, Integer> epochs = new HashMap<>();
        for (String line : Files.readAllLines(metrics)) {
            EpochMetrics m = ProtocolCodec.decodeEpochMetrics(line).value();
            epochs.merge(m.trialId(), 1, Integer::sum);
        }
        for (TrialResult r : resumed.results()) {
            assertEquals(TrialState.COMPLETED, r.state(), log2);
            assertEquals(4, r.epochs(), log2);
            assertEquals(4, epochs.get(r.trialId()), "one record per epoch in metrics.jsonl: " + epochs);
        }
    }
}
