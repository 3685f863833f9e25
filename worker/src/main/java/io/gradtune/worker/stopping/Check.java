package io.gradtune.worker.stopping;

/**
 * Validation helpers for rule settings. Each failure is an {@link InvalidSettingException} naming the field as it is
 * spelled in YAML, the bad value and the reason, so the config reader only has to add the
 * {@code early_stopping.<rule>.} prefix.
 */
public final class Check {

    private Check() {
    }

    public static double finiteAbove(String field, double value, double bound) {
        if (!Double.isFinite(value) || value <= bound) {
            throw new InvalidSettingException(field, value, "must be a finite number greater than " + Format.num(bound));
        }
        return value;
    }

    public static double finiteAtLeast(String field, double value, double bound) {
        if (!Double.isFinite(value) || value < bound) {
            throw new InvalidSettingException(field, value, "must be a finite number of at least " + Format.num(bound));
        }
        return value;
    }

    public static double finiteBelow(String field, double value, double bound) {
        if (!Double.isFinite(value) || value >= bound) {
            throw new InvalidSettingException(field, value, "must be a finite number less than " + Format.num(bound));
        }
        return value;
    }

    public static int atLeast(String field, int value, int bound) {
        if (value < bound) {
            throw new InvalidSettingException(field, value, "must be an integer of at least " + bound);
        }
        return value;
    }
}
