package io.gradtune.driver.cli;

import io.gradtune.driver.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --progress}: a value other than auto, line or plain is a usage error before anything starts. */
class ProgressOptionTest {

    @TempDir
    Path tmp;

    @Test
    void anUnknownProgressModeIsExitTwoAndStartsNothing() {
        Path out = tmp.resolve("runs");
        Cli run = Cli.run("run", "../configs/quickstart.yaml", "--output", out.toString(), "--progress", "fancy");
        assertEquals(2, run.code(), run.out() + run.err());
        assertTrue(run.err().contains("field '--progress': value 'fancy': expected one of auto, line, plain"),
                run.err());
        assertFalse(Files.exists(out), "nothing written");

        Cli resume = Cli.run("resume", tmp.toString(), "--progress", "colour");
        assertEquals(2, resume.code(), resume.out() + resume.err());
        assertTrue(resume.err().contains("'--progress': value 'colour'"), resume.err());
    }
}
