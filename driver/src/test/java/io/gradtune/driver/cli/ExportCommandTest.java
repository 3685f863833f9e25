package io.gradtune.driver.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code gradtune export}'s bad input: exit 2 naming what is wrong, before Spark starts (ParquetExportIT: the rest). */
class ExportCommandTest {

    @TempDir
    Path dir;

    @Test
    void aMissingDirectoryOrFileIsExitTwoNamingIt() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        try {
            assertEquals(Gradtune.EXIT_USAGE, Gradtune.execute("export", dir.resolve("nope").toString()));
            assertTrue(captured.toString().contains("nope is not a directory"), captured.toString());
            Files.writeString(dir.resolve("trials.csv"), "trial_id,state\n");
            assertEquals(Gradtune.EXIT_USAGE, Gradtune.execute("export", dir.toString()));
            assertTrue(captured.toString().contains(dir.resolve("metrics.jsonl") + " does not exist"),
                    captured.toString());
        } finally {
            System.setErr(err);
        }
    }
}
