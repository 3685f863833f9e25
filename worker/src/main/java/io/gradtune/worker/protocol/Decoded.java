package io.gradtune.worker.protocol;

import java.util.Objects;

/**
 * Result of decoding an untrusted message: either a value or the reason it was rejected. Decoders return
 * this instead of throwing so a consumer can count and skip bad records.
 *
 * @param value  the decoded value, or null when rejected
 * @param reason why the input was rejected, or null when accepted
 * @param <T>    message type
 */
public record Decoded<T>(T value, String reason) {

    public static <T> Decoded<T> accepted(T value) {
        return new Decoded<>(Objects.requireNonNull(value), null);
    }

    public static <T> Decoded<T> rejected(String reason) {
        return new Decoded<>(null, Objects.requireNonNull(reason));
    }

    public boolean isAccepted() {
        return value != null;
    }
}
