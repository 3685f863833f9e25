package io.gradtune.worker.telemetry;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.secret.MissingSecretException;
import io.gradtune.worker.secret.SecretResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The workers' producers get the study's kafka.properties, resolved on the executor; no broker needed. */
class KafkaMetricsPublisherTest {

    /** Nothing listens here; creating a producer does not connect. */
    private static final String NOWHERE = "127.0.0.1:1";
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"gradtune\" password=\"${env:GT_TEST_KAFKA_PASSWORD}\";";

    @AfterEach
    void closeProducers() {
        KafkaMetricsPublisher.closeAll();
    }

    @Test
    void securitySettingsReachTheProducerConfigButCannotOverrideWhatThePublisherReliesOn() {
        Properties p = KafkaMetricsPublisher.producerConfig("broker:9093", Map.of(
                "security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN", "sasl.jaas.config", "jaas-line",
                "ssl.truststore.location", "/etc/trust.jks", "acks", "0", "bootstrap.servers", "elsewhere:1",
                "delivery.timeout.ms", "1000"), Duration.ofMinutes(5));
        assertEquals("SASL_SSL", p.get("security.protocol"));
        assertEquals("PLAIN", p.get("sasl.mechanism"));
        assertEquals("jaas-line", p.get("sasl.jaas.config"));
        assertEquals("/etc/trust.jks", p.get("ssl.truststore.location"));
        assertEquals("all", p.get("acks"));
        assertEquals("broker:9093", p.get("bootstrap.servers"));
        assertEquals("true", p.get("enable.idempotence"));
        assertEquals("300000", p.get("delivery.timeout.ms"), "the outage tolerance wins over a client property");
    }

    @Test
    void theOutageToleranceSetsHowLongASendWaitsForTheBroker() {
        Map<String, String> five = KafkaMetricsPublisher.outageTimeouts(Duration.ofMinutes(5));
        assertEquals("300000", five.get("delivery.timeout.ms"));
        assertEquals("300000", five.get("max.block.ms"));
        assertEquals("30000", five.get("request.timeout.ms"));
        Map<String, String> eight = KafkaMetricsPublisher.outageTimeouts(Duration.ofSeconds(8));
        assertEquals("8000", eight.get("delivery.timeout.ms"));
        assertEquals("4000", eight.get("request.timeout.ms"), "delivery >= linger (0) + request timeout");
    }

    @Test
    void aRecordTheBrokerNeverAcknowledgesWithinTheToleranceFailsItsDelivery() throws Exception {
        KafkaMetricsPublisher publisher = KafkaMetricsPublisher.shared(NOWHERE, "t.metrics", Map.of(),
                Duration.ofSeconds(2));
        long t0 = System.nanoTime();
        // No metadata and no broker: send itself may wait max.block.ms, then the delivery fails.
        RecordLostException e = assertThrows(RecordLostException.class, () -> publisher.send(EpochMetrics.of("s", "run-1",
                "t0001", 0, "driver", "localhost", 1, 1, 1, 0.5, 0.01, 10, 0, List.of())).await(() -> false));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds < 10, "gave up after " + seconds + " s");
        assertTrue(e.getMessage().contains("epoch 1 record of trial t0001"), e.getMessage());
    }

    @Test
    void aTaskCancelEndsTheWaitForAnAbsentBrokerAtOnce() throws Exception {
        KafkaMetricsPublisher publisher = KafkaMetricsPublisher.shared(NOWHERE, "t.metrics", Map.of(),
                Duration.ofMinutes(1));
        java.util.concurrent.atomic.AtomicReference<Throwable> ended = new java.util.concurrent.atomic.AtomicReference<>();
        Thread trial = new Thread(() -> {
            try {
                publisher.send(EpochMetrics.of("s", "run-1", "t0001", 0, "driver", "localhost", 1, 1, 1, 0.5, 0.01, 10, 0,
                        List.of())).await(() -> false);
                ended.set(new AssertionError("acknowledged by a broker that does not exist"));
            } catch (Throwable t) {
                ended.set(t);
            }
        });
        trial.start();
        trial.interrupt(); // what a Spark task cancel does
        trial.join(10_000);
        assertFalse(trial.isAlive(), "still waiting 10 s after the interrupt");
        assertTrue(ended.get() instanceof InterruptedException
                || ended.get() instanceof org.apache.kafka.common.errors.InterruptException, String.valueOf(ended.get()));
    }

    @Test
    void placeholdersAreResolvedOnTheExecutorAndStudiesWithDifferentSettingsGetTheirOwnProducer() {
        Map<String, String> sasl = Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", JAAS);
        try (SecretResolver.Replacement ignored = SecretResolver.overrideInThisJvm(
                SecretResolver.of(Map.of("GT_TEST_KAFKA_PASSWORD", "pw-one")))) {
            KafkaMetricsPublisher plain = KafkaMetricsPublisher.shared(NOWHERE, "t.metrics");
            KafkaMetricsPublisher secured = KafkaMetricsPublisher.shared(NOWHERE, "t.metrics", sasl);
            assertNotSame(plain, secured, "same bootstrap and topic, other settings: another producer");
            assertSame(secured, KafkaMetricsPublisher.shared(NOWHERE, "t.metrics", sasl));
            assertEquals(2, KafkaMetricsPublisher.sharedCount());
        }
        try (SecretResolver.Replacement ignored = SecretResolver.overrideInThisJvm(
                SecretResolver.of(Map.of("GT_TEST_KAFKA_PASSWORD", "pw-two")))) {
            KafkaMetricsPublisher.shared(NOWHERE, "t.metrics", sasl);
            assertEquals(3, KafkaMetricsPublisher.sharedCount(), "another password resolves to another producer");
        }
    }

    @Test
    void theSharingKeyHoldsADigestNotTheSecret() {
        String key = KafkaMetricsPublisher.key(NOWHERE, "t.metrics", Map.of("sasl.jaas.config", "password=\"pw-one\""));
        assertFalse(key.contains("pw-one"), key);
        assertTrue(key.startsWith(NOWHERE + "|t.metrics|"), key);
        assertNotSame(key, KafkaMetricsPublisher.key(NOWHERE, "t.metrics", Map.of()));
        assertFalse(key.equals(KafkaMetricsPublisher.key(NOWHERE, "t.metrics", Map.of("sasl.jaas.config", "password=\"pw-two\""))));
    }

    @Test
    void aVariableMissingOnTheExecutorIsAClearErrorAndNoProducerIsMade() {
        try (SecretResolver.Replacement ignored = SecretResolver.overrideInThisJvm(SecretResolver.of(Map.of()))) {
            MissingSecretException e = assertThrows(MissingSecretException.class, () -> KafkaMetricsPublisher.shared(
                    NOWHERE, "t.metrics", Map.of("sasl.jaas.config", JAAS)));
            assertEquals("kafka.properties.sasl.jaas.config", e.field());
            assertEquals("GT_TEST_KAFKA_PASSWORD", e.variable());
            assertEquals(0, KafkaMetricsPublisher.sharedCount());
        }
    }
}
