package io.gradtune.worker.secret;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlaceholdersTest {

    private static final SecretResolver ENV = SecretResolver.of(Map.of("GT_USER", "alice", "GT_PW", "s3cr3t"));

    @Test
    void aPlaceholderInsideAJaasLineIsReplacedAndTheRestKept() {
        String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"${env:GT_USER}\" password=\"${env:GT_PW}\";";
        assertEquals("org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"alice\" password=\"s3cr3t\";", Placeholders.resolve("f", jaas, ENV));
        assertEquals(List.of("GT_USER", "GT_PW"), Placeholders.variables(jaas));
    }

    @Test
    void valuesWithoutPlaceholdersAreReturnedAsTheyAre() {
        String v = "SASL_PLAINTEXT";
        assertSame(v, Placeholders.resolve("f", v, ENV));
        assertEquals("a $ b ${file:/etc/x:key} $", Placeholders.resolve("f", "a $ b ${file:/etc/x:key} $", ENV),
                "other providers' references are Kafka's to resolve");
        assertFalse(Placeholders.hasPlaceholder("${file:/etc/x:key}"));
    }

    @Test
    void aDoubledDollarEscapesThePlaceholder() {
        assertEquals("literal ${env:GT_PW} and s3cr3t", Placeholders.resolve("f", "literal $${env:GT_PW} and ${env:GT_PW}", ENV));
        assertFalse(Placeholders.hasPlaceholder("$${env:NOT_SET_ANYWHERE}"));
        assertEquals("${env:NOT_SET_ANYWHERE}", Placeholders.resolve("f", "$${env:NOT_SET_ANYWHERE}", ENV),
                "an escaped placeholder needs no variable");
    }

    @Test
    void aMissingVariableNamesTheFieldAndTheVariable() {
        MissingSecretException e = assertThrows(MissingSecretException.class,
                () -> Placeholders.resolve("kafka.properties.sasl.jaas.config", "x password=\"${env:GT_NOPE}\";", ENV));
        assertEquals("kafka.properties.sasl.jaas.config", e.field());
        assertEquals("GT_NOPE", e.variable());
        assertEquals("kafka.properties.sasl.jaas.config: environment variable GT_NOPE is not set "
                + "(the value is written ${env:GT_NOPE})", e.getMessage());
    }

    @Test
    void resolveAllKeepsKeysAndOrderAndPrefixesFieldNames() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("security.protocol", "SASL_SSL");
        props.put("ssl.truststore.password", "${env:GT_PW}");
        props.put("ssl.keystore.password", "${env:GT_MISSING}");
        MissingSecretException e = assertThrows(MissingSecretException.class,
                () -> Placeholders.resolveAll("kafka.properties", props, ENV));
        assertEquals("kafka.properties.ssl.keystore.password", e.field());
        props.remove("ssl.keystore.password");
        Map<String, String> resolved = Placeholders.resolveAll("kafka.properties", props, ENV);
        assertEquals(List.of("security.protocol", "ssl.truststore.password"), List.copyOf(resolved.keySet()));
        assertEquals("s3cr3t", resolved.get("ssl.truststore.password"));
    }

    @Test
    void malformedPlaceholdersAreRejected() {
        for (String bad : List.of("${env:}", "${env:1ABC}", "${env:NAME", "x ${env:A-B}", "${env:A B}")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Placeholders.check(bad), bad);
            assertTrue(e.getMessage().contains("${env:NAME}"), e.getMessage());
        }
    }

    @Test
    void theJvmDefaultIsTheEnvironmentUntilOverriddenAndRestoredOnClose() {
        String path = System.getenv("PATH");
        assertEquals(path, SecretResolver.jvmDefault().get("PATH"));
        try (SecretResolver.Replacement ignored = SecretResolver.overrideInThisJvm(ENV)) {
            assertEquals("alice", SecretResolver.jvmDefault().get("GT_USER"));
            assertEquals(null, SecretResolver.jvmDefault().get("PATH"));
        }
        assertEquals(path, SecretResolver.jvmDefault().get("PATH"));
    }
}
