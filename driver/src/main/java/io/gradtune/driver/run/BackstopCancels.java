package io.gradtune.driver.run;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Cancels a trial's Spark job a little after a stop the worker applies itself (its own rule, or the driver's
 * verdict it waits for): normally the trial has ended by then, with its outcome, and the cancel finds nothing;
 * if the worker missed the stop, the cancel ends it. Cancelling at once would race the worker's own end and often
 * lose its outcome (a cancelled job returns none).
 */
final class BackstopCancels implements AutoCloseable {

    /** How long the worker has to end on its own. */
    static final Duration GRACE = Duration.ofSeconds(2);

    private final Consumer<String> cancel;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gradtune-backstop-cancel");
        t.setDaemon(true);
        return t;
    });

    BackstopCancels(Consumer<String> cancel) {
        this.cancel = cancel;
    }

    /** Cancels the trial's job after {@link #GRACE}, unless the study has ended by then. */
    void cancelLater(String trialId) {
        try {
            timer.schedule(() -> {
                try {
                    cancel.accept(trialId);
                } catch (RuntimeException e) {
                    // Spark is stopping: nothing left to cancel
                }
            }, GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: the study has ended
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
