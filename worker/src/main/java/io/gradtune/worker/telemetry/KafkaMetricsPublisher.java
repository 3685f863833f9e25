package io.gradtune.worker.telemetry;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.ProtocolCodec;
import io.gradtune.worker.secret.MissingSecretException;
import io.gradtune.worker.secret.Placeholders;
import io.gradtune.worker.secret.SecretResolver;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 *
 * <p>Outages: the producer rides out a broker that is away for up to the study's outage tolerance
 * ({@code kafka.outage_tolerance}, default {@link #DEFAULT_OUTAGE_TOLERANCE}): sends wait for the broker that long
 * ({@code delivery.timeout.ms} and {@code max.block.ms}), so no record is lost to a shorter outage. A record the
 * producer finally gives up on fails its {@link Delivery} with a {@link RecordLostException}, which fails the trial
 * attempt.
 */
public final class KafkaMetricsPublisher implements MetricsPublisher {

    /** The config field the client properties come from, named in errors. */
    public static final String PROPERTIES_FIELD = "kafka.properties";

    /** How long a send waits for an absent broker unless the study says otherwise. */
    public static final Duration DEFAULT_OUTAGE_TOLERANCE = Duration.ofMinutes(5);

    /** Longest wait for one produce request's answer; a shorter tolerance uses half of itself. */
    static final Duration MAX_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private static final Map<String, KafkaMetricsPublisher> SHARED = new ConcurrentHashMap<>();

    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final AtomicReference<Exception> lastError = new AtomicReference<>();

    private final Duration outageTolerance;

    private KafkaMetricsPublisher(Properties config, String topic, Duration outageTolerance) {
        this.producer = new KafkaProducer<>(config);
        this.topic = topic;
        this.outageTolerance = outageTolerance;
    }

    /**
     * The producer configuration: the resolved client properties first, then the settings the publisher relies
     * on (bootstrap servers, acks=all, idempotence, serializers, the outage timeouts of
     * {@link #outageTimeouts}), which the client properties cannot override. The driver's verdict producer uses it
     * too, with its own client id.
     */
    public static Properties producerConfig(String bootstrap, Map<String, String> resolvedProperties,
                                     Duration outageTolerance) {
        Properties p = new Properties();
        p.putAll(resolvedProperties);
        p.putAll(outageTimeouts(outageTolerance));
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "gradtune-worker-" + ProcessHandle.current().pid());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }

    /**
     * The producer timeouts that let a send wait out a broker away for {@code tolerance}: {@code delivery.timeout.ms}
     * (how long a record may wait for its acknowledgement, retries included) and {@code max.block.ms} (how long
     * {@code send} may wait for metadata) are the tolerance; one request waits at most half of it, and at most
     * {@link #MAX_REQUEST_TIMEOUT} (Kafka requires delivery &ge; linger + request timeout). Reconnection backs off
     * to at most one second, so a returning broker is found within a second. Shared with the driver's producers.
     */
    public static Map<String, String> outageTimeouts(Duration tolerance) {
        long ms = Math.max(2, tolerance.toMillis());
        long request = Math.min(MAX_REQUEST_TIMEOUT.toMillis(), ms / 2);
        return Map.of(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(ms),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(ms),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(request),
                ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000",
                ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "1000");
    }

    /** The executor-wide publisher for a bootstrap and topic, without client properties (a PLAINTEXT broker). */
    public static KafkaMetricsPublisher shared(String bootstrap, String topic) {
        return shared(bootstrap, topic, Map.of());
    }

    /** {@link #shared(String, String, Map, Duration)} with the {@link #DEFAULT_OUTAGE_TOLERANCE}. */
    public static KafkaMetricsPublisher shared(String bootstrap, String topic, Map<String, String> clientProperties) {
        return shared(bootstrap, topic, clientProperties, DEFAULT_OUTAGE_TOLERANCE);
    }

    /**
     * The executor-wide publisher for a bootstrap, topic, the study's client properties (placeholders
     * unresolved; resolved here with {@link SecretResolver#jvmDefault()}) and outage tolerance.
     *
     * @throws MissingSecretException   when a placeholder's variable is not set in this JVM's environment
     * @throws IllegalArgumentException when a placeholder is malformed
     */
    public static KafkaMetricsPublisher shared(String bootstrap, String topic, Map<String, String> clientProperties,
                                               Duration outageTolerance) {
        Map<String, String> resolved = Placeholders.resolveAll(PROPERTIES_FIELD, clientProperties,
                SecretResolver.jvmDefault());
        return SHARED.computeIfAbsent(key(bootstrap, topic, resolved) + "|" + outageTolerance.toMillis(), k -> {
            KafkaMetricsPublisher pub = new KafkaMetricsPublisher(producerConfig(bootstrap, resolved, outageTolerance),
                    topic, outageTolerance);
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
        send(metrics);
    }

    /**
     * Sends the record; the returned delivery completes when the broker acknowledged it, or fails with a
     * {@link RecordLostException} when the producer gave up on it. May block up to the outage tolerance when the
     * producer has no metadata for the topic yet and the broker is away (interruptible).
     */
    @Override
    public Delivery send(EpochMetrics metrics) {
        Future<RecordMetadata> ack = producer.send(new ProducerRecord<>(topic, metrics.trialId(),
                ProtocolCodec.encode(metrics)), (md, e) -> {
                    if (e != null) {
                        lastError.set(e);
                    }
                });
        return stopRequested -> {
            while (true) {
                try {
                    ack.get(200, TimeUnit.MILLISECONDS);
                    return true;
                } catch (TimeoutException notYet) {
                    if (stopRequested.getAsBoolean()) {
                        return false;
                    }
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause() == null ? e : e.getCause();
                    throw new RecordLostException("the epoch " + metrics.epoch() + " record of trial "
                            + metrics.trialId() + " (attempt " + metrics.attempt() + ") never reached Kafka within "
                            + "kafka.outage_tolerance (" + outageTolerance.toMillis() / 1000.0 + " s): "
                            + cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
                }
            }
        };
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
