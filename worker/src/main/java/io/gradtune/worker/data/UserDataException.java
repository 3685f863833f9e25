package io.gradtune.worker.data;

/**
 * A user's data class that cannot be used: missing, not a {@link io.gradtune.api.DataFactory}, without a public
 * no-arg constructor, throwing, or giving examples that break the factory's contract (an empty split, shapes that
 * differ between splits, labels that are not one-hot, NaN features, too many values). The message names the class
 * and the cause and says what to do.
 */
public final class UserDataException extends IllegalArgumentException {

    private final String className;
    private final String reason;

    public UserDataException(String className, String reason, Throwable cause) {
        super("data class " + className + ": " + reason, cause);
        this.className = className;
        this.reason = reason;
    }

    /** The class the config named. */
    public String className() {
        return className;
    }

    /** The cause without the class name, for a message that names the class itself. */
    public String reason() {
        return reason;
    }
}
