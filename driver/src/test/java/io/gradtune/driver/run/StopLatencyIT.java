package io.gradtune.driver.run;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.driver.search.RandomSampler;
import io.gradtune.driver.study.TrialResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11: a stop takes effect at once, also on a tiny dataset where an epoch is four mini-batches and takes
 * milliseconds (wine: 178 rows, 107 of them training, batch 32). Real Spark local mode, the embedded broker, DL4J;
 * the figure is the worker's own count of the mini-batches it trained after the epoch the stop was decided on.
 */
class StopLatencyIT {

    @TempDir
    Path dir;

    private StudyConfig config(String name, int trials, String earlyStopping) throws Exception {
        Path wine = Path.of("../data/wine.csv").toAbsolutePath().normalize();
        Path cfg = dir.resolve(name + ".yaml");
        Files.writeString(cfg, """
                study: %s
                objective: {metric: val_accuracy, direction: maximize}
                data: {source: %s, label_column: label, split: {train: 0.6, validation: 0.2}, scaling: standard, seed: 0}
                search: {algorithm: random, max_trials: %d, seed: 11}
                space:
                  learning_rate: {type: float, low: 1.0e-4, high: 3.0e-1, log: true}
                  units: {type: int, low: 4, high: 64, log: true}
                training: {epochs: 60, batch_size: 32, optimizer: adam}
                early_stopping: %s
                spark: {master: "local[2]"}
                """.formatted(name, wine, trials, earlyStopping));
        return StudyConfigLoader.load(cfg).withOutputDir(dir.resolve("runs"));
    }

    private static List<TrialResult> run(StudyConfig config, ByteArrayOutputStream console) throws Exception {
        StudyRunner.Outcome outcome = new StudyRunner(config, new RandomSampler(config.space(), 11),
                new PrintStream(console, true)).run();
        assertNull(outcome.failure(), console.toString());
        return outcome.results();
    }

    @Test
    void aPerTrialRuleStopsTheTrialWithoutAnotherMiniBatch() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        List<TrialResult> results = run(config("latency-own", 3, "{divergence: false, vanishing_gradients: false, "
                + "plateau: false, asha: false, exploding_gradients: {max_norm: 1.0e-9}}"), console);
        for (TrialResult r : results) {
            assertNotNull(r.stop(), r.toString());
            assertEquals(1, r.stop().epoch());
            assertEquals(1, r.epochs(), "no epoch after the decision: " + r);
            assertNotNull(r.stopLatency(), "the worker reports its mini-batches: " + r);
            assertEquals(0, r.stopLatency().batches(), r.toString());
        }
    }

    @Test
    void anAshaStopTakesEffectWithinOneMiniBatch() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        List<TrialResult> results = run(config("latency-asha", 8, "{divergence: false, vanishing_gradients: false, "
                + "exploding_gradients: false, plateau: false, asha: {min_epochs: 1, reduction_factor: 3}}"), console);
        List<TrialResult> asha = results.stream().filter(r -> r.stop() != null && r.stop().rule().equals("asha"))
                .toList();
        assertFalse(asha.isEmpty(), "ASHA stopped some of the 8 trials: " + console);
        StringBuilder seen = new StringBuilder();
        for (TrialResult r : asha) {
            seen.append(r.trialId()).append(" decided at ").append(r.stop().epoch()).append(": ")
                    .append(r.stopLatency()).append('\n');
        }
        System.out.println("[stop-latency] asha stops:\n" + seen);
        for (TrialResult r : asha) {
            assertNotNull(r.stopLatency(), seen.toString());
            assertTrue(r.stopLatency().batches() <= 1, seen.toString());
        }
    }
}
