package io.gradtune.worker.secret;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which settings are secret, and how to keep them out of everything gradtune writes or shows. The rule: a setting
 * whose key contains (ignoring case) {@code password}, {@code secret}, {@code jaas}, {@code token}, {@code key} or
 * {@code credential}, or that Kafka's own producer, consumer or admin definition types as a password, prints as
 * {@link #MASK}, as Kafka prints its passwords: whether its value is written literally or as a {@code ${env:NAME}}
 * placeholder (a placeholder names where the secret lives, which is not for a report either). Applies to
 * {@code kafka.properties} and {@code spark.properties} alike.
 */
public final class Redaction {

    /** What a secret setting's value is replaced with: Kafka's own mask. */
    public static final String MASK = "[hidden]";

    /** Key substrings that make a setting secret, case-insensitive. */
    public static final Pattern SENSITIVE_NAME = Pattern.compile("(?i)password|secret|jaas|token|key|credential");

    /** A JAAS option: {@code name="quoted value"} or {@code name=bare}. */
    private static final Pattern JAAS_OPTION =
            Pattern.compile("([A-Za-z_][A-Za-z0-9_.-]*)\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^\\s;\"]+))");

    /** A YAML mapping line: indentation, an optional list dash, a (possibly quoted) key, the colon, the value. */
    private static final Pattern YAML_ENTRY =
            Pattern.compile("^(\\s*(?:-\\s+)?)([\"']?)([^\\s\"'#:{}\\[\\],][^\"'#:{}\\[\\],]*?)\\2\\s*:(?:\\s+(.*))?$");

    /** Values shorter than this are not searched for in free text (they would match unrelated words). */
    private static final int MIN_SEARCHED_LENGTH = 4;

    private static final List<ConfigDef> KAFKA_DEFS =
            List.of(ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef());

    private Redaction() {
    }

    /** Whether the setting {@code key} holds a secret. */
    public static boolean isSensitive(String key) {
        for (ConfigDef def : KAFKA_DEFS) {
            ConfigDef.ConfigKey k = def.configKeys().get(key);
            if (k != null && k.type == ConfigDef.Type.PASSWORD) {
                return true;
            }
        }
        return SENSITIVE_NAME.matcher(key).find();
    }

    /** {@code value} as it may be shown: {@link #MASK} for a sensitive {@code key}, else unchanged. */
    public static String hide(String key, String value) {
        return value != null && isSensitive(key) ? MASK : value;
    }

    /** Every setting of {@code settings} as it may be shown ({@link #hide}), in the same order. */
    public static Map<String, String> hideAll(Map<String, String> settings) {
        Map<String, String> out = new LinkedHashMap<>();
        settings.forEach((k, v) -> out.put(k, hide(k, v)));
        return out;
    }

    /**
     * The secrets written literally in setting {@code key}'s {@code value}: none when the setting is not sensitive;
     * for a JAAS line, the values of its options whose names look secret ({@code password="..."}); otherwise the
     * whole value. A value that is just placeholders has none: {@code ${env:NAME}} is not a secret (but is still
     * {@link #hide hidden}). Used to warn that a literal secret travels in trial specs.
     */
    public static List<String> literalSecrets(String key, String value) {
        List<String> out = new ArrayList<>();
        if (value == null || value.isEmpty() || !isSensitive(key)) {
            return out;
        }
        if (key.endsWith("jaas.config")) {
            Matcher m = JAAS_OPTION.matcher(value);
            while (m.find()) {
                String v = m.group(2) != null ? m.group(2) : m.group(3);
                if (SENSITIVE_NAME.matcher(m.group(1)).find() && isLiteral(v)) {
                    out.add(v);
                }
            }
        } else if (isLiteral(value)) {
            out.add(value);
        }
        return out;
    }

    /** {@code text} with every occurrence of each secret replaced by {@link #MASK}, longest secrets first. */
    public static String redactText(String text, Collection<String> secrets) {
        if (text == null) {
            return null;
        }
        String out = text;
        List<String> sorted = secrets.stream().filter(s -> s != null && !s.isEmpty())
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (String s : sorted) {
            out = out.replace(s, MASK);
        }
        return out;
    }

    /**
     * A YAML config's text with the value of every sensitive setting hidden: on a {@code key: value} line whose key
     * is sensitive the value becomes {@code "[hidden]"} and its continuation lines (more indented: a block scalar, a
     * folded or multi-line value) are dropped; then any remaining occurrence of a sensitive value of
     * {@code settings} (flow style, {@code {key: value}}) is replaced by {@link #MASK}.
     *
     * @return the text, or null when a literal secret of {@code settings} would still show (never expected; the
     *         caller then shows no text at all)
     */
    public static String hideInYaml(String text, Map<String, String> settings) {
        if (text == null) {
            return null;
        }
        List<String> lines = text.lines().toList();
        StringBuilder out = new StringBuilder(text.length());
        int skipDeeperThan = -1;
        for (String line : lines) {
            int indent = indentation(line);
            if (skipDeeperThan >= 0) {
                if (line.isBlank() || indent > skipDeeperThan) {
                    continue;
                }
                skipDeeperThan = -1;
            }
            Matcher m = YAML_ENTRY.matcher(line);
            if (m.matches() && isSensitive(m.group(3).trim())) {
                String value = m.group(4) == null ? "" : m.group(4).trim();
                if (!value.startsWith("#")) {
                    out.append(line, 0, line.indexOf(':', m.end(3)) + 1).append(" \"").append(MASK)
                            .append("\"\n");
                    skipDeeperThan = indent;
                    continue;
                }
            }
            out.append(line).append('\n');
        }
        List<String> values = new ArrayList<>();
        settings.forEach((k, v) -> {
            if (v != null && v.length() >= MIN_SEARCHED_LENGTH && isSensitive(k)) {
                values.add(v);
            }
        });
        String hidden = redactText(out.toString(), values);
        for (Map.Entry<String, String> e : settings.entrySet()) {
            for (String secret : literalSecrets(e.getKey(), e.getValue())) {
                if (hidden.contains(secret)) {
                    return null;
                }
            }
        }
        return hidden;
    }

    private static int indentation(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static boolean isLiteral(String v) {
        if (v == null || v.isEmpty()) {
            return false;
        }
        try {
            return !Placeholders.hasPlaceholder(v);
        } catch (IllegalArgumentException malformed) {
            return true;
        }
    }
}
