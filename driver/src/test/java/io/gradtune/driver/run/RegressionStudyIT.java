package io.gradtune.driver.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.driver.search.RandomSampler;
import io.gradtune.driver.study.TrialResult;
import io.gradtune.driver.study.TrialState;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.ProtocolCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tiny regression study end to end: Spark local[2], an embedded KRaft broker, real DL4J training on the shipped
 * Friedman #1 data; the best trial's validation R², as it came through Kafka, is well above chance (0).
 */
class RegressionStudyIT {

    @TempDir
    Path dir;

    @Test
    void aSmallRegressionStudyLearnsTheTarget() throws Exception {
        Path data = Path.of("../data/friedman1.csv").toAbsolutePath().normalize();
        Path cfg = dir.resolve("reg.yaml");
        Files.writeString(cfg, """
                study: it-regression
                objective: {metric: val_r2}
                data: {source: %s, task: regression, label_column: y, split: {train: 0.6, validation: 0.2}, seed: 0}
                search: {algorithm: random, max_trials: 3, seed: 7}
                space:
                  learning_rate: {type: float, low: 5.0e-3, high: 2.0e-2, log: true}
                  units: {type: int, low: 24, high: 64, log: true}
                  activation: {type: categorical, values: [tanh, gelu]}
                training: {epochs: 8, batch_size: 32, optimizer: adam, layers: 1}
                early_stopping: {asha: false, median: false}
                spark: {master: "local[2]"}
                """.formatted(data));
        StudyConfig config = StudyConfigLoader.load(cfg).withOutputDir(dir.resolve("runs"));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        StudyRunner.Outcome outcome = new StudyRunner(config, new RandomSampler(config.space(), 7),
                new PrintStream(console, true)).run();
        assertNull(outcome.failure(), console.toString());

        List<TrialResult> results = outcome.results();
        assertEquals(3, results.size(), console.toString());
        assertTrue(results.stream().allMatch(r -> r.state() == TrialState.COMPLETED), console.toString());
        TrialResult best = outcome.leaderboard().best();
        assertNotNull(best, console.toString());
        assertTrue(best.valR2() > 0.6, "best val_r2 " + best.valR2() + "\n" + console);
        assertEquals(best.valR2(), best.objective());
        assertTrue(Double.isNaN(best.valAccuracy()));
        assertEquals("HEALTHY", best.diagnosisName(), console.toString());

        for (String line : Files.readAllLines(outcome.runDir().resolve("metrics.jsonl"))) {
            EpochMetrics m = ProtocolCodec.decodeEpochMetrics(line).value();
            assertNotNull(m.valR2(), line);
            assertNotNull(m.valMae(), line);
        }
        List<String> csv = Files.readAllLines(outcome.runDir().resolve("trials.csv"));
        assertTrue(csv.get(0).contains(",val_mae,val_r2,"), csv.get(0));
        assertTrue(console.toString().contains("exports: trials.parquet (3 trials), epochs.parquet"), console.toString());
        assertTrue(Files.readString(outcome.runDir().resolve("leaderboard.txt")).contains("val_r2"));
        JsonNode study = new ObjectMapper().readTree(outcome.runDir().resolve("study.json").toFile());
        assertEquals(best.valR2(), study.path("best").path("valR2").asDouble(), 1e-12);
        assertTrue(study.path("best").path("valMse").asDouble() > 0);
    }
}
