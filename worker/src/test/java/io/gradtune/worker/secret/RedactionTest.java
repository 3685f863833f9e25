package io.gradtune.worker.secret;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedactionTest {

    @Test
    void kafkasPasswordSettingsAndSecretLookingNamesAreSensitive() {
        for (String k : List.of("sasl.jaas.config", "ssl.key.password", "ssl.keystore.password", "ssl.keystore.key",
                "ssl.truststore.password", "my.api.token", "sasl.oauthbearer.client.secret")) {
            assertTrue(Redaction.isSensitive(k), k);
        }
        for (String k : List.of("security.protocol", "sasl.mechanism", "ssl.truststore.location", "acks")) {
            assertFalse(Redaction.isSensitive(k), k);
        }
    }

    @Test
    void aLiteralJaasPasswordIsASecretAPlaceholderIsNot() {
        String literal = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"bob\" password=\"hunter2\";";
        assertEquals(List.of("hunter2"), Redaction.literalSecrets("sasl.jaas.config", literal));
        assertEquals("org.apache.kafka.common.security.plain.PlainLoginModule required username=\"bob\" password=\"[redacted]\";",
                Redaction.redact("sasl.jaas.config", literal));
        String placeholder = literal.replace("hunter2", "${env:GT_PW}");
        assertEquals(List.of(), Redaction.literalSecrets("sasl.jaas.config", placeholder));
        assertEquals(placeholder, Redaction.redact("sasl.jaas.config", placeholder));
    }

    @Test
    void aLiteralPasswordSettingIsSecretWholeAndOtherSettingsAreNot() {
        assertEquals(List.of("changeit"), Redaction.literalSecrets("ssl.truststore.password", "changeit"));
        assertEquals(List.of(), Redaction.literalSecrets("ssl.truststore.password", "${env:TRUST}"));
        assertEquals(List.of(), Redaction.literalSecrets("security.protocol", "SASL_SSL"));
        assertEquals("a [redacted] b [redacted]", Redaction.redactText("a changeit b changeit", List.of("changeit")));
    }
}
