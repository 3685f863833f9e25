package io.gradtune.driver.cli;

import io.gradtune.driver.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradtuneCliTest {

    @TempDir
    Path dir;

    @Test
    void badConfigExitsWithTwoAndStartsNothing() throws Exception {
        Path cfg = dir.resolve("bad.yaml");
        Files.writeString(cfg, "study: x\nbogus: 1\n");
        Cli r = Cli.run("run", cfg.toString(), "--output", dir.resolve("runs").toString());
        String err = r.err();
        assertEquals(2, r.code());
        assertTrue(err.contains("bad.yaml"), err);
        assertFalse(Files.exists(dir.resolve("runs")), "no run directory may be created for a bad config");
    }

    @Test
    void runIntoARunDirectoryThatHoldsAStudyExitsWithTwoAndLeavesItAlone() throws Exception {
        Path run = dir.resolve("runs").resolve("old");
        Files.createDirectories(run);
        Files.writeString(run.resolve("trials.csv"), "the old study");
        Cli r = Cli.run("run", "../configs/quickstart.yaml", "--output",
                dir.resolve("runs").toString(), "--study", "old");
        String err = r.err();
        assertEquals(2, r.code());
        assertTrue(err.contains("./gradtune resume " + run) && err.contains("--overwrite"), err);
        assertEquals("the old study", Files.readString(run.resolve("trials.csv")));
        try (var files = Files.list(run)) {
            assertEquals(1, files.count(), "no lock, no metrics.jsonl: nothing written");
        }
    }

    @Test
    void resumeOfADirectoryWithoutAJournalExitsWithTwo() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        Cli r = Cli.run("resume", dir.resolve("empty").toString());
        String err = r.err();
        assertEquals(2, r.code());
        assertTrue(err.contains("nothing to resume"), err);
    }

    @Test
    void missingConfigFileExitsWithTwo() {
        Cli r = Cli.run("validate", dir.resolve("nope.yaml").toString());
        String err = r.err();
        assertEquals(2, r.code());
        assertTrue(err.contains("config file not found"), err);
    }

    @Test
    void unknownOptionIsAUsageErrorWithExitTwo() {
        assertEquals(2, Gradtune.execute("run", "--no-such-option", "x.yaml"));
    }

    @Test
    void overrideOutOfRangeExitsWithTwo() {
        Cli r = Cli.run("validate", "../configs/quickstart.yaml", "--max-trials", "0");
        String err = r.err();
        assertEquals(2, r.code());
        assertTrue(err.contains("--max-trials"), err);
    }

    @Test
    void aMasterOverrideWhoseFailureLimitDisagreesWithMaxAttemptsExitsWithTwo() {
        Cli r = Cli.run("validate", "../configs/quickstart.yaml",
                "--master", "local[2,5]");
        String err = r.err();
        assertEquals(2, r.code());
        assertTrue(err.contains("--master") && err.contains("spark.max_attempts"), err);
        assertEquals(0, Gradtune.execute("validate", "../configs/quickstart.yaml", "--master", "local[2,2]"));
    }

    @Test
    void validateAcceptsTheQuickstart() {
        assertEquals(0, Gradtune.execute("validate", "../configs/quickstart.yaml"));
    }

    @Test
    void algorithmOverrideIsCheckedAndApplied() {
        Cli ok = Cli.run("validate", "../configs/digits-bayesian.yaml", "--algorithm", "random");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("random search"), ok.out());

        Cli r = Cli.run("validate", "../configs/quickstart.yaml", "--algorithm", "hyperband");
        String err = r.err();
        assertEquals(2, r.code());
        assertTrue(err.contains("--algorithm") && err.contains("hyperband") && err.contains("tpe"), err);
    }

    @Test
    void warmStartOverrideNeedsARunDirectoryWithTrialsCsv() throws Exception {
        Cli r = Cli.run("validate", "../configs/quickstart.yaml",
                "--warm-start", dir.toString());
        String err = r.err();
        assertEquals(2, r.code());
        assertTrue(err.contains("--warm-start") && err.contains("trials.csv"), err);

        Files.writeString(dir.resolve("trials.csv"), "trial_id,state,objective\n");
        assertEquals(0, Gradtune.execute("validate", "../configs/quickstart.yaml", "--warm-start", dir.toString()));
    }

    /** {@code --master} is checked against {@code training.workers} too: a local master with too few slots exits 2. */
    @Test
    void aMasterOverrideWithFewerSlotsThanTrainingWorkersExitsWithTwo() {
        Cli ok = Cli.run("validate", "../configs/bench-data-parallel.yaml");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("training: data-parallel trials, 2 workers each")
                && ok.out().contains("1 trial(s) at a time on local[2]"), ok.out());
        Cli r = Cli.run("validate", "../configs/bench-data-parallel.yaml", "--master", "local[1]");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("--master") && r.err().contains("local[1] offers 1")
                && r.err().contains("training.workers"), r.err());
    }

    @Test
    void validateTakesSeveralFilesReportsEachAndExitsTwoIfAnyIsInvalid() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "study: x\nbogus: 1\n");
        Cli r = Cli.run("validate", "../configs/quickstart.yaml", bad.toString(), "../configs/gradients-demo.yaml");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.out().contains("../configs/quickstart.yaml: OK"), r.out());
        assertTrue(r.out().contains("../configs/gradients-demo.yaml: OK"), r.out());
        assertTrue(r.err().contains(bad + ": INVALID — field 'data'"), r.err());
        assertTrue(r.err().contains("2 of 3 configs valid; invalid: " + bad), r.err());

        Cli ok = Cli.run("validate", "../configs/quickstart.yaml", "../configs/gradients-demo.yaml");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("2 of 2 configs valid"), ok.out());
    }

    @Test
    void validatePrintsAReadableSpaceNotRecordDumps() {
        Cli r = Cli.run("validate", "../configs/quickstart.yaml");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("learning_rate  float        [1e-4, 0.03] log"), r.out());
        assertTrue(r.out().contains("activation     categorical  {sigmoid, tanh, relu, leakyrelu, elu, gelu}"), r.out());
        assertFalse(r.out().contains("FloatParameter[") || r.out().contains("condition=null"), r.out());
    }
}
