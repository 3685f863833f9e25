package io.gradtune.worker.secret;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where the value of a {@code ${env:NAME}} placeholder comes from: the environment of the process that starts the
 * Kafka client (the driver for the driver's clients, each executor for the workers' producers).
 *
 * <p>{@link #jvmDefault()} is what gradtune uses: the process environment, unless a test replaced it for the whole
 * JVM with {@link #overrideInThisJvm} (in Spark {@code local[...]} mode the executors run in the driver's JVM, and a
 * test cannot set that JVM's environment variables). There is deliberately no system-property fallback: JVM system
 * properties are listed in Spark's UI and event log, where only names matching {@code spark.redaction.regex} are
 * hidden.
 */
@FunctionalInterface
public interface SecretResolver {

    /** The value of variable {@code name}, or null when it is not set. */
    String get(String name);

    /** The process environment ({@link System#getenv(String)}). */
    static SecretResolver environment() {
        return System::getenv;
    }

    /** A fixed map of variables (for tests). */
    static SecretResolver of(Map<String, String> variables) {
        Map<String, String> copy = Map.copyOf(variables);
        return copy::get;
    }

    /** The resolver gradtune's Kafka clients use in this JVM: the environment unless overridden. */
    static SecretResolver jvmDefault() {
        return Holder.CURRENT.get();
    }

    /**
     * Replaces {@link #jvmDefault()} until the returned handle is closed (for tests that run executors in the test's
     * own JVM). Overrides do not nest across threads: close them in the order they were made.
     */
    static Replacement overrideInThisJvm(SecretResolver resolver) {
        Objects.requireNonNull(resolver, "resolver");
        return new Replacement(Holder.CURRENT.getAndSet(resolver));
    }

    /** Restores the resolver that was in effect before {@link #overrideInThisJvm}. */
    final class Replacement implements AutoCloseable {
        private final SecretResolver previous;

        private Replacement(SecretResolver previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            Holder.CURRENT.set(previous);
        }
    }

    /** The JVM-wide resolver (interfaces cannot hold private static state). */
    final class Holder {
        private static final AtomicReference<SecretResolver> CURRENT = new AtomicReference<>(environment());

        private Holder() {
        }
    }
}
