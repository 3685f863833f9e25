package io.gradtune.driver.console;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressReporterTest {

    private static final long SECOND = 1_000_000_000L;
    private static final String CLEAR = "\r\033[K";

    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream console = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicReference<ProgressSnapshot> now = new AtomicReference<>(
            new ProgressSnapshot(0, 2, 0, 0, 10, "val_accuracy", Double.NaN, null, 0));

    private ProgressReporter reporter(ProgressMode mode) {
        ProgressReporter r = new ProgressReporter(console, mode, clock::get, 30 * SECOND, 200);
        r.source(now::get);
        return r;
    }

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void autoIsLineOnlyOnARealTerminal() {
        assertEquals(ProgressMode.LINE, ProgressMode.resolve("auto", true, "xterm-256color"));
        assertEquals(ProgressMode.PLAIN, ProgressMode.resolve("auto", true, "dumb"));
        assertEquals(ProgressMode.PLAIN, ProgressMode.resolve("auto", true, null));
        assertEquals(ProgressMode.PLAIN, ProgressMode.resolve(null, false, "xterm"));
        assertEquals(ProgressMode.LINE, ProgressMode.resolve("LINE", false, null));
        assertEquals(ProgressMode.PLAIN, ProgressMode.resolve("plain", true, "xterm"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProgressMode.resolve("fancy", true, "xterm"));
        assertTrue(e.getMessage().contains("auto, line, plain"), e.getMessage());
    }

    @Test
    void lineModeRedrawsInPlaceAtMostFourTimesASecondAndPrintsLinesAboveIt() {
        ProgressReporter r = reporter(ProgressMode.LINE);
        r.tick();
        assertEquals(CLEAR + "trials 0/10 done, 2 running, 0 pruned, 0 failed | best - | 0s elapsed, ETA ? | "
                + "0.0 epochs/s", text());
        bytes.reset();
        clock.addAndGet(100_000_000L);
        r.tick();
        assertEquals("", text(), "no redraw within 250 ms");
        clock.addAndGet(200_000_000L);
        r.tick();
        assertEquals("", text(), "no redraw when nothing changed");

        // 4 s later: one trial completed, 8 epochs in 4 s
        clock.addAndGet(3_700_000_000L);
        now.set(new ProgressSnapshot(1, 2, 0, 0, 10, "val_accuracy", 0.91234, "t0001", 8));
        r.tick();
        String drawn = "trials 1/10 done, 2 running, 0 pruned, 0 failed | best val_accuracy 0.9123 (t0001) | "
                + "4s elapsed, ETA 36s | 2.0 epochs/s";
        assertEquals(CLEAR + drawn, text());

        // a finished-trial line goes above the status line, which is drawn again below it
        bytes.reset();
        r.lines().println("t0002 COMPLETED val_accuracy=0.9000");
        assertEquals(CLEAR + "t0002 COMPLETED val_accuracy=0.9000" + System.lineSeparator() + drawn, text());
        // a line printed in pieces is held until its newline
        bytes.reset();
        r.lines().print("warning: ");
        assertEquals("", text());
        r.lines().println("slow broker");
        assertEquals(CLEAR + "warning: slow broker" + System.lineSeparator() + drawn, text());

        // close clears the status line; later lines print as they are
        bytes.reset();
        r.close();
        assertEquals(CLEAR, text());
        bytes.reset();
        r.tick();
        r.lines().println("leaderboard");
        assertEquals("leaderboard" + System.lineSeparator(), text());
    }

    @Test
    void theStatusLineIsCutToTheWidth() {
        ProgressReporter r = new ProgressReporter(console, ProgressMode.LINE, clock::get, 30 * SECOND, 40);
        r.source(now::get);
        r.tick();
        assertEquals(CLEAR + "trials 0/10 done, 2 running, 0 pruned, 0", text());
        assertEquals(CLEAR.length() + 40, text().length());
    }

    @Test
    void plainModePrintsLinesAsTheyAreAndASummaryEveryThirtySecondsWithoutCarriageReturns() {
        ProgressReporter r = reporter(ProgressMode.PLAIN);
        r.tick();
        r.lines().println("t0001 COMPLETED val_accuracy=0.9000");
        clock.addAndGet(29 * SECOND);
        r.tick();
        assertEquals("t0001 COMPLETED val_accuracy=0.9000" + System.lineSeparator(), text());
        clock.addAndGet(SECOND);
        // 30 s: 3 ended (1 completed, 1 pruned, 1 failed) -> 10 s a trial, 7 to go: ETA 70 s; 60 epochs in 30 s
        now.set(new ProgressSnapshot(1, 2, 1, 1, 10, "val_loss", 0.25, "t0001", 60));
        r.tick();
        assertEquals("t0001 COMPLETED val_accuracy=0.9000" + System.lineSeparator()
                + "progress: trials 1/10 done, 2 running, 1 pruned, 1 failed | best val_loss 0.2500 (t0001) | "
                + "30s elapsed, ETA 1m10s | 2.0 epochs/s" + System.lineSeparator(), text());
        r.close();
        assertFalse(text().contains("\r"), text());
        assertFalse(text().contains("\033"), text());
    }

    @Test
    void epochsPerSecondFollowsARecentWindow() {
        ProgressReporter r = reporter(ProgressMode.PLAIN);
        // 100 epochs in the first 10 s, then 10 epochs in the next 10 s: the figure follows the recent pace
        long[] epochsAt = {0, 50, 100, 105, 110};
        String last = null;
        for (int i = 0; i < epochsAt.length; i++) {
            clock.set(1_000 * SECOND + i * 5 * SECOND);
            last = r.status(new ProgressSnapshot(0, 2, 0, 0, 10, "val_accuracy", Double.NaN, null, epochsAt[i]),
                    clock.get());
        }
        assertTrue(last.endsWith("| 1.0 epochs/s"), last);
    }

    @Test
    void durations() {
        assertEquals("42s", ProgressReporter.duration(42.2));
        assertEquals("3m05s", ProgressReporter.duration(185));
        assertEquals("1h02m", ProgressReporter.duration(3725));
    }
}
