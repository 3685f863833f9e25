package io.gradtune.worker.secret;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which client settings are secret, and how to keep a secret written literally into a config (instead of as a
 * {@code ${env:NAME}} placeholder) out of reports. A setting is sensitive when Kafka's own producer, consumer or
 * admin definition types it as a password (Kafka prints those as {@code [hidden]}: {@code sasl.jaas.config},
 * {@code ssl.key.password}, {@code ssl.keystore.key}, ...) or when its name matches {@link #SENSITIVE_NAME}
 * (Spark's default {@code spark.redaction.regex} plus jaas, credential and private key).
 */
public final class Redaction {

    /** What a secret is replaced with. */
    public static final String MASK = "[redacted]";

    /** Spark's default {@code spark.redaction.regex} ({@code (?i)secret|password|token|access[.]key}) and more. */
    public static final Pattern SENSITIVE_NAME =
            Pattern.compile("(?i)secret|password|token|access[.]key|jaas|credential|private[._]?key");

    /** A JAAS option: {@code name="quoted value"} or {@code name=bare}. */
    private static final Pattern JAAS_OPTION =
            Pattern.compile("([A-Za-z_][A-Za-z0-9_.-]*)\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^\\s;\"]+))");

    private static final List<ConfigDef> KAFKA_DEFS =
            List.of(ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef());

    private Redaction() {
    }

    /** Whether the client setting {@code key} holds a secret. */
    public static boolean isSensitive(String key) {
        for (ConfigDef def : KAFKA_DEFS) {
            ConfigDef.ConfigKey k = def.configKeys().get(key);
            if (k != null && k.type == ConfigDef.Type.PASSWORD) {
                return true;
            }
        }
        return SENSITIVE_NAME.matcher(key).find();
    }

    /**
     * The secrets written literally in setting {@code key}'s {@code value}: none when the setting is not sensitive;
     * for a JAAS line, the values of its options whose names look secret ({@code password="..."}); otherwise the
     * whole value. A value that is just placeholders has none: {@code ${env:NAME}} is not a secret.
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

    /** {@code value} with its {@link #literalSecrets} replaced by {@link #MASK}; placeholders are kept. */
    public static String redact(String key, String value) {
        return redactText(value, literalSecrets(key, value));
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
