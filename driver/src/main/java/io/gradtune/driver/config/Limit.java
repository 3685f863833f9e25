package io.gradtune.driver.config;

/**
 * The allowed range of one whole-number config field, defined once and applied both to the YAML field and to the
 * command-line option that overrides it, so {@code --max-trials} holds exactly what {@code search.max_trials} holds.
 *
 * @param field the field's path in the config file, e.g. {@code search.max_trials}
 * @param min   smallest allowed value
 * @param max   largest allowed value
 */
public record Limit(String field, long min, long max) {

    public static final Limit MAX_TRIALS = new Limit("search.max_trials", 1, 100_000);
    public static final Limit EPOCHS = new Limit("training.epochs", 1, 100_000);
    /** {@code training.workers}: 1 = one task per trial; N &ge; 2 = data-parallel trials of N partitions. */
    public static final Limit TRAINING_WORKERS = new Limit("training.workers", 1, 1024);
    public static final Limit SEED = new Limit("search.seed", Long.MIN_VALUE / 2, Long.MAX_VALUE / 2);

    /** The reason {@code value} is refused, or null when it is in range. */
    public String problem(long value) {
        return value < min || value > max ? "out of range, expected " + min + " <= value <= " + max : null;
    }

    /**
     * Checks a command-line override: the message names the option and the field it overrides, e.g.
     * {@code --max-trials (overrides search.max_trials)}.
     *
     * @throws ConfigException when {@code value} is out of range
     */
    public long checkOption(String file, String option, long value) {
        String problem = problem(value);
        if (problem != null) {
            throw new ConfigException(file, option + " (overrides " + field + ")", value, problem);
        }
        return value;
    }
}
