package io.gradtune.driver.run;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Starts one closeable service on its own thread while the caller starts others (the study starts Spark this way
 * while the embedded broker starts), then hands it over with {@link #join()}. Whoever calls {@link #begin} calls
 * {@link #closeIfUnclaimed()} in a {@code finally}: a service that started but was never joined (the caller failed
 * first) is closed there, once it is up, so a failed start leaves nothing running.
 *
 * @param <T> the service
 */
final class ParallelStart<T extends AutoCloseable> {

    private final CompletableFuture<T> future = new CompletableFuture<>();
    private boolean claimed;

    private ParallelStart() {
    }

    /** Runs {@code start} on a new daemon thread named {@code threadName}. */
    static <T extends AutoCloseable> ParallelStart<T> begin(String threadName, Supplier<T> start) {
        ParallelStart<T> p = new ParallelStart<>();
        Thread t = new Thread(() -> {
            try {
                p.future.complete(start.get());
            } catch (Throwable e) {
                p.future.completeExceptionally(e);
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
        return p;
    }

    /**
     * Waits for the service and takes it over (the caller closes it from now on). What the start threw is rethrown
     * as it was (a {@code ConfigException} stays one).
     */
    T join() throws InterruptedException {
        try {
            T service = future.get();
            claimed = true;
            return service;
        } catch (ExecutionException e) {
            claimed = true; // nothing to close: it did not start
            throw Background.unchecked(e);
        }
    }

    /** Closes the service once it has started, unless {@link #join()} handed it over; a failed start is ignored. */
    void closeIfUnclaimed() {
        if (claimed) {
            return;
        }
        claimed = true;
        boolean interrupted = Thread.interrupted(); // wait for the start even when interrupted, then close it
        try {
            while (true) {
                try {
                    future.get().close();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    break; // it did not start: nothing to close
                } catch (Exception e) {
                    break; // closing failed: the caller's own failure is the one to report
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
