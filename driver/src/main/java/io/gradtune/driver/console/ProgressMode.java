package io.gradtune.driver.console;

import java.util.Locale;

/**
 * How a running study's progress reaches the console ({@code --progress}): {@link #LINE}, one line redrawn in place
 * on a terminal; {@link #PLAIN}, log lines only (one per finished trial and a periodic summary), for CI, cron and
 * pipes. {@code auto} picks {@link #LINE} on an interactive terminal that is not {@code TERM=dumb}.
 */
public enum ProgressMode {
    LINE, PLAIN;

    /** The option's accepted values, for messages. */
    public static final String CHOICES = "auto, line, plain";

    /**
     * The mode an option value asks for.
     *
     * @param option      {@code auto}, {@code line} or {@code plain} (any case); null means {@code auto}
     * @param interactive whether standard output is a terminal ({@code System.console() != null})
     * @param term        the {@code TERM} environment variable, or null
     * @throws IllegalArgumentException for any other value
     */
    public static ProgressMode resolve(String option, boolean interactive, String term) {
        String value = option == null ? "auto" : option.toLowerCase(Locale.ROOT);
        return switch (value) {
            case "line" -> LINE;
            case "plain" -> PLAIN;
            case "auto" -> interactive && term != null && !term.isBlank() && !term.equals("dumb") ? LINE : PLAIN;
            default -> throw new IllegalArgumentException("--progress " + option + ": expected one of " + CHOICES);
        };
    }

    /** The mode {@code auto} gives this process. */
    public static ProgressMode detect() {
        return resolve("auto", System.console() != null, System.getenv("TERM"));
    }
}
