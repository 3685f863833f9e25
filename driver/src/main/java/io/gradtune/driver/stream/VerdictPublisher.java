package io.gradtune.driver.stream;

import io.gradtune.worker.protocol.ProtocolCodec;
import io.gradtune.worker.protocol.Verdict;
import io.gradtune.worker.telemetry.KafkaMetricsPublisher;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends the driver's {@link Verdict}s to the study's control topic, keyed by trial id, without lingering: a worker
 * waits for each one at a decision epoch. A verdict that cannot be sent costs only time: the worker trains on after
 * its wait, and a stop still arrives by cancel.
 */
public final class VerdictPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VerdictPublisher.class);

    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final AtomicLong failures = new AtomicLong();

    /**
     * @param clientProperties the study's resolved Kafka client properties
     * @param outageTolerance  how long a send waits for an absent broker ({@code kafka.outage_tolerance})
     */
    public VerdictPublisher(String bootstrap, Map<String, String> clientProperties, String topic,
                            Duration outageTolerance) {
        Properties p = KafkaMetricsPublisher.producerConfig(bootstrap, clientProperties, outageTolerance);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "gradtune-driver-verdicts");
        this.producer = new KafkaProducer<>(p);
        this.topic = topic;
    }

    /** Sends one verdict; never blocks on a missing acknowledgement. */
    public void send(Verdict verdict) {
        try {
            producer.send(new ProducerRecord<>(topic, verdict.trialId(), ProtocolCodec.encode(verdict)), (md, e) -> {
                if (e != null) {
                    failed(verdict, e);
                }
            });
        } catch (RuntimeException e) {
            failed(verdict, e);
        }
    }

    private void failed(Verdict verdict, Exception e) {
        long n = failures.incrementAndGet();
        if (Long.bitCount(n) == 1) {
            LOG.warn("could not send the verdict on trial {} epoch {} ({} failed so far): {}; the trial trains on "
                    + "and a stop arrives by cancel", verdict.trialId(), verdict.epoch(), n, e.toString());
        }
    }

    /** Verdicts that could not be sent. */
    public long failures() {
        return failures.get();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
