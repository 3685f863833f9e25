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

    @Test
    void noFinishedTrial() throws Exception {
        Files.writeString(dir.resolve("journal.jsonl"), "{\"event\":\"study_started\",\"launch\":{}}\n");
        Cli c = Cli.run("learning-curve", dir.toString());
        assertEquals(2, c.code(), c.out() + c.err());
        assertTrue(c.err().contains("no finished trial"), c.err());
        assertFalse(Files.exists(dir.resolve("learning-curve.json")));
    }
}
