package io.gradtune.driver.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.junit.jupiter.api.Test;

/**
 * A pruned trial's job is cancelled at once, but its task thread trains on until its next mini-batch check. Spark
 * used to be stopped while such a task still ran (close returned at once), clearing the block manager in which the
 * task holds read locks on its broadcasts. {@link SparkTrialExecutor#close} now waits for Spark to report the end of
 * every task before stopping it, and Spark logs no error.
 */
class SparkShutdownTest {

    static final java.util.concurrent.atomic.AtomicBoolean TRAINING = new java.util.concurrent.atomic.AtomicBoolean();

    /** A task that notices its cancellation only after {@code millis} (a long mini-batch), then returns. */
    static int slowToStop(Broadcast<int[]> data, long millis) {
        int first = data.value()[0];   // the task holds its read lock on the broadcast until it ends
        TRAINING.set(true);            // local mode: the task runs in this JVM
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            Thread.interrupted();     // like a mini-batch in native code: the interrupt is seen only afterwards
            Thread.onSpinWait();
        }
        return first;
    }

    @Test
    void closeWaitsForCancelledTasksSoSparkLogsNoErrors() throws Exception {
        Capture errors = Capture.sparkErrors();
        try {
            long cancelledAt;
            SparkTrialExecutor e = new SparkTrialExecutor("local[2]", "shutdown-test", Map.of());
            try {
                JavaSparkContext jsc = JavaSparkContext.fromSparkContext(e.sparkContext());
                Broadcast<int[]> data = jsc.broadcast(new int[] {1});
                CompletableFuture<Object> job = CompletableFuture.supplyAsync(() -> {
                    jsc.setJobGroup("t0001", "slow trial", true);
                    return jsc.parallelize(List.of(1), 1).map(x -> slowToStop(data, 3000)).collect();
                });
                awaitTraining();
                assertEquals(1, e.runningTasks());
                e.cancel("t0001");
                cancelledAt = System.nanoTime();
                try {
                    job.get(30, TimeUnit.SECONDS);
                    fail("the job was cancelled");
                } catch (java.util.concurrent.ExecutionException expected) {
                    // Spark ends a cancelled job at once, while its task still runs
                }
                assertEquals(1, e.runningTasks(), "the cancelled task still runs after its job ended");
            } finally {
                e.close();
            }
            assertTrue(System.nanoTime() - cancelledAt > 2_000_000_000L, "close waited for the cancelled task");
            assertEquals(0, e.runningTasks());
            assertEquals(List.of(), errors.messages(), "Spark logged errors at shutdown");
            LogManager.getLogger("org.apache.spark.gradtune.test").error("the capture works");
            assertEquals(1, errors.messages().size(), "the capture sees Spark's ERROR events");
        } finally {
            errors.remove();
        }
    }

    private static void awaitTraining() {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!TRAINING.get()) {
            if (System.nanoTime() > deadline) {
                fail("no running task within 60 s");
            }
            Thread.onSpinWait();
        }
    }

    /** Collects the ERROR events of Spark's loggers. */
    static final class Capture extends AbstractAppender {
        private final List<String> messages = new CopyOnWriteArrayList<>();

        private Capture() {
            super("spark-errors", null, null, true, Property.EMPTY_ARRAY);
        }

        static Capture sparkErrors() {
            LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
            Configuration config = ctx.getConfiguration();
            Capture c = new Capture();
            c.start();
            LoggerConfig spark = config.getLoggerConfig("org.apache.spark");
            spark.addAppender(c, Level.ERROR, null);
            ctx.updateLoggers();
            return c;
        }

        @Override
        public void append(LogEvent event) {
            messages.add(event.getLoggerName() + ": " + event.getMessage().getFormattedMessage()
                    + (event.getThrown() == null ? "" : " " + event.getThrown()));
        }

        List<String> messages() {
            return List.copyOf(messages);
        }

        void remove() {
            LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
            ctx.getConfiguration().getLoggerConfig("org.apache.spark").removeAppender(getName());
            ctx.updateLoggers();
            stop();
        }
    }
}
