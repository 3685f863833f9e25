package io.gradtune.driver.console;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Owns the console while a study runs. Every line the study prints goes through {@link #lines()}; the reporter adds
 * the progress:
 * <ul>
 *   <li>{@link ProgressMode#LINE} (a terminal): one status line at the bottom, redrawn in place ({@code \r} and
 *       clear-to-end-of-line, no colours) at most every {@link #REDRAW_NANOS}; a printed line first clears the status
 *       line, then prints, then redraws it, so lines scroll above it ungarbled;</li>
 *   <li>{@link ProgressMode#PLAIN} (CI, cron, pipes): printed lines pass through unchanged, and a summary line
 *       {@code progress: ...} every {@link #PLAIN_EVERY_NANOS}; never a {@code \r}.</li>
 * </ul>
 * The status reads {@code trials 3/10 done, 2 running, 1 pruned, 0 failed | best val_accuracy 0.9512 (t0004) |
 * 1m05s elapsed, ETA 2m10s | 12.3 epochs/s}. ETA: the mean wall time per ended trial so far (elapsed / ended) times
 * the trials still to end (budget - ended); shown once a trial has ended. Epochs per second: epoch records
 * accepted over the last 5 to 10 seconds (two halves of {@link #RATE_WINDOW_NANOS}), counted from the first
 * figure shown. The clock is injected, so tests drive time.
 */
public final class ProgressReporter implements AutoCloseable {

    /** Least time between two redraws of the status line: at most four a second. */
    public static final long REDRAW_NANOS = 250_000_000L;
    /** Time between two summary lines in plain mode. */
    public static final long PLAIN_EVERY_NANOS = 30_000_000_000L;
    /** The window of the epochs-per-second figure. */
    public static final long RATE_WINDOW_NANOS = 10_000_000_000L;

    private static final String CLEAR = "\r\033[K";

    private final PrintStream out;
    private final ProgressMode mode;
    private final LongSupplier clock;
    private final long plainEvery;
    private final int width;
    private long start;
    private final PrintStream lines;
    /** Bytes of a line not yet ended by its newline (guarded by this). */
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private Supplier<ProgressSnapshot> source;
    private String shown = "";
    private long lastDraw = Long.MIN_VALUE;
    private long lastPlain;
    private long windowStart;
    private long windowEpochs = -1;
    private long prevStart;
    private long prevEpochs = -1;
    private boolean closed;

    /**
     * @param out        the real console
     * @param mode       line or plain
     * @param clock      nanoseconds, e.g. {@code System::nanoTime}
     * @param plainEvery nanoseconds between plain summary lines
     * @param width      the longest status line drawn (longer ones are cut), e.g. the terminal's columns - 1
     */
    public ProgressReporter(PrintStream out, ProgressMode mode, LongSupplier clock, long plainEvery, int width) {
        this.out = out;
        this.mode = mode;
        this.clock = clock;
        this.plainEvery = plainEvery;
        this.width = Math.max(20, width);
        this.start = clock.getAsLong();
        this.lastPlain = start;
        this.lines = new PrintStream(new LineSink(), true, StandardCharsets.UTF_8);
    }

    /** A reporter on the system clock, the terminal's width from {@code COLUMNS} (else 120). */
    public static ProgressReporter system(PrintStream out, ProgressMode mode) {
        int columns = 120;
        try {
            String env = System.getenv("COLUMNS");
            if (env != null) {
                columns = Integer.parseInt(env.trim());
            }
        } catch (NumberFormatException e) {
            // keep the default
        }
        return new ProgressReporter(out, mode, System::nanoTime, PLAIN_EVERY_NANOS, columns - 1);
    }

    public ProgressMode mode() {
        return mode;
    }

    /** Where the study prints its lines: each complete line is printed above the status line. */
    public PrintStream lines() {
        return lines;
    }

    /**
     * Where the counts come from; nothing is drawn before a source is set. The elapsed time and the rate count from
     * here (the study's trials begin).
     */
    public void source(Supplier<ProgressSnapshot> source) {
        long epochs = source.get().epochs(); // outside the lock, as in tick(); a resumed study's records not counted
        synchronized (this) {
            this.source = source;
            this.start = clock.getAsLong();
            this.lastPlain = start;
            this.windowStart = start;
            this.windowEpochs = epochs;
            this.prevEpochs = -1;
        }
    }

    /**
     * Called often (the study's loop, every few hundred milliseconds): redraws the status line when at least
     * {@link #REDRAW_NANOS} passed since the last draw (line mode), or prints a summary when
     * {@link #PLAIN_EVERY_NANOS} passed since the last (plain mode). Reads the source only then.
     */
    public void tick() {
        Supplier<ProgressSnapshot> from;
        long now;
        synchronized (this) {
            if (closed || source == null) {
                return;
            }
            now = clock.getAsLong();
            if (mode == ProgressMode.LINE) {
                if (lastDraw != Long.MIN_VALUE && now - lastDraw < REDRAW_NANOS) {
                    return;
                }
                lastDraw = now;
            } else {
                if (now - lastPlain < plainEvery) {
                    return;
                }
                lastPlain = now;
            }
            from = source;
        }
        // Outside this reporter's lock: the source takes the study's, and a thread holding that may be printing.
        ProgressSnapshot snapshot = from.get();
        synchronized (this) {
            if (closed) {
                return;
            }
            String status = status(snapshot, now);
            if (mode == ProgressMode.LINE) {
                draw(status);
            } else {
                out.println("progress: " + status);
                out.flush();
            }
        }
    }

    /** Clears the status line (line mode); later lines print as they are. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (mode == ProgressMode.LINE && !shown.isEmpty()) {
            out.print(CLEAR);
        }
        shown = "";
        closed = true;
        if (pending.size() > 0) { // a line without its newline yet: printed as it is
            out.print(pending.toString(StandardCharsets.UTF_8));
            pending.reset();
        }
        out.flush();
    }

    /** The status text for a snapshot at {@code now} (no control characters). */
    synchronized String status(ProgressSnapshot s, long now) {
        double elapsed = (now - start) / 1e9;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "trials %d/%d done, %d running, %d pruned, %d failed", s.completed(),
                s.budget(), s.running(), s.pruned(), s.failed()));
        sb.append(" | best ");
        if (s.bestTrial() == null || Double.isNaN(s.best())) {
            sb.append("-");
        } else {
            sb.append(String.format(Locale.ROOT, "%s %.4f (%s)", s.metric(), s.best(), s.bestTrial()));
        }
        sb.append(" | ").append(duration(elapsed)).append(" elapsed, ETA ");
        int left = Math.max(0, s.budget() - s.ended());
        if (s.ended() == 0) {
            sb.append("?");
        } else {
            sb.append(duration(elapsed / s.ended() * left));
        }
        sb.append(String.format(Locale.ROOT, " | %.1f epochs/s", rate(s.epochs(), now)));
        return sb.toString();
    }

    /** Epochs per second over the sliding window (two half-windows: the figure never starts from zero). */
    private double rate(long epochs, long now) {
        if (windowEpochs < 0) { // no source yet
            windowStart = now;
            windowEpochs = epochs;
        }
        if (now - windowStart >= RATE_WINDOW_NANOS / 2) {
            prevStart = windowStart;
            prevEpochs = windowEpochs;
            windowStart = now;
            windowEpochs = epochs;
        }
        long fromTime = prevEpochs >= 0 ? prevStart : windowStart;
        long fromEpochs = prevEpochs >= 0 ? prevEpochs : windowEpochs;
        double seconds = (now - fromTime) / 1e9;
        return seconds <= 0 ? 0 : (epochs - fromEpochs) / seconds;
    }

    /** {@code 42s}, {@code 3m05s}, {@code 1h02m}. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
    }

    private void draw(String status) {
        String cut = status.length() > width ? status.substring(0, width) : status;
        if (cut.equals(shown)) {
            return; // nothing changed: no redraw
        }
        out.print(CLEAR + cut);
        out.flush();
        shown = cut;
    }

    /** One complete line from the study: above the status line in line mode, as it is in plain mode. */
    private synchronized void printLine(String line) {
        if (mode == ProgressMode.LINE && !closed && !shown.isEmpty()) {
            out.print(CLEAR);
            out.println(line);
            out.print(shown);
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Collects bytes up to each newline and hands the line to {@link #printLine}. */
    private final class LineSink extends OutputStream {

        @Override
        public void write(int b) {
            synchronized (ProgressReporter.this) {
                if (b == '\n') {
                    String line = pending.toString(StandardCharsets.UTF_8);
                    pending.reset();
                    printLine(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
                } else {
                    pending.write(b);
                }
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (ProgressReporter.this) {
                for (int i = off; i < off + len; i++) {
                    write(b[i]);
                }
            }
        }

        @Override
        public void flush() {
            synchronized (ProgressReporter.this) {
                if (pending.size() > 0 && closed) {
                    out.print(pending.toString(StandardCharsets.UTF_8));
                    pending.reset();
                }
                out.flush();
            }
        }
    }
}
