package io.gradtune.driver.cli;

import sun.misc.Signal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * SIGINT (Ctrl-C) and SIGTERM stop a study cleanly instead of running the JVM's shutdown, which stopped Spark under
 * the running trials and wrote them all as FAILED: the first signal asks the study to stop (no new trials, running
 * ones cancelled and recorded INTERRUPTED, reports written, exit 130 or 143); a second one exits at once.
 */
final class StopSignals {

    private StopSignals() {
    }

    /**
     * Installs the handlers for the rest of the JVM's life.
     *
     * @param stop told the first signal's name ({@code SIGINT}, {@code SIGTERM}); must return quickly
     */
    static void install(Consumer<String> stop) {
        AtomicInteger received = new AtomicInteger();
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    if (received.incrementAndGet() > 1) {
                        System.err.println("gradtune: second signal, exiting now");
                        Runtime.getRuntime().halt(exitCode("SIG" + signal.getName()));
                    }
                    System.err.println("gradtune: SIG" + signal.getName() + ": stopping the study (again to exit now)");
                    stop.accept("SIG" + signal.getName());
                });
            } catch (IllegalArgumentException e) {
                // The JVM reserves the signal (-Xrs, or a platform without it): the default behaviour stays.
            }
        }
    }

    /** 128 + the signal's number, as shells report a process ended by it: SIGINT 130, SIGTERM 143. */
    static int exitCode(String signal) {
        return switch (signal) {
            case "SIGINT" -> Gradtune.EXIT_SIGINT;
            case "SIGTERM" -> Gradtune.EXIT_SIGTERM;
            default -> Gradtune.EXIT_FAILURE;
        };
    }
}
