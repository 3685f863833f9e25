package io.gradtune.driver.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU seconds of a JVM's native threads, read from Linux's {@code /proc/PID/task/TID/stat} ({@code utime + stime}),
 * which sees what {@code ThreadMXBean} does not: the JIT compilers ({@code C1/C2 CompilerThread#}) and the garbage
 * collector ({@code GC Thread#}, G1's {@code G1 ...}). Two uses: {@link StudyBenchmark} reads a child process
 * ({@link #ThreadCpu(long)}, sampled by the caller) and splits it by {@link Kind}; {@code bench overhead} reads its own
 * process ({@link #start()}, sampled every {@value #PERIOD_MILLIS} ms on a daemon thread until {@link #close}) and
 * groups it by thread name ({@link #byGroup}). Each thread keeps its last reading, so a thread that ends between two
 * samples loses only its CPU since the last one; {@link #byGroup} lists what the process used beyond the threads'
 * readings (those ends, and each thread's reading rounded down to a tick) as {@value #UNATTRIBUTED}, so the groups add
 * up to the process's CPU. Linux keeps a thread's first 15 characters ({@code Executor task l}
 * are Spark's task threads, i.e. the trials in local mode). Where {@code /proc} is absent the readings are empty.
 *
 * <p>A sample reads one small file per thread (a few hundred): every second it cost the benchmark 4-7 ms of CPU per
 * 100 ms trial (BENCHMARKS.md, "Session 12: orchestration overhead"), hence the longer period of {@link #start()}.
 */
final class ThreadCpu implements AutoCloseable {

    /**
     * Sampling period of {@link #start()}'s thread: long, as the CPU of threads that end between two samples is
     * counted anyway ({@value #UNATTRIBUTED}); a final sample is taken at {@link #close}.
     */
    static final long PERIOD_MILLIS = 10_000;

    /** {@link #byGroup}'s entry for the process's CPU that no thread reading holds. */
    static final String UNATTRIBUTED = "(ended between samples, rounding)";

    /** Linux's USER_HZ, the unit of {@code /proc/.../stat}'s times. */
    private static final double TICKS_PER_SECOND = 100.0;

    /** CPU seconds by kind: JIT compiler threads, GC threads, trial threads, all threads. */
    record Split(double jit, double gc, double trials, double all) {
    }

    /** A thread's name and CPU ticks at its latest sample. */
    record Sample(String name, long ticks) {
    }

    /** What a thread is, by its {@code /proc} name. */
    enum Kind { JIT, GC, TRIAL, OTHER }

    private final Path tasks;
    private final Map<String, Sample> last = new HashMap<>();
    private final double processStart;
    private double processEnd = Double.NaN;
    private final Thread sampler;
    private volatile boolean stop;

    /** Reads process {@code pid}'s threads at each {@link #sample}; nothing is read before the first. */
    ThreadCpu(long pid) {
        this.tasks = Path.of("/proc", Long.toString(pid), "task");
        this.processStart = Double.NaN;
        this.sampler = null;
    }

    private ThreadCpu() {
        this.tasks = Path.of("/proc/self/task");
        this.processStart = processCpuSeconds();
        sample();
        this.sampler = new Thread(this::loop, "gradtune-bench-thread-cpu");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Starts sampling this process now, every {@value #PERIOD_MILLIS} ms; {@link #close} stops it. */
    static ThreadCpu start() {
        return new ThreadCpu();
    }

    private void loop() {
        while (!stop) {
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            sample();
        }
    }

    /** Reads every thread of the process now; does nothing once the process has gone. */
    synchronized void sample() {
        try (DirectoryStream<Path> list = Files.newDirectoryStream(tasks)) {
            for (Path task : list) {
                try {
                    last.put(task.getFileName().toString(), parse(Files.readString(task.resolve("stat"))));
                } catch (IOException | RuntimeException e) {
                    // the thread ended between the listing and the read: its previous sample stands
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process has gone, or no /proc
        }
    }

    /** The split of the threads sampled so far; NaN everywhere if none was. */
    synchronized Split split() {
        if (last.isEmpty()) {
            return new Split(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        long jit = 0;
        long gc = 0;
        long trials = 0;
        long all = 0;
        for (Sample s : last.values()) {
            all += s.ticks();
            switch (kind(s.name())) {
                case JIT -> jit += s.ticks();
                case GC -> gc += s.ticks();
                case TRIAL -> trials += s.ticks();
                default -> { }
            }
        }
        return new Split(jit / TICKS_PER_SECOND, gc / TICKS_PER_SECOND, trials / TICKS_PER_SECOND,
                all / TICKS_PER_SECOND);
    }

    /**
     * CPU seconds by thread-name group ({@link #group}), largest first, over the threads' whole lives (the JVM's
     * start-up included, for the threads alive at the first sample).
     */
    synchronized Map<String, Double> byGroup() {
        Map<String, Long> ticks = new TreeMap<>();
        long sampled = 0;
        for (Sample s : last.values()) {
            ticks.merge(group(s.name()), s.ticks(), Long::sum);
            sampled += s.ticks();
        }
        long unattributed = Math.round(processEnd * TICKS_PER_SECOND) - sampled;
        if (unattributed > 0) {
            ticks.put(UNATTRIBUTED, unattributed);
        }
        Map<String, Double> sorted = new LinkedHashMap<>();
        ticks.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue() / TICKS_PER_SECOND));
        return sorted;
    }

    /**
     * This process's CPU seconds since {@link #start}, up to {@link #close} once closed (NaN for a
     * {@link #ThreadCpu(long)} reader).
     */
    synchronized double processSeconds() {
        return (Double.isNaN(processEnd) ? processCpuSeconds() : processEnd) - processStart;
    }

    /** Stops {@link #start()}'s sampler, if any, and takes a last sample. */
    @Override
    public void close() {
        if (sampler != null) {
            stop = true;
            sampler.interrupt();
            try {
                sampler.join(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            sample();
            if (sampler != null) {
                processEnd = processCpuSeconds();
            }
        }
    }

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

    /** A thread name with its digits as {@code #}, so the threads of one pool add up. */
    static String group(String name) {
        return name.replaceAll("\\d+", "#");
    }

    /** Name and user + system ticks of a {@code /proc/.../stat} line; the name may hold spaces and parentheses. */
    static Sample parse(String statLine) {
        return new Sample(name(statLine), ticks(statLine));
    }

    /** The thread name of a {@code stat} line (between the first '(' and the last ')'). */
    static String name(String statLine) {
        return statLine.substring(statLine.indexOf('(') + 1, statLine.lastIndexOf(')'));
    }

    /** {@code utime + stime} (fields 14 and 15) of a {@code stat} line, clock ticks. */
    static long ticks(String statLine) {
        int i = statLine.lastIndexOf(')') + 1;
        long sum = 0;
        for (int field = 3; field <= 15; field++) { // fields are single-space separated after the name
            while (statLine.charAt(i) == ' ') {
                i++;
            }
            int end = i;
            while (end < statLine.length() && statLine.charAt(end) != ' ') {
                end++;
            }
            if (field >= 14) {
                sum += Long.parseLong(statLine, i, end, 10);
            }
            i = end;
        }
        return sum;
    }

    /** This process's CPU seconds so far (user + system of {@code /proc/self/stat}), NaN if unreadable. */
    static double processCpuSeconds() {
        try {
            return ticks(Files.readString(Path.of("/proc/self/stat"))) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
