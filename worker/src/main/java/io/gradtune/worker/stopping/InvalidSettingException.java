package io.gradtune.worker.stopping;

/**
 * A rule setting out of its range, with the field as YAML spells it ({@code loss_factor}), the value and the reason,
 * so the config reader can name the full field path ({@code early_stopping.divergence.loss_factor}). The message is
 * {@code "<field> <reason>, got <value>"}.
 */
public final class InvalidSettingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final transient Object value;
    private final String reason;

    InvalidSettingException(String field, Object value, String reason) {
        super(field + " " + reason + ", got " + value);
        this.field = field;
        this.value = value;
        this.reason = reason;
    }

    /** The setting's YAML key, e.g. {@code loss_factor}. */
    public String field() {
        return field;
    }

    /** The rejected value. */
    public Object value() {
        return value;
    }

    /** What the value must be, e.g. {@code must be a finite number greater than 1}. */
    public String reason() {
        return reason;
    }
}
