package io.gradtune.driver.exec;

import io.gradtune.worker.protocol.Decoded;
import io.gradtune.worker.protocol.ProtocolCodec;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.protocol.TrialSpec;
import io.gradtune.worker.secret.MissingSecretException;
import io.gradtune.worker.telemetry.KafkaMetricsPublisher;
import io.gradtune.worker.telemetry.MetricsPublisher;
import io.gradtune.worker.train.TrialRunner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;

/**
 * The Spark task of one trial: JSON {@link TrialSpec} in, JSON {@link TrialOutcome} out. Strings cross the
 * Spark boundary so no Java class is ever chosen from serialized data. The task stops within one mini-batch
 * when its job group is cancelled (Spark interrupts the thread and marks the task context).
 *
 * <p>The executor's producer gets the spec's Kafka client properties, {@code ${env:NAME}} placeholders resolved
 * from the executor's own environment. A variable that is not set there fails the trial at once with a message
 * naming the field and the variable (a FAILED outcome, not a task failure Spark would retry on the same setup).
 */
public final class TrainTrialFunction implements Function<String, String> {

    private static final long serialVersionUID = 1L;

    @Override
    public String call(String specJson) {
        Decoded<TrialSpec> decoded = ProtocolCodec.decodeTrialSpec(specJson);
        if (!decoded.isAccepted()) {
            throw new IllegalArgumentException("rejected trial spec: " + decoded.reason());
        }
        TrialSpec spec = decoded.value();
        TaskContext ctx = TaskContext.get();
        int attempt = ctx == null ? 0 : ctx.attemptNumber();
        MetricsPublisher publisher;
        try {
            publisher = KafkaMetricsPublisher.shared(spec.kafkaBootstrap(), spec.metricsTopic(), spec.kafkaProperties());
        } catch (MissingSecretException | IllegalArgumentException e) {
            // A missing variable (MissingSecretException) or a malformed placeholder: the message names the field
            // and the variable, never a value.
            return ProtocolCodec.encode(TrialOutcome.of(spec.study(), spec.trialId(), attempt,
                    TrialOutcome.Status.FAILED, 0, Double.NaN, Double.NaN, Double.NaN, 0, 0,
                    "cannot start the executor's Kafka producer: " + e.getMessage()
                            + " on this executor (placeholders are resolved from the executor's environment; see README, "
                            + "'Kafka security')"));
        }
        TrialRunner runner = new TrialRunner(publisher);
        TrialOutcome outcome = runner.run(spec, attempt, () -> ctx != null && ctx.isInterrupted());
        return ProtocolCodec.encode(outcome);
    }
}
