package io.gradtune.driver.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void aLiveHoldersLockIsRefusedAndReleasedOnClose() {
        Path run = dir.resolve("study");
        try (RunDirectory.Lock held = RunDirectory.lock(run, note -> { })) {
            RunDirectory.LockedException e = assertThrows(RunDirectory.LockedException.class,
                    () -> RunDirectory.lock(run, note -> { }));
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
        }
        assertFalse(Files.exists(run.resolve(RunDirectory.LOCK)));
        RunDirectory.lock(run, note -> { }).close();
    }

    @Test
    void aDeadProcesssLockOnThisHostIsTakenOverWithANote() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Path run = dir.resolve("study");
        Files.createDirectories(run);
        Files.writeString(run.resolve(RunDirectory.LOCK), "{\"pid\":" + dead.pid() + ",\"host\":\""
                + RunDirectory.hostName() + "\",\"started\":\"\"}");
        List<String> notes = new ArrayList<>();
        RunDirectory.lock(run, notes::add).close();
        assertEquals(1, notes.size());
        assertTrue(notes.get(0).contains("process " + dead.pid()) && notes.get(0).contains("gone"), notes.get(0));
    }

    @Test
    void aLockFromAnotherHostIsRefused() throws Exception {
        Path run = dir.resolve("study");
        Files.createDirectories(run);
        Files.writeString(run.resolve(RunDirectory.LOCK), "{\"pid\":1,\"host\":\"elsewhere.invalid\",\"started\":\"\"}");
        assertThrows(RunDirectory.LockedException.class, () -> RunDirectory.lock(run, note -> { }));
    }

    @Test
    void contentIsAnythingButTheLockAndClearKeepsTheLock() throws Exception {
        Path run = dir.resolve("study");
        assertFalse(RunDirectory.hasContent(run));
        try (RunDirectory.Lock lock = RunDirectory.lock(run, note -> { })) {
            assertFalse(RunDirectory.hasContent(run));
            Files.writeString(run.resolve("trials.csv"), "x");
            Files.createDirectories(run.resolve("sub"));
            Files.writeString(run.resolve("sub/f"), "y");
            Files.writeString(run.resolve(".trials.csv.123-4.tmp"), "z");
            Files.createDirectories(run.resolve(".epochs.parquet.123-5.tmp")); // a killed Parquet export's Spark output
            Files.writeString(run.resolve(".epochs.parquet.123-5.tmp/part-00000.parquet"), "p");
            assertTrue(RunDirectory.hasContent(run));
            assertEquals(2, RunDirectory.removeTempFiles(run));
            assertFalse(Files.exists(run.resolve(".epochs.parquet.123-5.tmp")));
            RunDirectory.clear(run);
            assertFalse(RunDirectory.hasContent(run));
            assertTrue(Files.exists(run.resolve(RunDirectory.LOCK)));
        }
    }
}
