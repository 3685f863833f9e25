package io.gradtune.driver.run;

import io.gradtune.driver.testing.DigitsStudy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.driver.search.RandomSampler;
import io.gradtune.driver.stream.MetricsSink;
import io.gradtune.driver.study.TrialResult;
import io.gradtune.driver.study.TrialState;
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
 * A small real study: Spark local[2], an embedded KRaft broker, DL4J on the shipped digits data. Everything the
 * driver reports must have come through Kafka.
 */
class LocalStudyIT {

    @TempDir
    Path dir;

    @Test
    void smallRandomStudyOnDigitsRunsEndToEndThroughKafka() throws Exception {
        Path digits = Path.of("../data/digits.csv").toAbsolutePath().normalize();
        Path cfg = dir.resolve("it.yaml");
        Files.writeString(cfg, """
                study: it-local
                objective: {metric: val_accuracy, direction: maximize}
                data: {source: %s, label_column: label, split: {train: 0.6, validation: 0.2}, scaling: standard, seed: 0}
                search: {algorithm: random, max_trials: 4, seed: 7}
                space:
                  learning_rate: {type: float, low: 3.0e-3, high: 1.0e-2, log: true}
                  units: {type: int, low: 32, high: 128, log: true}
                  layers: {type: int, low: 1, high: 2}
                  activation: {type: categorical, values: [relu, tanh, gelu]}
                training: {epochs: 6, batch_size: 64, optimizer: adam}
                early_stopping: none
                spark: {master: "local[2]"}
                """.formatted(digits));
        StudyConfig config = StudyConfigLoader.load(cfg).withOutputDir(dir.resolve("runs"));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        StudyRunner.Outcome outcome = new StudyRunner(config, new RandomSampler(config.space(), 7),
                new PrintStream(console, true)).run();
        assertNull(outcome.failure(), console.toString());

        List<TrialResult> results = outcome.results();
        assertEquals(4, results.size(), console.toString());
        results.forEach(r -> assertTrue(r.state().isTerminal()));
        assertTrue(results.stream().allMatch(r -> r.state() == TrialState.COMPLETED), console.toString());

        Map<String, List<EpochMetrics>> byTrial = new HashMap<>();
        List<String> lines = Files.readAllLines(outcome.runDir().resolve("metrics.jsonl"));
        for (String line : lines) {
            EpochMetrics m = ProtocolCodec.decodeEpochMetrics(line).value();
            byTrial.computeIfAbsent(m.trialId(), k -> new ArrayList<>()).add(m);
        }
        assertEquals(lines.size(), outcome.records().accepted());
        assertEquals(0, outcome.records().duplicates());
        for (TrialResult r : results) {
            List<EpochMetrics> curve = byTrial.get(r.trialId());
            assertEquals(6, curve.size(), "one record per epoch for " + r.trialId());
            for (int i = 0; i < curve.size(); i++) {
                assertEquals(i + 1, curve.get(i).epoch(), "epoch order of " + r.trialId());
                assertEquals("driver", curve.get(i).executorId(), "local mode: the driver JVM is the executor");
                assertFalse(curve.get(i).host().isBlank(), curve.get(i).toString());
                for (LayerStats l : curve.get(i).layers()) {
                    assertTrue(l.allFinite(), l.toString());
                    assertTrue(l.gradL2() > 0 && l.gradMeanAbs() > 0 && l.updateRatio() > 0 && l.weightL2() > 0, l.toString());
                }
            }
        }

        List<TrialResult> ranked = outcome.leaderboard().ranked();
        for (int i = 1; i < ranked.size(); i++) {
            assertTrue(ranked.get(i - 1).objective() >= ranked.get(i).objective(), "leaderboard sorted");
        }
        assertTrue(outcome.leaderboard().best().valAccuracy() >= 0.90, console.toString());

        List<String> csv = Files.readAllLines(outcome.runDir().resolve("trials.csv"));
        assertTrue(csv.get(0).startsWith("trial_id,state,objective,val_accuracy,val_loss,"), csv.get(0));
        assertEquals(5, csv.size());
        assertTrue(Files.readString(outcome.runDir().resolve("leaderboard.txt")).contains(outcome.leaderboard().best().trialId()));
        JsonNode study = new ObjectMapper().readTree(outcome.runDir().resolve("study.json").toFile());
        assertEquals(4, study.path("totals").path("trials").asInt());
        assertEquals(24, study.path("totals").path("epochsTrained").asInt());
        assertTrue(study.path("versions").path("dl4j").asText().startsWith("1.0.0"));
        assertEquals(7, study.path("seeds").path("search").asLong());
        assertEquals("finished", study.path("status").asText());
        JsonNode provenance = study.path("provenance");
        assertTrue(provenance.path("gitCommit").asText().matches("[0-9a-f]{40}|unknown"), provenance.toString());
        assertTrue(provenance.path("training").path("effective").isObject(), provenance.toString());
        assertTrue(provenance.path("data").toString().matches(".*[0-9a-f]{64}.*"), provenance.toString());
    }

    /** The digits study of {@link #smallRandomStudyOnDigitsRunsEndToEndThroughKafka}, other settings. */
    private StudyConfig config(String name, int trials, int epochs, String earlyStopping) {
        Path cfg = DigitsStudy.named(name).trials(trials).epochs(epochs).seed(7).batchSize(32)
                .earlyStopping(earlyStopping).write(dir);
        return StudyConfigLoader.load(cfg).withOutputDir(dir.resolve("runs"));
    }

    /**
     * A stopping rule's decision goes all the way: the record arrives through Kafka, the rule stops the trial, the
     * driver cancels its Spark job group, the worker stops within a mini-batch, and the trial is PRUNED with the
     * rule's reason. A {@code max_norm} far below any real gradient makes the exploding-gradients rule fire on
     * epoch 1; had the cancel not reached the worker, it would have trained (and reported) all 400 epochs.
     */
    @Test
    void aStopDecisionCancelsTheTrialsSparkJobAndPrunesIt() throws Exception {
        StudyConfig config = config("it-prune", 2, 400, "{divergence: false, vanishing_gradients: false, "
                + "plateau: false, asha: false, exploding_gradients: {max_norm: 1.0e-9}}");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        StudyRunner.Outcome outcome = new StudyRunner(config, new RandomSampler(config.space(), 7),
                new PrintStream(console, true)).run();

        assertNull(outcome.failure(), console.toString());
        assertEquals(2, outcome.results().size(), console.toString());
        for (TrialResult r : outcome.results()) {
            assertEquals(TrialState.PRUNED, r.state(), console.toString());
            assertEquals("exploding_gradients", r.stop().rule());
            assertEquals(1, r.stop().epoch());
            assertTrue(r.epochs() >= 1 && r.epochs() <= 3, "cancelled within a few epochs: " + r.epochs());
        }
        assertNull(outcome.leaderboard().best());
        String csv = Files.readString(outcome.runDir().resolve("trials.csv"));
        assertTrue(csv.contains("PRUNED") && csv.contains("exploding_gradients@1"), csv);
    }

    /**
     * If the metrics consumer dies, the study fails loudly instead of waiting for records that never come: no new
     * trials, the running ones cancelled, study.json says failed and why, and the outcome carries the reason (exit 1).
     */
    @Test
    void aDeadMetricsConsumerFailsTheStudyLoudly() throws Exception {
        StudyConfig config = config("it-dead-consumer", 6, 400, "none");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        StudyRunner.Outcome outcome = new StudyRunner(config, new RandomSampler(config.space(), 7),
                new PrintStream(console, true), sink -> new MetricsSink() {
                    @Override
                    public void accept(EpochMetrics m, String raw) {
                        throw new IllegalStateException("injected sink failure");
                    }
                }).run();

        assertNotNull(outcome.failure(), console.toString());
        assertTrue(outcome.failure().contains("injected sink failure"), outcome.failure());
        assertTrue(outcome.results().size() < 6, "no new trials after the failure: " + outcome.results().size());
        for (TrialResult r : outcome.results()) {
            assertEquals(TrialState.FAILED, r.state(), console.toString());
        }
        JsonNode study = new ObjectMapper().readTree(outcome.runDir().resolve("study.json").toFile());
        assertEquals("failed", study.path("status").asText());
        assertTrue(study.path("failure").asText().contains("injected sink failure"), study.toString());
    }
}
