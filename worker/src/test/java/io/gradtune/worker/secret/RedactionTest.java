package io.gradtune.worker.secret;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

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
        for (String k : List.of("security.protocol", "sasl.mechanism", "ssl.truststore.location", "acks",
                "spark.executorEnv.KAFKA_PW")) {
            assertFalse(Redaction.isSensitive(k), k);
        }
    }

    @Test
    void aSecretSettingIsHiddenWholeWhetherLiteralOrAPlaceholder() {
        String literal = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"bob\" password=\"hunter2\";";
        assertEquals("[hidden]", Redaction.hide("sasl.jaas.config", literal));
        assertEquals("[hidden]", Redaction.hide("sasl.jaas.config", literal.replace("hunter2", "${env:GT_PW}")));
        assertEquals("[hidden]", Redaction.hide("ssl.truststore.password", "${env:TRUST}"));
        assertEquals("[hidden]", Redaction.hide("ssl.keystore.location", "/etc/ks.p12"), "'key' in the name");
        assertEquals("[hidden]", Redaction.hide("spark.executorEnv.GT_API_TOKEN", "x"));
        assertEquals("SASL_SSL", Redaction.hide("security.protocol", "SASL_SSL"));
        assertEquals(List.of("hunter2"), Redaction.literalSecrets("sasl.jaas.config", literal));
        assertEquals(List.of(), Redaction.literalSecrets("sasl.jaas.config", literal.replace("hunter2", "${env:X}")));
    }

    @Test
    void theConfigTextHidesSecretValuesOnTheirLinesInBlockValuesAndInFlowStyle() {
        String yaml = """
                kafka:
                  properties:
                    security.protocol: SASL_SSL
                    sasl.jaas.config: >-
                      org.apache.kafka.common.security.plain.PlainLoginModule required
                      username="bob" password="hunter2";
                    ssl.key.password: "${env:GT_KEY_PW}"
                    'ssl.keystore.password': changeit  # literal
                spark:
                  properties: {spark.executorEnv.GT_KAFKA_PASSWORD: sparkSecret1, spark.master.x: y}
                output: {dir: runs}
                """;
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"bob\" password=\"hunter2\";");
        settings.put("ssl.key.password", "${env:GT_KEY_PW}");
        settings.put("ssl.keystore.password", "changeit");
        settings.put("spark.executorEnv.GT_KAFKA_PASSWORD", "sparkSecret1");
        String shown = Redaction.hideInYaml(yaml, settings);
        assertEquals("""
                kafka:
                  properties:
                    security.protocol: SASL_SSL
                    sasl.jaas.config: "[hidden]"
                    ssl.key.password: "[hidden]"
                    'ssl.keystore.password': "[hidden]"
                spark:
                  properties: {spark.executorEnv.GT_KAFKA_PASSWORD: [hidden], spark.master.x: y}
                output: {dir: runs}
                """, shown);
    }

    @Test
    void aLiteralPasswordSettingIsSecretWholeAndOtherSettingsAreNot() {
        assertEquals(List.of("changeit"), Redaction.literalSecrets("ssl.truststore.password", "changeit"));
        assertEquals(List.of(), Redaction.literalSecrets("ssl.truststore.password", "${env:TRUST}"));
        assertEquals(List.of(), Redaction.literalSecrets("security.protocol", "SASL_SSL"));
        assertEquals("a [hidden] b [hidden]", Redaction.redactText("a changeit b changeit", List.of("changeit")));
    }
}
