package io.gradtune.driver.bench;

import io.gradtune.worker.train.SyntheticWork;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code bench overhead}'s arithmetic on hand-made timestamps and its options' checks. */
class OverheadBenchmarkTest {

    private static final long MS = 1_000_000L;

    @Test
    void pairsTheIthEndWithTheStartItFreedASlotFor() {
        OverheadBenchmark.Options o = new OverheadBenchmark.Options(4, 1, 100, 2, Path.of("d.csv"), Path.of("out"));
        // slots: t1 0..100, t2 0..100; t3 starts 105 (5 ms after the first end), t4 starts 120 (20 ms after the second)
        List<SyntheticWork.Timing> t = List.of(
                new SyntheticWork.Timing("t1", 0, 0, 100 * MS, 100 * MS),
                new SyntheticWork.Timing("t2", 0, 0, 100 * MS, 100 * MS),
                new SyntheticWork.Timing("t3", 0, 105 * MS, 205 * MS, 100 * MS),
                new SyntheticWork.Timing("t4", 0, 120 * MS, 220 * MS, 100 * MS));
        OverheadBenchmark.Result r = OverheadBenchmark.result(o, t, 0.5, 4, null);
        assertEquals(0.2, r.idealSeconds(), 1e-12);
        assertEquals(0.22, r.phaseSeconds(), 1e-12);
        assertEquals(0.1, r.phaseOverhead(), 1e-9);
        assertEquals(1.5, r.runOverhead(), 1e-9);
        assertEquals(5.0, r.slotToWorkP50Millis(), 1e-9);
        assertEquals(20.0, r.slotToWorkP99Millis(), 1e-9);
    }

    @Test
    void rejectsEmptyLoads() {
        assertThrows(IllegalArgumentException.class,
                () -> new OverheadBenchmark.Options(0, 1, 1, 2, Path.of("d"), Path.of("o")));
        assertThrows(IllegalArgumentException.class,
                () -> new OverheadBenchmark.Options(1, 1, 1, 0, Path.of("d"), Path.of("o")));
    }

    @Test
    void theStudyHasNoStoppingRulesAndNoRefit() {
        String yaml = OverheadBenchmark.configText(
                new OverheadBenchmark.Options(3, 2, 10, 2, Path.of("/d/x.csv"), Path.of("/o")), Path.of("/o"));
        assertEquals(true, yaml.contains("early_stopping: none"));
        assertEquals(true, yaml.contains("refit: {enabled: false}"));
        assertEquals(true, yaml.contains("local[2]"));
    }

    @Test
    void nonWorkCpuIsTheProcessCpuBeyondTheSyntheticWorkPerTrial() {
        OverheadBenchmark.Options o = new OverheadBenchmark.Options(4, 2, 100, 2, Path.of("d.csv"), Path.of("out"));
        OverheadBenchmark.Result r = OverheadBenchmark.result(o, List.of(), 1.0, 4, null)
                .withCpu(1.2, java.util.Map.of("C2 CompilerThread#", 0.3));
        // 4 x 2 x 100 ms = 0.8 s of work; 0.4 s beyond it over 4 trials
        assertEquals(100.0, r.nonWorkCpuMillisPerTrial(), 1e-9);
        assertEquals(true, r.toJson().contains("\"thread_cpu_s\":{\"C2 CompilerThread#\":0.3}"), r.toJson());
    }

    @Test
    void threadCpuReadsNameAndTicksOfAStatLine() {
        // a name with spaces and parentheses; utime 250 and stime 50 ticks are fields 14 and 15
        String line = "4242 (C2 (x) Thread7) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0 1 0";
        assertEquals(3.0, ThreadCpu.parse(line).ticks() / 100.0, 1e-12);
        assertEquals("C2 (x) Thread7", ThreadCpu.parse(line).name());
        assertEquals("Executor task launch worker for task #.# in stage #.# (TID #)",
                ThreadCpu.group("Executor task launch worker for task 3.0 in stage 12.0 (TID 12)"));
    }

    @Test
    void threadCpuSeesThisJvmsThreads() throws InterruptedException {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(Path.of("/proc/self/task")));
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        Thread spinner = new Thread(() -> {
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ovh-test-spinner");
        spinner.start();
        try (ThreadCpu cpu = ThreadCpu.start()) {
            cpu.close();
            assertEquals(true, cpu.byGroup().containsKey("ovh-test-spinne"), cpu.byGroup().toString());
            assertEquals(true, cpu.processSeconds() >= 0, "process CPU since start");
        } finally {
            done.countDown();
            spinner.join();
        }
    }

    @Test
    void threadCpuCountsAThreadThatEndedBetweenSamples() throws InterruptedException {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(Path.of("/proc/self/task")));
        try (ThreadCpu cpu = ThreadCpu.start()) {
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            Thread burner = new Thread(() -> {
                long t0 = mx.getCurrentThreadCpuTime();
                long x = 0;
                while (mx.getCurrentThreadCpuTime() - t0 < 300_000_000L) {
                    x += System.nanoTime() & 1;
                }
                if (x == -1) {
                    System.out.println(x);
                }
            }, "ovh-test-burner");
            burner.start();
            burner.join(); // most likely started and ended within one sampling period: never read by the sampler
            cpu.close();
            java.util.Map<String, Double> groups = cpu.byGroup();
            double burnt = groups.getOrDefault("ovh-test-burner", 0.0) + groups.getOrDefault(ThreadCpu.UNATTRIBUTED, 0.0);
            assertEquals(true, burnt >= 0.25, groups.toString());
            double sum = groups.values().stream().mapToDouble(Double::doubleValue).sum();
            assertEquals(ThreadCpu.processCpuSeconds(), sum, 0.2, "the groups add up to the process's CPU");
        }
    }
}
