package io.gradtune.worker.telemetry;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.ProtocolCodec;
import io.gradtune.worker.secret.MissingSecretException;
import io.gradtune.worker.secret.Placeholders;
import io.gradtune.worker.secret.SecretResolver;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Publishes {@link EpochMetrics} as JSON to Kafka, keyed by trial id so one trial's records stay ordered in one
 * partition. Idempotent with acks=all. One producer per (bootstrap, topic, client properties) per executor JVM,
 * shared by trials and closed when the JVM exits, so trials pay no connection set-up, and studies with different
 * security settings never share a producer.
 *
 * <p>The client properties are the study's {@code kafka.properties} (security.protocol, sasl.*, ssl.*, ...) as
 * written in the config: {@code ${env:NAME}} placeholders are resolved here, on the executor, from its environment
 * ({@link SecretResolver#jvmDefault()}). The publisher's key holds a digest of the resolved properties, never
 * the values.
 */
public final class KafkaMetricsPublisher implements MetricsPublisher {

    /** The config field the client properties come from, named in errors. */
    public static final String PROPERTIES_FIELD = "kafka.properties";

    private static final Map<String, KafkaMetricsPublisher> SHARED = new ConcurrentHashMap<>();

    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final AtomicReference<Exception> lastError = new AtomicReference<>();

    private KafkaMetricsPublisher(Properties config, String topic) {
        this.producer = new KafkaProducer<>(config);
        this.topic = topic;
    }

    /**
     * The producer configuration: the resolved client properties first, then the settings the publisher relies
     * on (bootstrap servers, acks=all, idempotence, serializers), which the client properties cannot override.
     */
    static Properties producerConfig(String bootstrap, Map<String, String> resolvedProperties) {
        Properties p = new Properties();
        p.putAll(resolvedProperties);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "gradtune-worker-" + ProcessHandle.current().pid());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }

    /** The executor-wide publisher for a bootstrap and topic, without client properties (a PLAINTEXT broker). */
    public static KafkaMetricsPublisher shared(String bootstrap, String topic) {
        return shared(bootstrap, topic, Map.of());
    }

    /**
     * The executor-wide publisher for a bootstrap, topic and the study's client properties (placeholders
     * unresolved; resolved here with {@link SecretResolver#jvmDefault()}).
     *
     * @throws MissingSecretException   when a placeholder's variable is not set in this JVM's environment
     * @throws IllegalArgumentException when a placeholder is malformed
     */
    public static KafkaMetricsPublisher shared(String bootstrap, String topic, Map<String, String> clientProperties) {
        Map<String, String> resolved = Placeholders.resolveAll(PROPERTIES_FIELD, clientProperties,
                SecretResolver.jvmDefault());
        return SHARED.computeIfAbsent(key(bootstrap, topic, resolved), k -> {
            KafkaMetricsPublisher pub = new KafkaMetricsPublisher(producerConfig(bootstrap, resolved), topic);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> pub.producer.close(Duration.ofSeconds(5))));
            return pub;
        });
    }

    /** bootstrap|topic|SHA-256 of the resolved properties in key order: distinct settings, distinct keys. */
    static String key(String bootstrap, String topic, Map<String, String> resolved) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(resolved).forEach((k, v) -> {
                sha.update(k.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(v.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            });
            return bootstrap + "|" + topic + "|" + HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Number of shared producers in this JVM (for tests). */
    static int sharedCount() {
        return SHARED.size();
    }

    /** Closes every shared producer; for the driver's in-process executors at the end of a study. */
    public static void closeAll() {
        SHARED.values().forEach(p -> p.producer.close(Duration.ofSeconds(5)));
        SHARED.clear();
    }

    @Override
    public void publish(EpochMetrics metrics) {
        producer.send(new ProducerRecord<>(topic, metrics.trialId(), ProtocolCodec.encode(metrics)), (md, e) -> {
            if (e != null) {
                lastError.set(e);
            }
        });
    }

    @Override
    public void flush() {
        producer.flush();
        Exception e = lastError.getAndSet(null);
        if (e != null) {
            throw new IllegalStateException("publishing metrics to " + topic + " failed: " + e.getMessage(), e);
        }
    }
}
