package io.gradtune.driver.config;

import io.gradtune.worker.secret.MissingSecretException;
import io.gradtune.worker.secret.Placeholders;
import io.gradtune.worker.secret.Redaction;
import io.gradtune.worker.secret.SecretResolver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The driver's side of {@code kafka.properties} secrets: resolves {@code ${env:NAME}} placeholders for the
 * driver's own Kafka clients (admin, consumer, event publisher) before anything starts, says which values hold a
 * secret written literally, so the driver can warn that it travels to executors in every trial spec, and gives the
 * properties as reports show them (secret settings {@code [hidden]}). The workers resolve the same placeholders themselves, on the executors.
 */
public final class KafkaSecrets {

    /** The config path of the client properties. */
    public static final String FIELD = "kafka.properties";

    private KafkaSecrets() {
    }

    /**
     * The client properties with every placeholder resolved by {@code resolver}.
     *
     * @throws ConfigException naming the field and the variable when a variable is not set (exit 2)
     */
    public static Map<String, String> resolve(StudyConfig config, SecretResolver resolver) {
        try {
            return Placeholders.resolveAll(FIELD, config.kafka().properties(), resolver);
        } catch (MissingSecretException e) {
            throw new ConfigException(config.source() == null ? null : config.source().toString(), e.field(), null,
                    "environment variable " + e.variable() + " is not set in the driver's environment (the value is "
                            + "written ${env:" + e.variable() + "}); set it, or write the value differently");
        } catch (IllegalArgumentException e) {
            throw new ConfigException(config.source() == null ? null : config.source().toString(), FIELD, null,
                    e.getMessage());
        }
    }

    /** The fields of {@code kafka.properties} that hold a secret written literally (not as a placeholder). */
    public static List<String> literalSecretFields(StudyConfig.Kafka kafka) {
        List<String> out = new ArrayList<>();
        kafka.properties().forEach((k, v) -> {
            if (!Redaction.literalSecrets(k, v).isEmpty()) {
                out.add(FIELD + "." + k);
            }
        });
        return out;
    }

    /**
     * {@code kafka.properties} as they may be shown: every secret setting's value {@link Redaction#MASK}, literal or
     * placeholder ({@link Redaction#hide}), the others as written.
     */
    public static Map<String, String> hidden(StudyConfig.Kafka kafka) {
        return Redaction.hideAll(kafka.properties());
    }
}
