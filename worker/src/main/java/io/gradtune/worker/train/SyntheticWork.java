package io.gradtune.worker.train;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Benchmark-only synthetic trials ({@code gradtune bench overhead}): while the system property {@value #PROPERTY} is
 * set in the JVM that trains (in local mode the driver's own JVM), {@link TrialRunner#run} trains no network and
 * reads no data: each epoch is {@code D} ms of CPU work (a busy loop on the thread's CPU clock, not a sleep),
 * followed by a plausible epoch record published through the worker's publisher as a real epoch's is (acknowledged
 * run-ahead, verdicts, stop checks). Like {@link FaultInjection} it is not part of the config vocabulary and no
 * config can set it: only the benchmark sets and clears the property.
 *
 * <p>Each attempt's worker-side timestamps ({@link System#nanoTime()}: first epoch's work starting, outcome ready)
 * are kept in this JVM for the benchmark to read ({@link #drain}).
 */
public final class SyntheticWork {

    /** The system property that switches synthetic trials on: the CPU milliseconds of one epoch. */
    public static final String PROPERTY = "gradtune.bench.syntheticEpochMillis";

    /**
     * One synthetic attempt's timestamps, {@link System#nanoTime()} in the training JVM.
     *
     * @param firstWorkNanos when the first epoch's work started
     * @param endNanos       when the outcome was ready (all records acknowledged), just before the task returns
     * @param workWallNanos  wall time spent inside the busy loops (the CPU work under this machine's contention)
     */
    public record Timing(String trialId, int attempt, long firstWorkNanos, long endNanos, long workWallNanos) {
    }

    private static final ConcurrentLinkedQueue<Timing> TIMINGS = new ConcurrentLinkedQueue<>();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private SyntheticWork() {
    }

    /** The CPU milliseconds per epoch when synthetic trials are on, else -1. */
    static long epochMillis() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            return -1;
        }
        long ms = Long.parseLong(v.trim());
        if (ms < 0) {
            throw new IllegalArgumentException(PROPERTY + " must be >= 0 ms, got " + v);
        }
        return ms;
    }

    /**
     * Spins until this thread has used {@code millis} ms of CPU (its wall clock where the JVM cannot read thread CPU
     * time), or until {@code stop} says so; returns the wall nanoseconds it took.
     */
    static long burn(long millis, java.util.function.BooleanSupplier stop) {
        long t0 = System.nanoTime();
        boolean cpu = THREADS.isCurrentThreadCpuTimeSupported();
        long c0 = cpu ? THREADS.getCurrentThreadCpuTime() : t0;
        long target = millis * 1_000_000L;
        long x = 0;
        int i = 0;
        while (true) {
            for (int k = 0; k < 10_000; k++) {
                x = x * 6364136223846793005L + 1442695040888963407L; // keeps the loop from being optimised away
            }
            if ((cpu ? THREADS.getCurrentThreadCpuTime() : System.nanoTime()) - c0 >= target) {
                break;
            }
            if ((++i & 15) == 0 && stop.getAsBoolean()) {
                break;
            }
        }
        if (x == 42) {
            Thread.onSpinWait();
        }
        return System.nanoTime() - t0;
    }

    static void record(Timing t) {
        TIMINGS.add(t);
    }

    /** The timings recorded since the last call, and forgets them. */
    public static List<Timing> drain() {
        List<Timing> out = new ArrayList<>();
        Timing t;
        while ((t = TIMINGS.poll()) != null) {
            out.add(t);
        }
        return out;
    }
}
