package io.gradtune.driver.exec;

import io.gradtune.worker.data.DataLoader;
import io.gradtune.worker.data.SharedData;
import io.gradtune.worker.protocol.Decoded;
import io.gradtune.worker.protocol.ProtocolCodec;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.protocol.TrialSpec;
import io.gradtune.worker.telemetry.KafkaMetricsPublisher;
import io.gradtune.worker.train.TrialRunner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

/**
 * The Spark task of one trial: JSON {@link TrialSpec} in, JSON {@link TrialOutcome} out. Strings cross the
 * Spark boundary so no Java class is ever chosen from serialized data. The task stops within one mini-batch
 * when its job group is cancelled (Spark interrupts the thread and marks the task context). The study's data
 * comes from a broadcast, taken once per executor JVM ({@link DataLoader#provide}).
 */
public final class TrainTrialFunction implements Function<String, String> {

    private static final long serialVersionUID = 1L;

    private final Broadcast<SharedData> data;

    /** @param data the study's rows as the driver split them; null: the executor reads the spec's local file itself */
    public TrainTrialFunction(Broadcast<SharedData> data) {
        this.data = data;
    }

    @Override
    public String call(String specJson) {
        Decoded<TrialSpec> decoded = ProtocolCodec.decodeTrialSpec(specJson);
        if (!decoded.isAccepted()) {
            throw new IllegalArgumentException("rejected trial spec: " + decoded.reason());
        }
        TrialSpec spec = decoded.value();
        if (data != null) {
            DataLoader.provide(spec.data(), data::value);
        }
        TaskContext ctx = TaskContext.get();
        int attempt = ctx == null ? 0 : ctx.attemptNumber();
        TrialRunner runner = new TrialRunner(KafkaMetricsPublisher.shared(spec.kafkaBootstrap(), spec.metricsTopic()));
        TrialOutcome outcome = runner.run(spec, attempt, () -> ctx != null && ctx.isInterrupted());
        return ProtocolCodec.encode(outcome);
    }
}
