package io.gradtune.driver.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses wall-time budgets: {@code 90s}, {@code 90m}, {@code 2h}, {@code 1d}, or ISO-8601 such as {@code PT1H30M}. */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([smhd])");

    private Durations() {
    }

    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            double v = Double.parseDouble(m.group(1));
            double seconds = switch (m.group(2)) {
                case "s" -> v;
                case "m" -> v * 60;
                case "h" -> v * 3600;
                default -> v * 86400;
            };
            return Duration.ofMillis(Math.round(seconds * 1000));
        }
        try {
            Duration d = Duration.parse(text.trim().toUpperCase(Locale.ROOT));
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("a time budget must be positive");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("expected a duration such as 90m, 2h, 45s or ISO-8601 PT1H30M");
        }
    }
}
