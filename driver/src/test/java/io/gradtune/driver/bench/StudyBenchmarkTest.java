package io.gradtune.driver.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link StudyBenchmark}'s readers and summary on tiny inputs; the real runs are {@code StudyBenchmarkIT}'s. */
class StudyBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void childrenCpuSecondsAreCutimePlusCstimeInTicks() {
        // pid (comm with ") spaces") state ppid ... field 14 utime, 15 stime, 16 cutime, 17 cstime
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194304 100 0 0 0 500 60 1234 66 20 0 40 0 100 0";
        assertEquals(13.0, ProcessMeasures.childrenCpuSeconds(stat), 1e-9);
    }

    @Test
    void peakResidentIsVmHwmInBytes() {
        String status = "Name:\tjava\nVmPeak:\t 9000 kB\nVmHWM:\t  2048 kB\nVmRSS:\t 1024 kB\n";
        assertEquals(2048 * 1024.0, ProcessMeasures.peakResidentBytes(status));
        assertTrue(Double.isNaN(ProcessMeasures.peakResidentBytes("Name:\tx\n")));
        assertTrue(ProcessMeasures.peakResidentBytes(ProcessHandle.current().pid()) > 0, "this JVM's own VmHWM");
    }

    @Test
    void threadCpuIsSplitByTheJvmThreadNames() {
        String stat = "77 (C2 CompilerThre) S 1 4242 4242 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 40 0 100 0";
        assertEquals("C2 CompilerThre", ThreadCpu.name(stat));
        assertEquals(300, ThreadCpu.ticks(stat));
        assertEquals(ThreadCpu.Kind.JIT, ThreadCpu.kind("C1 CompilerThre"));
        assertEquals(ThreadCpu.Kind.GC, ThreadCpu.kind("GC Thread#3"));
        assertEquals(ThreadCpu.Kind.GC, ThreadCpu.kind("G1 Conc#0"));
        assertEquals(ThreadCpu.Kind.TRIAL, ThreadCpu.kind("Executor task l"));
        assertEquals(ThreadCpu.Kind.OTHER, ThreadCpu.kind("kafka-request-h"));
        ThreadCpu none = new ThreadCpu(Long.MAX_VALUE);
        none.sample();
        assertTrue(Double.isNaN(none.split().all()), "no process: NaN");
        ThreadCpu self = new ThreadCpu(ProcessHandle.current().pid());
        self.sample();
        assertTrue(self.split().all() > 0, "this JVM's threads have used CPU");
    }

    @Test
    void journalTimesAreTheFirstStartAndTheLastEnd() throws IOException {
        Path j = dir.resolve("journal.jsonl");
        Files.writeString(j, """
                {"event":"study_started","at":"2026-01-01T00:00:00Z"}
                {"event":"trial_running","at":"2026-01-01T00:00:05.250Z","trial":"t0002"}
                {"event":"trial_running","at":"2026-01-01T00:00:04.500Z","trial":"t0001"}
                {"event":"trial_finished","at":"2026-01-01T00:00:09Z","trial":"t0001"}
                {"event":"trial_finished","at":"2026-01-01T00:00:08Z","trial":"t0002"}
                {"event":"study_ended","at":"2026-01-01T00:00:10Z"}
                {"event":"trial_fini""");
        JournalTimes t = JournalTimes.read(j);
        assertEquals(Instant.parse("2026-01-01T00:00:04.500Z"), t.firstTrialRunning());
        assertEquals(Instant.parse("2026-01-01T00:00:09Z"), t.lastTrialFinished());
        JournalTimes none = JournalTimes.read(dir.resolve("absent.jsonl"));
        assertNull(none.firstTrialRunning());
        assertNull(none.lastTrialFinished());
    }

    @Test
    void medianOfEveryFigureAndJsonShape() throws IOException {
        List<StudyBenchmark.Run> runs = List.of(run(1, 10), run(2, 30), run(3, 20));
        Map<String, Double> m = StudyBenchmark.median(runs);
        assertEquals(StudyBenchmark.FIGURES.keySet(), m.keySet());
        assertEquals(20.0, m.get("wallSeconds"));
        assertEquals(2.0, m.get("cpuSeconds") / m.get("wallSeconds"));
        Path launcher = Files.writeString(dir.resolve("gradtune"), "#!/bin/sh\n");
        launcher.toFile().setExecutable(true);
        StudyBenchmark.Options o = new StudyBenchmark.Options(Path.of("c.yaml"), 3, dir, launcher);
        String report = StudyBenchmark.report(o, runs);
        String[] lines = report.split("\\R");
        assertTrue(lines[0].startsWith("median  wall   20.0 s"), lines[0]);
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines[lines.length - 1]);
        assertEquals("study", json.get("benchmark").asText());
        assertEquals(3, json.get("runs").size());
        assertEquals(20.0, json.get("median").get("wallSeconds").asDouble());
        assertTrue(json.get("runs").get(0).has("peakRssMegabytes"));
        assertEquals(3.0, json.get("median").get("jitCpuSeconds").asDouble());
        assertTrue(lines[0].endsWith("cpu of JIT 3.0 s, GC 1.0 s, trials 20.0 s"), lines[0]);
    }

    @Test
    void optionsRefuseNoRunsAndAMissingLauncher() {
        assertThrows(IllegalArgumentException.class,
                () -> new StudyBenchmark.Options(Path.of("c.yaml"), 0, dir, dir.resolve("gradtune")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StudyBenchmark.Options(Path.of("c.yaml"), 1, dir, dir.resolve("nothing")));
        assertTrue(e.getMessage().contains("--launcher"), e.getMessage());
    }

    private static StudyBenchmark.Run run(int i, double wall) {
        return new StudyBenchmark.Run(i, 0, wall, 2 * wall, 700, 5, 1, 6, 2, 2, 2 / wall * 60, 2 / wall, 0.9,
                Map.of("COMPLETED", 2), "runs/x-r" + i, 3, 1, wall);
    }
}
