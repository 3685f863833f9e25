package io.gradtune.worker.model;

/**
 * A user's model class that cannot be used: missing, not a {@link io.gradtune.api.ModelFactory}, without a public
 * no-arg constructor, throwing while it builds, or building a network that does not fit the data. The message names
 * the class and the cause and says what to do.
 */
public final class UserModelException extends IllegalArgumentException {

    private final String className;

    public UserModelException(String className, String message, Throwable cause) {
        super("model class " + className + ": " + message, cause);
        this.className = className;
    }

    /** The class the config named. */
    public String className() {
        return className;
    }
}
