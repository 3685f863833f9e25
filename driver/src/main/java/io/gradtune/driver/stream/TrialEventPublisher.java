package io.gradtune.driver.stream;

import io.gradtune.worker.protocol.ProtocolCodec;
import io.gradtune.worker.telemetry.KafkaMetricsPublisher;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes the study's event log to {@code <prefix>.trials}, keyed by trial id: every lifecycle change and every
 * stopping decision with its reason, as JSON objects of type {@code trial_event}. Each carries the run id, so the
 * events of two runs of a study with the same name on one topic can be told apart.
 *
 * <p>Sends ride out a broker outage up to the study's outage tolerance, like the workers' records
 * ({@link KafkaMetricsPublisher#outageTimeouts}); {@code send} itself waits at most {@link #MAX_BLOCK} for metadata,
 * since it runs on the thread that makes stopping decisions. An event that could not be sent is logged and
 * counted ({@link #sendFailures()}), never dropped silently; it never fails the caller.
 */
public final class TrialEventPublisher implements AutoCloseable {

    public static final String TYPE = "trial_event";
    /** 2: {@code runId} added (after {@code study}). */
    public static final int SCHEMA_VERSION = 2;

    /** Longest time {@code publish} may block the caller waiting for the topic's metadata. */
    static final Duration MAX_BLOCK = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(TrialEventPublisher.class);

    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final String study;
    private final String runId;
    private final AtomicLong failures = new AtomicLong();
    private final Object pendingLock = new Object();
    private long pending;

    /** An event publisher whose sends ride out outages of {@link KafkaMetricsPublisher#DEFAULT_OUTAGE_TOLERANCE}. */
    public TrialEventPublisher(String bootstrap, Map<String, String> clientProperties, String topic, String study,
                               String runId) {
        this(bootstrap, clientProperties, topic, study, runId, KafkaMetricsPublisher.DEFAULT_OUTAGE_TOLERANCE);
    }

    /**
     * @param runId           the run whose events these are
     * @param outageTolerance how long a send waits for an absent broker ({@code kafka.outage_tolerance})
     */
    public TrialEventPublisher(String bootstrap, Map<String, String> clientProperties, String topic, String study,
                               String runId, Duration outageTolerance) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.putAll(KafkaMetricsPublisher.outageTimeouts(outageTolerance));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(Math.min(MAX_BLOCK.toMillis(),
                outageTolerance.toMillis())));
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
        synchronized (pendingLock) {
            pending++;
        }
        try {
            producer.send(new ProducerRecord<>(topic, trialId,
                    encode(study, runId, trialId, event, System.currentTimeMillis(), fields)), (md, e) -> {
                        if (e != null) {
                            failed(trialId, event, e);
                        }
                        sent();
                    });
        } catch (RuntimeException e) {
            // Kafka's send throws for some errors (closed producer, interrupted) instead of failing the future.
            failed(trialId, event, e);
            sent();
        }
    }

    private void failed(String trialId, String event, Exception e) {
        long n = failures.incrementAndGet();
        if (Long.bitCount(n) == 1) { // the 1st, 2nd, 4th, ... failure: an outage does not flood the log
            LOG.warn("could not publish the '{}' event of trial {} to {} ({} failed so far): {}", event, trialId, topic,
                    n, e.toString());
        }
    }

    private void sent() {
        synchronized (pendingLock) {
            pending--;
            pendingLock.notifyAll();
        }
    }

    /** Events the broker never acknowledged: the producer gave up on them, or they could not be sent at all. */
    public long sendFailures() {
        return failures.get();
    }

    /**
     * Waits up to {@code max} for every event published so far to be acknowledged or to fail.
     *
     * @return events still waiting for the broker when the wait ended
     */
    public long awaitSent(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (pendingLock) {
            while (pending > 0 && System.nanoTime() < deadline) {
                pendingLock.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
            return pending;
        }
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
