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
 * CPU seconds of this JVM's threads by thread name, for {@code bench overhead}: Linux's {@code /proc/self/task/TID/stat}
 * (user + system time of each native thread, the JIT compiler's and the garbage collector's included, which
 * {@code ThreadMXBean} does not see), sampled every {@value #PERIOD_MILLIS} ms on a daemon thread so that threads
 * which end during the run still count (up to their last sample; a thread that lives less than a period may be
 * missed). Names are grouped with their digits replaced by {@code #} ({@code C2 CompilerThread#},
 * {@code Executor task launch worker for task #}). Where {@code /proc} is absent the figures are empty and the process
 * total NaN, so the benchmark still prints its other figures.
 */
final class ThreadCpu implements AutoCloseable {

    /** Sampling period. */
    static final long PERIOD_MILLIS = 1000;

    /** Linux's USER_HZ, the unit of {@code /proc/.../stat}'s times. */
    private static final double TICKS_PER_SECOND = 100.0;

    private static final Path TASKS = Path.of("/proc/self/task");

    private final Map<String, Sample> last = new HashMap<>();
    private final Thread sampler;
    private final double processStart;
    private volatile boolean stop;

    /** A thread's name (Linux keeps its first 15 characters) and CPU ticks at its latest sample. */
    record Sample(String name, long ticks) {
    }

    private ThreadCpu() {
        processStart = processCpuSeconds();
        sampleNow();
        sampler = new Thread(this::loop, "gradtune-bench-thread-cpu");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Starts sampling now; {@link #close} stops it. */
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
            sampleNow();
        }
    }

    private synchronized void sampleNow() {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                try {
                    Sample s = parse(Files.readString(task.resolve("stat")));
                    last.put(task.getFileName().toString(), s);
                } catch (IOException | RuntimeException e) {
                    // the thread ended between the listing and the read: its previous sample stands
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: nothing to sample
        }
    }

    /** Name and user + system ticks of a {@code /proc/.../stat} line; the name may hold spaces and parentheses. */
    static Sample parse(String statLine) {
        String name = statLine.substring(statLine.indexOf('(') + 1, statLine.lastIndexOf(')'));
        String[] f = statLine.substring(statLine.lastIndexOf(')') + 2).trim().split("\\s+");
        return new Sample(name, Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]));
    }

    /** A thread name with its digits as {@code #}, so the threads of one pool add up. */
    static String group(String name) {
        return name.replaceAll("\\d+", "#");
    }

    /** This process's CPU seconds so far (user + system of {@code /proc/self/stat}), NaN if unreadable. */
    static double processCpuSeconds() {
        try {
            Sample s = parse(Files.readString(Path.of("/proc/self/stat")));
            return s.ticks() / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Process CPU seconds since {@link #start}. */
    double processSeconds() {
        return processCpuSeconds() - processStart;
    }

    /**
     * CPU seconds by thread-name group, largest first, over the threads' whole lives (the JVM's start-up threads
     * included, for the threads that were alive at {@link #start}).
     */
    synchronized Map<String, Double> byGroup() {
        Map<String, Long> ticks = new TreeMap<>();
        for (Sample s : last.values()) {
            ticks.merge(group(s.name()), s.ticks(), Long::sum);
        }
        Map<String, Double> sorted = new LinkedHashMap<>();
        ticks.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue() / TICKS_PER_SECOND));
        return sorted;
    }

    /** Takes a last sample and stops the sampler. */
    @Override
    public void close() {
        stop = true;
        sampler.interrupt();
        try {
            sampler.join(PERIOD_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sampleNow();
    }
}
