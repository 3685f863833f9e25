package io.gradtune.driver.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradtuneCliTest {

    @TempDir
    Path dir;

    private String stderrOf(Runnable r) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        try {
            r.run();
        } finally {
            System.setErr(old);
        }
        return buf.toString();
    }

    @Test
    void badConfigExitsWithTwoAndStartsNothing() throws Exception {
        Path cfg = dir.resolve("bad.yaml");
        Files.writeString(cfg, "study: x\nbogus: 1\n");
        int[] code = new int[1];
        String err = stderrOf(() -> code[0] = Gradtune.execute("run", cfg.toString(), "--output", dir.resolve("runs").toString()));
        assertEquals(2, code[0]);
        assertTrue(err.contains("bad.yaml"), err);
        assertFalse(Files.exists(dir.resolve("runs")), "no run directory may be created for a bad config");
    }

    @Test
    void missingConfigFileExitsWithTwo() {
        int[] code = new int[1];
        String err = stderrOf(() -> code[0] = Gradtune.execute("validate", dir.resolve("nope.yaml").toString()));
        assertEquals(2, code[0]);
        assertTrue(err.contains("config file not found"), err);
    }

    @Test
    void unknownOptionIsAUsageErrorWithExitTwo() {
        assertEquals(2, Gradtune.execute("run", "--no-such-option", "x.yaml"));
    }

    @Test
    void overrideOutOfRangeExitsWithTwo() {
        int[] code = new int[1];
        String err = stderrOf(() -> code[0] = Gradtune.execute("validate", "../configs/quickstart.yaml", "--max-trials", "0"));
        assertEquals(2, code[0]);
        assertTrue(err.contains("--max-trials"), err);
    }

    @Test
    void validateAcceptsTheQuickstart() {
        assertEquals(0, Gradtune.execute("validate", "../configs/quickstart.yaml"));
    }
}
