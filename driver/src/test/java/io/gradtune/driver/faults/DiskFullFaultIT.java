package io.gradtune.driver.faults;

import io.gradtune.driver.testing.DigitsStudy;
import io.gradtune.driver.journal.Journal;
import io.gradtune.driver.testing.DriverProcess;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full disk under the run directory, for real: the run directory is a tmpfs of 96 KiB, which a study of 8 trials
 * x 6 epochs on digits fills part way. The driver (its own JVM) must stop in order (no new trials, exit 1, a message
 * naming the directory and saying to free space and resume, no stack trace from a trial's thread), keep what the
 * journal holds, and once there is room (the tmpfs grown to 64 MiB) {@code resume} must finish the study with the
 * proposals of an uninterrupted one, no trial twice.
 *
 * <p>Mounting needs root (CAP_SYS_ADMIN): where {@code mount -t tmpfs} is refused the test is skipped, and
 * {@code run.StorageFailureTest} covers the same handling with simulated write failures.
 */
class DiskFullFaultIT {

    private static final Duration START = Duration.ofMinutes(3);
    private static final int TRIALS = 8;
    private static final int EPOCHS = 6;

    @TempDir
    Path dir;

    private Path disk;
    private boolean mounted;

    @BeforeEach
    void mountSmallTmpfs() throws Exception {
        disk = Files.createDirectories(dir.resolve("disk"));
        mounted = exec("mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", disk.toString()) == 0;
        Assumptions.assumeTrue(mounted, "cannot mount a tmpfs here (needs root); StorageFailureTest simulates it");
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            exec("umount", "-l", disk.toString());
        }
    }

    @Test
    void aFullDiskStopsTheStudyInOrderAndResumeFinishesItOnceThereIsRoom() throws Exception {
        Path cfg = config("fault-disk");
        Path run = disk.resolve("fault-disk");
        int exit;
        String console;
        try (DriverProcess p = DriverProcess.start(dir.resolve("full.log"), List.of(), "run", cfg.toString(),
                "--output", disk.toString())) {
            exit = p.waitFor(START);
            console = p.console();
        }
        assertEquals(1, exit, console);
        assertTrue(console.contains("cannot write the run directory") || console.contains("cannot write the reports"),
                console);
        assertTrue(console.contains("./gradtune resume " + run), console);
        assertTrue(!console.contains("Exception in thread"), "no trial thread died with a stack trace:\n" + console);
        int finishedWhenFull = (int) Journal.read(run.resolve(Journal.FILE)).stream()
                .filter(e -> e.path("event").asText().equals("trial_finished")).count();
        assertTrue(finishedWhenFull < TRIALS, "the disk filled before the study ended: " + finishedWhenFull);

        assertEquals(0, exec("mount", "-o", "remount,size=64m", disk.toString()), "grow the tmpfs");
        int resumed;
        try (DriverProcess p = DriverProcess.start(dir.resolve("resume.log"), List.of(), "resume", run.toString())) {
            resumed = p.waitFor(START);
            console = p.console();
        }
        assertEquals(0, resumed, console);
        List<CSVRecord> rows = DriverKillFaultIT.rows(run);
        Set<String> ids = new HashSet<>();
        int duplicated = 0;
        int epochs = 0;
        for (CSVRecord r : rows) {
            duplicated += ids.add(r.get("trial_id")) ? 0 : 1;
            epochs += Integer.parseInt(r.get("epochs"));
        }
        long lines = Files.readAllLines(run.resolve("metrics.jsonl")).size();
        System.out.printf("[fault] disk-full | injected=1 | survived=%d | records_lost=%d | trials_duplicated=%d%n",
                resumed == 0 && rows.size() == TRIALS ? 1 : 0, TRIALS * EPOCHS - epochs, duplicated);
        assertEquals(TRIALS, rows.size());
        assertEquals(0, duplicated);
        assertEquals(TRIALS * EPOCHS, epochs, "every trial's whole curve");
        assertTrue(lines >= TRIALS * EPOCHS, "metrics.jsonl holds every epoch: " + lines);
        assertEquals(DriverKillFaultIT.reference(cfg), DriverKillFaultIT.assignments(rows));
    }

    private Path config(String study) {
        return DigitsStudy.named(study).trials(TRIALS).epochs(EPOCHS).batchSize(32).write(dir);
    }

    private static int exec(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
