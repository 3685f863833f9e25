package io.gradtune.driver.stopping;

/**
 * Validation helpers for rule settings. Each failure names the field as it is spelled in YAML and the bad value,
 * so {@link StoppingSettings#fromMap} only has to add the {@code early_stopping.<rule>.} prefix.
 */
final class Check {

    private Check() {
    }

    static double finiteAbove(String field, double value, double bound) {
        if (!Double.isFinite(value) || value <= bound) {
            throw new IllegalArgumentException(field + " must be a finite number greater than "
                    + Format.num(bound) + ", got " + value);
        }
        return value;
    }

    static double finiteAtLeast(String field, double value, double bound) {
        if (!Double.isFinite(value) || value < bound) {
            throw new IllegalArgumentException(field + " must be a finite number of at least "
                    + Format.num(bound) + ", got " + value);
        }
        return value;
    }

    static int atLeast(String field, int value, int bound) {
        if (value < bound) {
            throw new IllegalArgumentException(field + " must be an integer of at least " + bound + ", got " + value);
        }
        return value;
    }
}
