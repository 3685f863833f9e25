package io.gradtune.driver.exec;

import io.gradtune.worker.protocol.DataSpec;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.protocol.TrialSpec;
import io.gradtune.worker.telemetry.KafkaMetricsPublisher;
import io.gradtune.worker.train.FaultInjection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attempts in local mode ({@code local[N,F]}: F attempts per task): a trial's failed attempt is rerun by Spark, and
 * one that fails on every attempt ends with its cause and how many attempts it took. No Kafka: these trials fail
 * before their first epoch record.
 */
class SparkTrialAttemptsTest {

    @AfterEach
    void clear() {
        System.clearProperty(FaultInjection.PROPERTY);
        KafkaMetricsPublisher.closeAll();
    }

    private static SparkTrialExecutor.JobEnd run(SparkTrialExecutor executor, TrialSpec spec) throws Exception {
        CompletableFuture<SparkTrialExecutor.JobEnd> end = new CompletableFuture<>();
        executor.submit(spec, end::complete);
        return end.get(120, TimeUnit.SECONDS);
    }

    private static TrialSpec spec(String trialId) {
        String digits = Path.of("../data/digits.csv").toAbsolutePath().normalize().toString();
        return TrialSpec.of("s", "run-1", trialId, Map.of("layers", 1, "units", 8), 2, 1,
                new DataSpec(digits, "csv", "label", null, 0.6, 0.2, "standard", 0), "127.0.0.1:9", "unused.metrics");
    }

    @Test
    void maxAttemptsIsTheSchedulersTaskFailureLimit() {
        try (SparkTrialExecutor e = new SparkTrialExecutor("local[2,3]", "attempts-test", Map.of())) {
            assertEquals(3, e.maxAttempts());
        }
        try (SparkTrialExecutor e = new SparkTrialExecutor("local[2]", "attempts-test",
                Map.of("spark.task.maxFailures", "4"))) {
            assertEquals(1, e.maxAttempts(), "Spark's local[N] never retries, whatever spark.task.maxFailures says");
        }
    }

    /**
     * The worker's code fails on every attempt: the first attempt's failure fails the Spark task (so Spark reruns
     * it), the last attempt returns its FAILED outcome with the cause. Spark's listener reports both attempts' starts
     * under the trial id (its job group), and nothing for a job without a group.
     */
    @Test
    void aTrialWhoseCodeFailsOnEveryAttemptIsRerunAndReturnsTheLastAttemptsFailure() throws Exception {
        System.setProperty(FaultInjection.PROPERTY, FaultInjection.fault("t0001", 99, 0));
        try (SparkTrialExecutor e = new SparkTrialExecutor("local[2,2]", "attempts-test", Map.of())) {
            List<String> started = Collections.synchronizedList(new ArrayList<>());
            e.onAttemptStarted((trial, attempt) -> started.add(trial + "/" + attempt));
            assertEquals(3L, e.sparkContext().parallelize(scala.jdk.javaapi.CollectionConverters.asScala(
                    List.<Object>of(1, 2, 3)).toSeq(), 1, scala.reflect.ClassTag$.MODULE$.Any()).count());
            SparkTrialExecutor.JobEnd end = run(e, spec("t0001"));
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (started.size() < 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // the listener bus is asynchronous
            }
            assertEquals(List.of("t0001/0", "t0001/1"), started);
            assertNull(end.error(), end.toString());
            assertEquals(TrialOutcome.Status.FAILED, end.outcome().status());
            assertEquals(1, end.outcome().attempt(), "the second attempt's outcome");
            assertEquals(2, end.attempts());
            assertTrue(end.outcome().error().contains("injected fault: t0001 attempt 1"), end.outcome().error());
        }
    }

    /** A task that fails without an outcome on every attempt: the job fails; its cause and attempts are kept. */
    @Test
    void aJobThatFailsOnEveryAttemptEndsWithTheCauseAndTheAttemptCount() throws Exception {
        TrialSpec good = spec("t0002");
        TrialSpec unreadable = new TrialSpec(TrialSpec.TYPE, 99, good.study(), good.runId(), good.trialId(), good.params(),
                good.epochs(), good.seed(), good.data(), good.kafkaBootstrap(), good.metricsTopic(), Map.of(), null, null, null, null, null);
        try (SparkTrialExecutor e = new SparkTrialExecutor("local[2,2]", "attempts-test", Map.of())) {
            SparkTrialExecutor.JobEnd end = run(e, unreadable);
            assertNull(end.outcome());
            assertEquals(2, end.attempts(), end.toString());
            assertTrue(end.error().startsWith("java.lang.IllegalArgumentException: rejected trial spec: "
                    + "unsupported schemaVersion 99"), end.error());
        }
    }

    @Test
    void sparksTaskFailureMessageIsReadForTheCauseAndTheAttempts() {
        SparkTrialExecutor.JobEnd lost = SparkTrialExecutor.JobEnd.failed(new RuntimeException("Job aborted due to stage "
                + "failure: Task 0 in stage 7.0 failed 2 times, most recent failure: Lost task 0.1 in stage 7.0 (TID 9) "
                + "(10.0.0.3 executor 2): ExecutorLostFailure (executor 2 exited caused by one of the running tasks) "
                + "Reason: Command exited with code 137\nDriver stacktrace:\n\tat x.y(Z.java:1)"));
        assertEquals(2, lost.attempts());
        assertEquals("ExecutorLostFailure (executor 2 exited caused by one of the running tasks) Reason: Command "
                + "exited with code 137", lost.error());
        SparkTrialExecutor.JobEnd cancelled = SparkTrialExecutor.JobEnd.failed(new RuntimeException(
                "Job 3 cancelled part of cancelled job group t0004"));
        assertEquals(0, cancelled.attempts());
        assertEquals("RuntimeException: Job 3 cancelled part of cancelled job group t0004", cancelled.error());
    }
}
