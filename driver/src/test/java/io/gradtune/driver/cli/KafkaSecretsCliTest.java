package io.gradtune.driver.cli;

import io.gradtune.driver.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A kafka.properties placeholder whose variable the driver lacks: exit 2 before anything starts. */
class KafkaSecretsCliTest {

    /** Set in no environment this test runs in. */
    static final String UNSET = "GRADTUNE_TEST_UNSET_KAFKA_PASSWORD_7F3A";

    @TempDir
    Path dir;

    private Path config() throws Exception {
        Path digits = Path.of("../data/digits.csv").toAbsolutePath().normalize();
        Path cfg = dir.resolve("secret.yaml");
        Files.writeString(cfg, """
                study: secret-cli
                data: {source: %s, label_column: label}
                search: {algorithm: random, max_trials: 1}
                space:
                  learning_rate: {type: float, low: 1.0e-3, high: 1.0e-2, log: true}
                training: {epochs: 1}
                kafka:
                  bootstrap: 127.0.0.1:1
                  properties:
                    security.protocol: SASL_PLAINTEXT
                    sasl.mechanism: PLAIN
                    sasl.jaas.config: 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="${env:%s}";'
                """.formatted(digits, UNSET));
        return cfg;
    }

    @Test
    void runExitsWithTwoNamingFieldAndVariableAndStartsNothing() throws Exception {
        assertEquals(null, System.getenv(UNSET), "the test needs " + UNSET + " unset");
        Path cfg = config();
        long t0 = System.nanoTime();
        Cli r = Cli.run("run", cfg.toString(), "--output",
                dir.resolve("runs").toString());
        String err = r.err();
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(2, r.code(), err);
        assertTrue(err.contains("field 'kafka.properties.sasl.jaas.config'"), err);
        assertTrue(err.contains("environment variable " + UNSET + " is not set"), err);
        assertFalse(Files.exists(dir.resolve("runs")), "nothing written");
        assertTrue(seconds < 10, "checked before Kafka or Spark start, took " + seconds + " s");
    }

    @Test
    void validateReportsTheSameError() throws Exception {
        Path cfg = config();
        Cli r = Cli.run("validate", cfg.toString());
        String err = r.err();
        assertEquals(2, r.code(), err);
        assertTrue(err.contains("environment variable " + UNSET + " is not set"), err);
    }
}
