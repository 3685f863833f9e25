package io.gradtune.driver.exec;

import io.gradtune.worker.protocol.DataSpec;
import io.gradtune.worker.protocol.ProtocolCodec;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.protocol.TrialSpec;
import io.gradtune.worker.secret.SecretResolver;
import io.gradtune.worker.telemetry.KafkaMetricsPublisher;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** On an executor, a placeholder whose variable is not set fails the trial at once, saying which and where. */
class TrainTrialFunctionSecretTest {

    @Test
    void aVariableMissingOnTheExecutorFailsTheTrialWithFieldAndVariable() {
        DataSpec data = new DataSpec("/nowhere.csv", "csv", "label", null, 0.6, 0.2, "standard", 0);
        TrialSpec spec = TrialSpec.of("s", "run-1", "t0001", Map.of("learning_rate", 0.01), 2, 1, data, "127.0.0.1:1", "s.metrics")
                .withKafkaProperties(Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" "
                                + "password=\"${env:GT_EXECUTOR_LACKS_THIS}\";"));
        try (SecretResolver.Replacement ignored = SecretResolver.overrideInThisJvm(SecretResolver.of(Map.of()))) {
            TrialOutcome o = ProtocolCodec.decodeTrialOutcome(new TrainTrialFunction(null).call(ProtocolCodec.encode(spec)))
                    .value();
            assertEquals(TrialOutcome.Status.FAILED, o.status());
            assertEquals(0, o.epochsRun());
            assertTrue(o.error().contains("kafka.properties.sasl.jaas.config: environment variable "
                    + "GT_EXECUTOR_LACKS_THIS is not set"), o.error());
            assertTrue(o.error().contains("executor"), o.error());
        } finally {
            KafkaMetricsPublisher.closeAll();
        }
    }
}
