package io.gradtune.worker.bench;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TrialSpeedBenchmark#main}'s command line, the one {@code gradtune bench trial} also uses. */
class TrialSpeedBenchmarkCommandTest {

    @Test
    void parsesTheDirectInvocationOfTheClassJavadoc() {
        TrialSpeedBenchmark.Command c = new TrialSpeedBenchmark.Command();
        new CommandLine(c).parseArgs("--data", "data/digits.csv", "--trials", "5", "--param", "optimizer=nadam",
                "--param", "batch_norm=true", "--seed", "7");
        TrialSpeedBenchmark.Config config = c.config();
        assertEquals(5, config.trials());
        assertEquals(7L, config.seed());
        assertEquals("nadam", config.params().get("optimizer"));
        assertEquals(true, config.params().get("batch_norm"));
        assertEquals(64, config.params().get("batch_size"));
    }

    @Test
    void badValuesAreUsageErrors() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new TrialSpeedBenchmark.Command()).setErr(new PrintWriter(err));
        assertEquals(CommandLine.ExitCode.USAGE, cl.execute("--stats", "sometimes"));
        assertTrue(err.toString().contains("stats must be on, off or both"), err.toString());
        assertEquals(CommandLine.ExitCode.USAGE, cl.execute("--param", "novalue"));
        assertEquals(CommandLine.ExitCode.USAGE, cl.execute("--epochs", "many"));
    }
}
