package io.gradtune.arbiter;

import io.gradtune.arbiter.examples.ArbiterDigitsMlp;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.driver.run.StudyRunner;
import io.gradtune.driver.search.Samplers;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real study whose model is an Arbiter space: Spark local[2], the embedded KRaft broker, DL4J on the shipped digits
 * data. gradtune's TPE sampler searches the space's parameters; every trial's network is the space's value for them
 * (its depth is the sampled {@code layer_0.numLayers}) and streams per-layer statistics for each of its layers.
 */
class ArbiterStudyIT {

    @TempDir
    Path dir;

    @Test
    void anArbiterSpaceIsSearchedAndTrainedEndToEndThroughKafka() throws Exception {
        Path digits = Path.of("../data/digits.csv").toAbsolutePath().normalize();
        Path cfg = dir.resolve("arbiter-it.yaml");
        Files.writeString(cfg, """
                study: arbiter-it
                objective: {metric: val_accuracy, direction: maximize}
                data: {source: %s, label_column: label, split: {train: 0.6, validation: 0.2}, scaling: standard, seed: 0}
                model: {class: %s}
                search: {algorithm: tpe, max_trials: 4, seed: 5}
                space:
                  batch_size: {type: categorical, values: [32, 64]}
                training: {epochs: 4}
                early_stopping: none
                spark: {master: "local[2]"}
                """.formatted(digits, ArbiterDigitsMlp.class.getName()));
        StudyConfig config = StudyConfigLoader.load(cfg).withOutputDir(dir.resolve("runs"));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        StudyRunner.Outcome outcome = new StudyRunner(config, Samplers.create(config.search().algorithm(), config.space(),
                config.search().seed(), config.search().options()),
                new PrintStream(console, true)).run();
        assertNull(outcome.failure(), console.toString());

        List<TrialResult> results = outcome.results();
        assertEquals(4, results.size(), console.toString());
        assertTrue(results.stream().allMatch(r -> r.state() == TrialState.COMPLETED), console.toString());

        Map<String, List<EpochMetrics>> byTrial = new HashMap<>();
        for (String line : Files.readAllLines(outcome.runDir().resolve("metrics.jsonl"))) {
            EpochMetrics m = ProtocolCodec.decodeEpochMetrics(line).value();
            byTrial.computeIfAbsent(m.trialId(), k -> new ArrayList<>()).add(m);
        }
        for (TrialResult r : results) {
            Map<String, Object> p = r.params();
            for (String name : List.of("learning_rate", "l2", "layer_0.nOut", "layer_0.activationFunction",
                    "layer_0.numLayers", "batch_size")) {
                assertTrue(p.containsKey(name), name + " in " + p);
            }
            double lr = ((Number) p.get("learning_rate")).doubleValue();
            assertTrue(lr >= 1e-4 && lr <= 3e-2, p.toString());
            int depth = ((Number) p.get("layer_0.numLayers")).intValue();
            List<EpochMetrics> curve = byTrial.get(r.trialId());
            assertEquals(4, curve.size(), "one record per epoch for " + r.trialId());
            for (EpochMetrics m : curve) {
                assertEquals(depth + 1, m.layers().size(), "dense layers + output of " + p + ": " + m.layers());
                for (LayerStats l : m.layers()) {
                    assertTrue(l.allFinite() && l.gradL2() > 0 && l.weightL2() > 0, l.toString());
                }
            }
        }
        assertTrue(outcome.leaderboard().best().valAccuracy() >= 0.85, console.toString());
        String csv = Files.readString(outcome.runDir().resolve("trials.csv"));
        assertTrue(csv.contains("layer_0.numLayers"), csv);
    }
}
