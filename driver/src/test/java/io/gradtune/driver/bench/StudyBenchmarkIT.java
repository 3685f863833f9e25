package io.gradtune.driver.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradtune.driver.cli.Gradtune;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench study} for real: one run of a 2-trial x 1-epoch digits study, started through the repository's
 * {@code gradtune} launcher in its own JVM (the jars {@code verify} has just packaged), and the shape of its report.
 */
class StudyBenchmarkIT {

    @TempDir
    Path dir;

    @Test
    void oneRunOfATinyStudyInAChildJvm() throws Exception {
        Path digits = Path.of("../data/digits.csv").toAbsolutePath().normalize();
        Path cfg = dir.resolve("tiny.yaml");
        Files.writeString(cfg, """
                study: tiny
                objective: {metric: val_accuracy, direction: maximize}
                data: {source: %s, label_column: label, split: {train: 0.6, validation: 0.2}, scaling: minmax, seed: 0}
                search: {algorithm: random, max_trials: 2, seed: 7}
                space:
                  learning_rate: {type: float, low: 1.0e-3, high: 1.0e-2, log: true}
                  units: {type: int, low: 16, high: 64, log: true}
                training: {epochs: 1, batch_size: 64, optimizer: adam}
                early_stopping: none
                spark: {master: "local[2]"}
                refit: {enabled: false}
                """.formatted(digits));
        Path launcher = Path.of("../gradtune").toAbsolutePath().normalize();
        StudyBenchmark.Options o = new StudyBenchmark.Options(cfg, 1, dir.resolve("out"), launcher);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        List<StudyBenchmark.Run> runs = StudyBenchmark.run(o, new PrintStream(console, true, StandardCharsets.UTF_8));

        assertEquals(1, runs.size());
        StudyBenchmark.Run r = runs.get(0);
        String log = Files.readString(dir.resolve("out/tiny-r1.log"));
        assertEquals(Gradtune.EXIT_OK, r.exitCode(), log);
        assertEquals(2, r.trials(), log);
        assertEquals(2, r.epochs(), log);
        assertTrue(r.wallSeconds() > 0 && r.cpuSeconds() > 0, r.toString());
        assertTrue(r.peakRssMegabytes() > 50, "a JVM's peak resident set: " + r);
        assertTrue(r.startupSeconds() > 0 && r.teardownSeconds() >= 0 && r.startupSeconds() < r.wallSeconds(),
                r.toString());
        assertEquals(r.startupSeconds() + r.teardownSeconds(), r.fixedCostSeconds(), 1e-9);
        assertTrue(Files.isRegularFile(dir.resolve("out/tiny-r1/journal.jsonl")));
        assertTrue(console.toString(StandardCharsets.UTF_8).startsWith("run 1"), console.toString());

        String[] lines = StudyBenchmark.report(o, runs).split("\\R");
        JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertEquals("study", json.get("benchmark").asText());
        assertEquals(1, json.get("runs").size());
        for (String figure : StudyBenchmark.FIGURES.keySet()) {
            assertTrue(json.get("median").has(figure), figure);
            assertTrue(json.get("runs").get(0).has(figure), figure);
        }
        assertEquals(r.wallSeconds(), json.get("median").get("wallSeconds").asDouble(), 1e-9);
    }
}
