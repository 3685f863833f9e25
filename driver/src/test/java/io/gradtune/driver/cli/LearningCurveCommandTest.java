package io.gradtune.driver.cli;

import io.gradtune.driver.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input to {@code learning-curve}: exit 2, checked before anything starts, nothing written. */
class LearningCurveCommandTest {

    @TempDir
    Path dir;

    @Test
    void notARunDirectory() {
        Cli c = Cli.run("learning-curve", dir.toString());
        assertEquals(2, c.code(), c.out() + c.err());
        assertTrue(c.err().contains("not a run directory"), c.err());
    }

    @Test
    void fractionsOutsideTheUnitInterval() {
        for (String bad : new String[]{"0,0.5,1", "0.5,1.5", "1.0"}) {
            Cli c = Cli.run("learning-curve", dir.toString(), "--fractions", bad);
            assertEquals(2, c.code(), c.out() + c.err());
            assertTrue(c.err().contains("--fractions"), c.err());
        }
        Cli c = Cli.run("learning-curve", dir.toString(), "--epochs", "0");
        assertEquals(2, c.code(), c.err());
        assertTrue(c.err().contains("--epochs"), c.err());
    }

    /** A finished regression study (its journal's start and refit plan): not supported yet, exit 2, nothing trained. */
    @Test
    void aRegressionIsNotSupportedYet() throws Exception {
        Path config = Path.of("../configs/regression.yaml").toAbsolutePath().normalize();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.Map<String, Object> launch = java.util.Map.of("config_text", Files.readString(config),
                "config_file", config.toString(), "args", java.util.List.of(config.toString()));
        String start = json.writeValueAsString(java.util.Map.of("event", "study_started", "launch", launch));
        String plan = "{\"event\":\"refit_planned\",\"plan\":{\"trial\":\"t0001\",\"number\":1,\"params\":{},"
                + "\"seed\":1,\"epochs\":2,\"metric\":\"val_r2\",\"objective\":0.5,\"val_loss\":1.0,\"rates\":[]}}";
        Path run = Files.createDirectories(dir.resolve("regression"));
        Files.writeString(run.resolve("journal.jsonl"), start + "\n" + plan + "\n");
        Cli c = Cli.run("learning-curve", run.toString());
        assertEquals(2, c.code(), c.out() + c.err());
        assertTrue(c.err().contains("data.task") && c.err().contains("not supported yet"), c.err());
        assertFalse(Files.exists(run.resolve("learning-curve.json")));
    }

    @Test
    void noFinishedTrial() throws Exception {
        Files.writeString(dir.resolve("journal.jsonl"), "{\"event\":\"study_started\",\"launch\":{}}\n");
        Cli c = Cli.run("learning-curve", dir.toString());
        assertEquals(2, c.code(), c.out() + c.err());
        assertTrue(c.err().contains("no finished trial"), c.err());
        assertFalse(Files.exists(dir.resolve("learning-curve.json")));
    }
}
