package io.gradtune.worker.protocol;

import java.util.Objects;

/**
 * Result of decoding an untrusted message: either a value or the reason it was rejected. Decoders return
 * this instead of throwing so a consumer can count and skip bad records, and tell a record written by another
 * version of the protocol ({@link #unsupportedVersion}) from one that is broken.
 *
 * @param value              the decoded value, or null when rejected
 * @param reason             why the input was rejected, or null when accepted
 * @param unsupportedVersion true when the input is a message of the expected type whose {@code schemaVersion} this
 *                           build does not read
 * @param <T>                message type
 */
public record Decoded<T>(T value, String reason, boolean unsupportedVersion) {

    public static <T> Decoded<T> accepted(T value) {
        return new Decoded<>(Objects.requireNonNull(value), null, false);
    }

    /** Rejected: not JSON, not the expected type, or a field missing or of the wrong type. */
    public static <T> Decoded<T> rejected(String reason) {
        return new Decoded<>(null, Objects.requireNonNull(reason), false);
    }

    /** Rejected: the expected type, of a schema version this build does not read. */
    public static <T> Decoded<T> unsupportedVersion(String reason) {
        return new Decoded<>(null, Objects.requireNonNull(reason), true);
    }

    public boolean isAccepted() {
        return value != null;
    }
}
