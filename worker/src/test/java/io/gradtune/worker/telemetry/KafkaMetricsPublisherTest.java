package io.gradtune.worker.telemetry;

import io.gradtune.worker.secret.MissingSecretException;
import io.gradtune.worker.secret.SecretResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
                "ssl.truststore.location", "/etc/trust.jks", "acks", "0", "bootstrap.servers", "elsewhere:1"));
        assertEquals("SASL_SSL", p.get("security.protocol"));
        assertEquals("PLAIN", p.get("sasl.mechanism"));
        assertEquals("jaas-line", p.get("sasl.jaas.config"));
        assertEquals("/etc/trust.jks", p.get("ssl.truststore.location"));
        assertEquals("all", p.get("acks"));
        assertEquals("broker:9093", p.get("bootstrap.servers"));
        assertEquals("true", p.get("enable.idempotence"));
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
