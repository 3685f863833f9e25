package io.gradtune.worker.telemetry;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.ProtocolCodec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Publishes {@link EpochMetrics} as JSON to Kafka, keyed by trial id so one trial's records stay ordered in one
 * partition. Idempotent with acks=all. One producer per (bootstrap, topic) per executor JVM, shared by trials
 * and closed when the JVM exits, so trials pay no connection set-up.
 */
public final class KafkaMetricsPublisher implements MetricsPublisher {

    private static final Map<String, KafkaMetricsPublisher> SHARED = new ConcurrentHashMap<>();

    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final AtomicReference<Exception> lastError = new AtomicReference<>();

    private KafkaMetricsPublisher(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "gradtune-worker-" + ProcessHandle.current().pid());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.producer = new KafkaProducer<>(p);
        this.topic = topic;
    }

    /** The executor-wide publisher for a bootstrap and topic. */
    public static KafkaMetricsPublisher shared(String bootstrap, String topic) {
        return SHARED.computeIfAbsent(bootstrap + "|" + topic, k -> {
            KafkaMetricsPublisher pub = new KafkaMetricsPublisher(bootstrap, topic);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> pub.producer.close(java.time.Duration.ofSeconds(5))));
            return pub;
        });
    }

    /** Closes every shared producer; for the driver's in-process executors at the end of a study. */
    public static void closeAll() {
        SHARED.values().forEach(p -> p.producer.close(java.time.Duration.ofSeconds(5)));
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
