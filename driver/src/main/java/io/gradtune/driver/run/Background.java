package io.gradtune.driver.run;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One computation of the study's end run on its own daemon thread beside the main thread's work, its result taken
 * where the main thread used to compute it, so nothing the study prints or writes changes order (issue 14, item 3:
 * the best trial's feature importance trains while its refit trains). The work gets a stop flag: {@link #cancel()}
 * raises it and waits for the work to end, for a result the study no longer wants (the refit failed).
 *
 * @param <T> the result
 */
final class Background<T> {

    private final CompletableFuture<T> future = new CompletableFuture<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final Thread thread;

    private Background(String threadName, Function<BooleanSupplier, T> work) {
        thread = new Thread(() -> {
            try {
                future.complete(work.apply(cancelled::get));
            } catch (Throwable e) {
                future.completeExceptionally(e);
            }
        }, threadName);
        thread.setDaemon(true);
    }

    /**
     * Runs {@code work} on a new daemon thread named {@code threadName}; {@code work} polls the supplier it is given,
     * which turns true once {@link #cancel()} was called.
     */
    static <T> Background<T> start(String threadName, Function<BooleanSupplier, T> work) {
        Background<T> b = new Background<>(threadName, work);
        b.thread.start();
        return b;
    }

    /**
     * Waits for the result. What the work threw is rethrown as it was (a RuntimeException or an Error); anything else
     * it threw comes wrapped in an IllegalStateException. An interrupt is kept for the caller, not a reason to leave
     * without the result.
     */
    T join() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw unchecked(e);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * What a task threw, to rethrow: a RuntimeException as it was, an Error thrown here as it was, anything else
     * wrapped in an IllegalStateException.
     */
    static RuntimeException unchecked(ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(cause);
    }

    /** Raises the work's stop flag and waits for it to end; its result or failure is dropped. */
    void cancel() {
        cancelled.set(true);
        try {
            join();
        } catch (RuntimeException e) {
            // not wanted: the work was cancelled (an Error still reaches the caller)
        }
    }
}
