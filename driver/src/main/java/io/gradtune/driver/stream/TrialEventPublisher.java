package io.gradtune.driver.stream;

import io.gradtune.worker.protocol.ProtocolCodec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Writes the study's event log to {@code <prefix>.trials}, keyed by trial id: every lifecycle change and every
 * stopping decision with its reason, as JSON objects of type {@code trial_event}. Each carries the run id, so the
 * events of two runs of a study with the same name on one topic can be told apart.
 */
public final class TrialEventPublisher implements AutoCloseable {

    public static final String TYPE = "trial_event";
    /** 2: {@code runId} added (after {@code study}). */
    public static final int SCHEMA_VERSION = 2;

    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final String study;
    private final String runId;

    /** @param runId the run whose events these are */
    public TrialEventPublisher(String bootstrap, Map<String, String> clientProperties, String topic, String study,
                               String runId) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.producer = new KafkaProducer<>(p);
        this.topic = topic;
        this.study = study;
        this.runId = runId;
    }

    /** Publishes one event; {@code fields} are added after type, schemaVersion, study, runId, trialId, event, time. */
    public void publish(String trialId, String event, Map<String, ?> fields) {
        producer.send(new ProducerRecord<>(topic, trialId,
                encode(study, runId, trialId, event, System.currentTimeMillis(), fields)));
    }

    /**
     * One event as JSON, through {@link ProtocolCodec} like every message: type, schemaVersion, study, runId, trialId,
     * event, timestampMillis, then {@code fields} in their order; non-finite numbers as the protocol's strings
     * {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
     */
    static String encode(String study, String runId, String trialId, String event, long timestampMillis,
                         Map<String, ?> fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", TYPE);
        m.put("schemaVersion", SCHEMA_VERSION);
        m.put("study", study);
        m.put("runId", runId);
        m.put("trialId", trialId);
        m.put("event", event);
        m.put("timestampMillis", timestampMillis);
        m.putAll(fields);
        return ProtocolCodec.encode(m);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
