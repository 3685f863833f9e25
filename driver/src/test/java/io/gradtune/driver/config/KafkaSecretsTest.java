package io.gradtune.driver.config;

import io.gradtune.worker.secret.SecretResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The driver resolves kafka.properties placeholders before anything starts and knows which values are secret. */
class KafkaSecretsTest {

    @TempDir
    Path dir;

    private StudyConfig load(String kafka) throws IOException {
        Files.writeString(dir.resolve("data.csv"), "a,b,label\n1,2,0\n3,4,1\n");
        Path f = dir.resolve("study.yaml");
        Files.writeString(f, StudyConfigLoaderTest.VALID + kafka);
        return StudyConfigLoader.load(f);
    }

    private static final String SASL = """
            kafka:
              bootstrap: broker:9093
              properties:
                security.protocol: SASL_SSL
                sasl.mechanism: PLAIN
                sasl.jaas.config: 'org.apache.kafka.common.security.plain.PlainLoginModule required username="gradtune" password="${env:GT_KAFKA_PASSWORD}";'
                ssl.truststore.password: ${env:GT_TRUST}
            """;

    @Test
    void everyPlaceholderIsResolvedForTheDriversClients() throws IOException {
        Map<String, String> p = KafkaSecrets.resolve(load(SASL),
                SecretResolver.of(Map.of("GT_KAFKA_PASSWORD", "pw", "GT_TRUST", "changeit")));
        assertEquals("org.apache.kafka.common.security.plain.PlainLoginModule required username=\"gradtune\" password=\"pw\";",
                p.get("sasl.jaas.config"));
        assertEquals("changeit", p.get("ssl.truststore.password"));
        assertEquals("SASL_SSL", p.get("security.protocol"));
    }

    @Test
    void aMissingVariableIsAConfigErrorNamingFileFieldAndVariable() throws IOException {
        StudyConfig c = load(SASL);
        ConfigException e = assertThrows(ConfigException.class,
                () -> KafkaSecrets.resolve(c, SecretResolver.of(Map.of("GT_KAFKA_PASSWORD", "pw"))));
        assertEquals("kafka.properties.ssl.truststore.password", e.field());
        assertTrue(e.getMessage().contains("study.yaml: field 'kafka.properties.ssl.truststore.password'"), e.getMessage());
        assertTrue(e.getMessage().contains("environment variable GT_TRUST is not set"), e.getMessage());
        assertFalse(e.getMessage().contains("pw"), "no value in the message: " + e.getMessage());
    }

    @Test
    void literalSecretsAreFoundAndEverySecretSettingIsHiddenLiteralOrPlaceholder() throws IOException {
        StudyConfig c = load("""
                kafka:
                  properties:
                    sasl.jaas.config: 'org.apache.kafka.common.security.plain.PlainLoginModule required username="gradtune" password="hunter2";'
                    ssl.truststore.password: ${env:GT_TRUST}
                    security.protocol: SASL_SSL
                """);
        assertEquals(List.of("kafka.properties.sasl.jaas.config"), KafkaSecrets.literalSecretFields(c.kafka()));
        Map<String, String> shown = KafkaSecrets.hidden(c.kafka());
        assertEquals("[hidden]", shown.get("sasl.jaas.config"), shown.toString());
        assertEquals("[hidden]", shown.get("ssl.truststore.password"), "a placeholder is hidden too");
        assertEquals("SASL_SSL", shown.get("security.protocol"));
    }
}
