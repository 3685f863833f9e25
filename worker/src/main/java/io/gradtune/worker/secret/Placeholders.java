package io.gradtune.worker.secret;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${env:NAME}} placeholders in config values: resolved where a Kafka client starts, so a secret is never
 * written into the config, a {@code TrialSpec}, a report or a Spark property.
 *
 * <ul>
 *   <li>{@code ${env:NAME}} is replaced by the variable's value; NAME is letters, digits and {@code _}, not starting
 *       with a digit. A value may hold several placeholders and other text around them (a JAAS line, say).</li>
 *   <li><code>$${env:NAME}</code> is the literal text <code>${env:NAME}</code> (the escape: <code>$${</code> stands for
 *       <code>${</code>).</li>
 *   <li>Other {@code ${provider:...}} references are left alone, so Kafka's own config providers still work.</li>
 * </ul>
 */
public final class Placeholders {

    private static final String NAME = "[A-Za-z_][A-Za-z0-9_]*";
    /** An escape ($${), a well-formed env placeholder, or the start of an env placeholder that is not well-formed. */
    private static final Pattern TOKEN = Pattern.compile("\\$\\$\\{|\\$\\{env:(" + NAME + ")}|\\$\\{env:");

    private Placeholders() {
    }

    /** Whether {@code value} holds at least one {@code ${env:...}} placeholder (escapes do not count). */
    public static boolean hasPlaceholder(String value) {
        return !variables(value).isEmpty();
    }

    /**
     * The variables {@code value} refers to, in order.
     *
     * @throws IllegalArgumentException when a <code>${env:</code> is not followed by a valid name and a closing brace
     */
    public static List<String> variables(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        Matcher m = TOKEN.matcher(value);
        while (m.find()) {
            String token = m.group();
            if (token.equals("$${")) {
                continue;
            }
            if (m.group(1) == null) {
                throw new IllegalArgumentException("malformed placeholder at '" + excerpt(value, m.start())
                        + "': write ${env:NAME}, NAME of letters, digits and _ (or $${env:...} for the literal text)");
            }
            out.add(m.group(1));
        }
        return out;
    }

    /** Checks the placeholders' syntax; see {@link #variables}. */
    public static void check(String value) {
        variables(value);
    }

    /**
     * {@code value} with every placeholder replaced and every escape unescaped.
     *
     * @param field named in the error when a variable is missing, e.g. {@code kafka.properties.sasl.jaas.config}
     * @throws MissingSecretException   when a variable is not set
     * @throws IllegalArgumentException when a placeholder is malformed
     */
    public static String resolve(String field, String value, SecretResolver resolver) {
        if (value == null || value.indexOf('$') < 0) {
            return value;
        }
        Matcher m = TOKEN.matcher(value);
        StringBuilder out = new StringBuilder(value.length());
        int last = 0;
        while (m.find()) {
            out.append(value, last, m.start());
            String token = m.group();
            if (token.equals("$${")) {
                out.append("${");
            } else if (m.group(1) == null) {
                throw new IllegalArgumentException(field + ": malformed placeholder at '" + excerpt(value, m.start())
                        + "': write ${env:NAME}");
            } else {
                String v = resolver.get(m.group(1));
                if (v == null) {
                    throw new MissingSecretException(field, m.group(1));
                }
                out.append(v);
            }
            last = m.end();
        }
        return out.append(value, last, value.length()).toString();
    }

    /**
     * Every value of {@code properties} resolved, keys and order kept.
     *
     * @param fieldPrefix path of the map in the config, e.g. {@code kafka.properties}; a field is prefix + "." + key
     */
    public static Map<String, String> resolveAll(String fieldPrefix, Map<String, String> properties,
                                                 SecretResolver resolver) {
        Map<String, String> out = new LinkedHashMap<>();
        properties.forEach((k, v) -> out.put(k, resolve(fieldPrefix + "." + k, v, resolver)));
        return out;
    }

    /** Up to 12 characters from {@code from}: enough to find the spot, too short to carry a secret's worth of text. */
    private static String excerpt(String value, int from) {
        return value.substring(from, Math.min(value.length(), from + 12));
    }
}
