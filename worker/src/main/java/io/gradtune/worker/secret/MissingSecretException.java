package io.gradtune.worker.secret;

/**
 * A {@code ${env:NAME}} placeholder whose variable is not set where the client starts. The message names the
 * field and the variable, never a value.
 */
public final class MissingSecretException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final String variable;

    public MissingSecretException(String field, String variable) {
        super(field + ": environment variable " + variable + " is not set (the value is written ${env:" + variable
                + "})");
        this.field = field;
        this.variable = variable;
    }

    /** The config field holding the placeholder, e.g. {@code kafka.properties.sasl.jaas.config}. */
    public String field() {
        return field;
    }

    /** The variable that is not set. */
    public String variable() {
        return variable;
    }
}
