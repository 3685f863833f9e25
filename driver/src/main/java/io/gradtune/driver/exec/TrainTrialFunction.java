package io.gradtune.driver.exec;

import io.gradtune.worker.data.DataLoader;
import io.gradtune.worker.data.SharedData;
import io.gradtune.worker.model.FineTuning;
import io.gradtune.worker.protocol.Decoded;
import io.gradtune.worker.protocol.FineTuneSpec;
import io.gradtune.worker.protocol.ProtocolCodec;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.protocol.TrialSpec;
import io.gradtune.worker.secret.MissingSecretException;
import io.gradtune.worker.telemetry.KafkaMetricsPublisher;
import io.gradtune.worker.telemetry.KafkaVerdicts;
import io.gradtune.worker.telemetry.MetricsPublisher;
import io.gradtune.worker.train.TaskAttempt;
import io.gradtune.worker.train.TrialRunner;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.LoggerFactory;

/**
 * The Spark task of one trial: JSON {@link TrialSpec} in, JSON {@link TrialOutcome} out. Strings cross the
 * Spark boundary so no Java class is ever chosen from serialized data. The task stops within one mini-batch
 * when its job group is cancelled (Spark interrupts the thread and marks the task context). The study's data
 * comes from a broadcast, taken once per executor JVM ({@link DataLoader#provide}).
 *
 * <p>The executor's producer gets the spec's Kafka client properties, {@code ${env:NAME}} placeholders resolved
 * from the executor's own environment. A variable that is not set there fails the trial at once with a message
 * naming the field and the variable (a FAILED outcome, not a task failure Spark would retry on the same setup).
 *
 * <p>Every epoch record names the task attempt ({@link TaskContext#attemptNumber()}, which grows when Spark reruns
 * the task after a failure or a lost executor) and the executor (id and host from {@link SparkEnv}). The trial
 * trains with as many native threads as the task has cores ({@link TaskContext#cpus()}, {@code spark.task.cpus}).
 *
 * <p>A FAILED outcome (the trial's training code threw) fails the task while Spark has attempts left, so Spark
 * reruns it as the next attempt (perhaps on another executor); on the last attempt ({@link #MAX_ATTEMPTS}, a
 * local property the driver sets per job) the FAILED outcome is returned, and the trial ends with the worker's
 * own error. An attempt whose epoch records never reached Kafka (an outage longer than {@code kafka.outage_tolerance})
 * is such a failure too, so it is rerun while attempts remain.
 */
public final class TrainTrialFunction implements Function<String, String> {

    private static final long serialVersionUID = 1L;

    /** Job-local property: the attempts the task may take (the task scheduler's failure limit); 1 when unset. */
    public static final String MAX_ATTEMPTS = "gradtune.maxAttempts";

    /** A trial attempt whose training code failed while more attempts remain: fails the task so Spark reruns it. */
    public static final class AttemptFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AttemptFailed(String message) {
            super(message);
        }
    }

    private final Broadcast<SharedData> data;
    private final Broadcast<byte[]> initModel;

    /** @param data the study's rows as the driver split them; null: the executor reads the spec's local file itself */
    public TrainTrialFunction(Broadcast<SharedData> data) {
        this(data, null);
    }

    /**
     * @param data      as {@link #TrainTrialFunction(Broadcast)}
     * @param initModel the bytes of a fine-tuned study's saved model; null: the executor reads {@code init_from}
     */
    public TrainTrialFunction(Broadcast<SharedData> data, Broadcast<byte[]> initModel) {
        this.data = data;
        this.initModel = initModel;
    }

    @Override
    public String call(String specJson) {
        Decoded<TrialSpec> decoded = ProtocolCodec.decodeTrialSpec(specJson);
        if (!decoded.isAccepted()) {
            throw new IllegalArgumentException("rejected trial spec: " + decoded.reason());
        }
        TrialSpec spec = decoded.value();
        if (initModel != null && spec.fineTune() != null) {
            FineTuneSpec ft = spec.fineTune();
            spec = spec.withFineTune(new FineTuneSpec(FineTuning.localCopy(initModel.value()).toString(),
                    ft.freezeLayers(), ft.replaceOutput()));
        }
        if (data != null) {
            DataLoader.provide(spec.data(), data::value);
        }
        TaskContext ctx = TaskContext.get();
        TaskAttempt task = taskAttempt(ctx);
        MetricsPublisher publisher;
        try {
            publisher = KafkaMetricsPublisher.shared(spec.kafkaBootstrap(), spec.metricsTopic(), spec.kafkaProperties(),
                    spec.kafkaOutageTolerance());
        } catch (MissingSecretException | IllegalArgumentException e) {
            // A missing variable (MissingSecretException) or a malformed placeholder: the message names the field
            // and the variable, never a value.
            return ProtocolCodec.encode(TrialOutcome.of(spec.study(), spec.trialId(), task.number(),
                    TrialOutcome.Status.FAILED, 0, Double.NaN, Double.NaN, Double.NaN, 0, 0,
                    "cannot start the executor's Kafka producer: " + e.getMessage()
                            + " on this executor (placeholders are resolved from the executor's environment; see README, "
                            + "'Kafka security')"));
        }
        TrialRunner runner = new TrialRunner(publisher);
        if (spec.controlTopic() != null && spec.decisionEpochs() != null) {
            try {
                // before the trial sends its first record: the reader starts at the topic's end as it is now
                runner.withVerdicts(KafkaVerdicts.shared(spec.kafkaBootstrap(), spec.controlTopic(),
                        spec.kafkaProperties()));
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(TrainTrialFunction.class).warn("no verdict reader for {} ({}): trial {} "
                        + "trains on at its decision epochs; the driver's cancel stops it", spec.controlTopic(),
                        e.toString(), spec.trialId());
            }
        }
        TrialOutcome outcome = runner.run(spec, task, () -> ctx != null && ctx.isInterrupted());
        int maxAttempts = maxAttempts(ctx);
        if (outcome.status() == TrialOutcome.Status.FAILED && task.number() + 1 < maxAttempts) {
            throw new AttemptFailed("trial " + spec.trialId() + " attempt " + task.number() + " of " + maxAttempts
                    + " failed on executor " + task.executorId() + " (" + task.host() + "): " + outcome.error());
        }
        return ProtocolCodec.encode(outcome);
    }

    private static int maxAttempts(TaskContext ctx) {
        String v = ctx == null ? null : ctx.getLocalProperty(MAX_ATTEMPTS);
        return v == null ? 1 : Integer.parseInt(v);
    }

    /** This task's attempt number and executor; outside a Spark task, attempt 0 in this JVM. */
    static TaskAttempt taskAttempt(TaskContext ctx) {
        SparkEnv env = SparkEnv.get();
        if (ctx == null || env == null) {
            return TaskAttempt.inProcess(0);
        }
        return new TaskAttempt(ctx.attemptNumber(), env.executorId(), env.blockManager().blockManagerId().host(),
                ctx.cpus());
    }
}
