package io.gradtune.driver.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU seconds of a running JVM's threads by kind, for {@link StudyBenchmark}: the JIT compilers ({@code C1/C2
 * CompilerThread#}), the garbage collector ({@code GC Thread#} and G1's {@code G1 ...} threads) and the trials
 * (Spark's {@code Executor task launch worker} threads, named {@code Executor task l} in {@code /proc}), read from
 * {@code /proc/PID/task/TID/stat} ({@code utime + stime}). {@link #sample} keeps each thread's last reading, so a
 * thread that ends between two samples loses only its CPU since the last one (the JIT's extra compiler threads end
 * only after idling). Not thread-safe; one instance per child process. Readings are empty where {@code /proc} is
 * absent (not Linux).
 */
final class ThreadCpu {

    /** Linux's USER_HZ, as in {@link ProcessMeasures}. */
    private static final double TICKS_PER_SECOND = 100.0;

    /** CPU seconds by kind: JIT compiler threads, GC threads, trial threads, all threads. */
    record Split(double jit, double gc, double trials, double all) {
    }

    private final long pid;
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, Long> ticks = new HashMap<>();

    ThreadCpu(long pid) {
        this.pid = pid;
    }

    /** Reads every thread of the process now; silently does nothing once it has gone. */
    void sample() {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String tid = task.getFileName().toString();
                    names.put(tid, name(stat));
                    ticks.put(tid, ticks(stat));
                } catch (IOException | RuntimeException e) {
                    // the thread ended while we listed it: its last sample stands
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process has gone (or no /proc)
        }
    }

    /** The split of the threads sampled so far; NaN everywhere if none was. */
    Split split() {
        if (ticks.isEmpty()) {
            return new Split(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        long jit = 0;
        long gc = 0;
        long trials = 0;
        long all = 0;
        for (Map.Entry<String, Long> e : ticks.entrySet()) {
            String name = names.get(e.getKey());
            long t = e.getValue();
            all += t;
            switch (kind(name)) {
                case JIT -> jit += t;
                case GC -> gc += t;
                case TRIAL -> trials += t;
                default -> { }
            }
        }
        return new Split(jit / TICKS_PER_SECOND, gc / TICKS_PER_SECOND, trials / TICKS_PER_SECOND,
                all / TICKS_PER_SECOND);
    }

    enum Kind { JIT, GC, TRIAL, OTHER }

    /** The kind of a thread by its {@code /proc} name (15 characters at most). */
    static Kind kind(String name) {
        if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
            return Kind.JIT;
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
            return Kind.GC;
        }
        if (name.startsWith("Executor task l")) {
            return Kind.TRIAL;
        }
        return Kind.OTHER;
    }

    /** The thread name of a {@code /proc/PID/task/TID/stat} line (between the first '(' and the last ')'). */
    static String name(String statLine) {
        return statLine.substring(statLine.indexOf('(') + 1, statLine.lastIndexOf(')'));
    }

    /** {@code utime + stime} (fields 14 and 15) of a {@code stat} line, clock ticks. */
    static long ticks(String statLine) {
        String[] f = statLine.substring(statLine.lastIndexOf(')') + 2).trim().split("\\s+");
        return Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
    }
}
