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
    void runIntoARunDirectoryThatHoldsAStudyExitsWithTwoAndLeavesItAlone() throws Exception {
        Path run = dir.resolve("runs").resolve("old");
        Files.createDirectories(run);
        Files.writeString(run.resolve("trials.csv"), "the old study");
        int[] code = new int[1];
        String err = stderrOf(() -> code[0] = Gradtune.execute("run", "../configs/quickstart.yaml", "--output",
                dir.resolve("runs").toString(), "--study", "old"));
        assertEquals(2, code[0]);
        assertTrue(err.contains("./gradtune resume " + run) && err.contains("--overwrite"), err);
        assertEquals("the old study", Files.readString(run.resolve("trials.csv")));
        try (var files = Files.list(run)) {
            assertEquals(1, files.count(), "no lock, no metrics.jsonl: nothing written");
        }
    }

    @Test
    void resumeOfADirectoryWithoutAJournalExitsWithTwo() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        int[] code = new int[1];
        String err = stderrOf(() -> code[0] = Gradtune.execute("resume", dir.resolve("empty").toString()));
        assertEquals(2, code[0]);
        assertTrue(err.contains("nothing to resume"), err);
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
    void aMasterOverrideWhoseFailureLimitDisagreesWithMaxAttemptsExitsWithTwo() {
        int[] code = new int[1];
        String err = stderrOf(() -> code[0] = Gradtune.execute("validate", "../configs/quickstart.yaml",
                "--master", "local[2,5]"));
        assertEquals(2, code[0]);
        assertTrue(err.contains("--master") && err.contains("spark.max_attempts"), err);
        assertEquals(0, Gradtune.execute("validate", "../configs/quickstart.yaml", "--master", "local[2,2]"));
    }

    @Test
    void validateAcceptsTheQuickstart() {
        assertEquals(0, Gradtune.execute("validate", "../configs/quickstart.yaml"));
    }

    private String stdoutOf(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString();
    }

    @Test
    void algorithmOverrideIsCheckedAndApplied() {
        int[] code = new int[1];
        String out = stdoutOf(() -> code[0] = Gradtune.execute("validate", "../configs/digits-bayesian.yaml",
                "--algorithm", "random"));
        assertEquals(0, code[0]);
        assertTrue(out.contains("random search"), out);

        String err = stderrOf(() -> code[0] = Gradtune.execute("validate", "../configs/quickstart.yaml",
                "--algorithm", "hyperband"));
        assertEquals(2, code[0]);
        assertTrue(err.contains("--algorithm") && err.contains("hyperband") && err.contains("tpe"), err);
    }

    @Test
    void warmStartOverrideNeedsARunDirectoryWithTrialsCsv() throws Exception {
        int[] code = new int[1];
        String err = stderrOf(() -> code[0] = Gradtune.execute("validate", "../configs/quickstart.yaml",
                "--warm-start", dir.toString()));
        assertEquals(2, code[0]);
        assertTrue(err.contains("--warm-start") && err.contains("trials.csv"), err);

        Files.writeString(dir.resolve("trials.csv"), "trial_id,state,objective\n");
        assertEquals(0, Gradtune.execute("validate", "../configs/quickstart.yaml", "--warm-start", dir.toString()));
    }
}
