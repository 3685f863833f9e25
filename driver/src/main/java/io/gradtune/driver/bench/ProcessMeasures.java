package io.gradtune.driver.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux's {@code /proc} says about this process's waited-for children and about a running child, for
 * {@link StudyBenchmark}. Every reader returns NaN where {@code /proc} is absent or unreadable (not Linux, or the
 * process has gone), so a benchmark elsewhere still prints its other figures.
 */
final class ProcessMeasures {

    /** Linux's USER_HZ, the unit of {@code /proc/PID/stat}'s times: 100 on every architecture Java runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessMeasures() {
    }

    /**
     * CPU seconds (user + system) of this process's children that have ended and been waited for, and of their
     * waited-for descendants: {@code cutime + cstime} of {@code /proc/self/stat}. The difference across one child's
     * run is that child's whole process tree.
     */
    static double childrenCpuSeconds() {
        try {
            return childrenCpuSeconds(Files.readString(Path.of("/proc/self/stat")));
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** {@link #childrenCpuSeconds()} of a {@code /proc/PID/stat} line. */
    static double childrenCpuSeconds(String statLine) {
        // Fields after the command name (which may hold spaces and parentheses): field 3 is the state; cutime and
        // cstime are fields 16 and 17.
        String[] f = statLine.substring(statLine.lastIndexOf(')') + 2).trim().split("\\s+");
        long cutime = Long.parseLong(f[16 - 3]);
        long cstime = Long.parseLong(f[17 - 3]);
        return (cutime + cstime) / TICKS_PER_SECOND;
    }

    /** The process's peak resident set so far ({@code VmHWM}), bytes; NaN if unreadable. */
    static double peakResidentBytes(long pid) {
        try {
            return peakResidentBytes(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** {@code VmHWM} of a {@code /proc/PID/status} text, bytes; NaN without the line. */
    static double peakResidentBytes(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmHWM:")) {
                String[] w = line.substring(6).trim().split("\\s+");
                return Long.parseLong(w[0]) * 1024.0; // kB
            }
        }
        return Double.NaN;
    }
}
