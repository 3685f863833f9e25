package io.gradtune.worker.train;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.protocol.TrialSpec;
import io.gradtune.worker.telemetry.Delivery;
import io.gradtune.worker.telemetry.MetricsPublisher;
import io.gradtune.worker.telemetry.RecordLostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A trial runs at most two epochs ahead of the broker's acknowledgements, and fails when a record is lost. */
class TrialRunnerOutageTest {

    @TempDir
    Path dir;

    /** A broker that acknowledges only what the test releases; a record may also be marked lost. */
    private static final class HeldBroker implements MetricsPublisher {
        final List<EpochMetrics> sent = new ArrayList<>();
        final List<CompletableFuture<Void>> acks = new ArrayList<>();
        /** Epochs whose acknowledgement a trial has started waiting for. */
        final List<Integer> awaited = new ArrayList<>();

        @Override
        public void publish(EpochMetrics metrics) {
            send(metrics);
        }

        @Override
        public synchronized Delivery send(EpochMetrics metrics) {
            sent.add(metrics);
            CompletableFuture<Void> ack = new CompletableFuture<>();
            acks.add(ack);
            return stopRequested -> {
                synchronized (this) {
                    awaited.add(metrics.epoch());
                    notifyAll();
                }
                while (true) {
                    try {
                        ack.get(50, TimeUnit.MILLISECONDS);
                        return true;
                    } catch (java.util.concurrent.TimeoutException notYet) {
                        if (stopRequested.getAsBoolean()) {
                            return false;
                        }
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw (RecordLostException) e.getCause();
                    }
                }
            };
        }

        synchronized void awaitWaitingFor(int epoch) throws InterruptedException {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!awaited.contains(epoch)) {
                assertTrue(System.nanoTime() < deadline, "the trial never waited for epoch " + epoch);
                wait(100);
            }
        }

        synchronized int sentCount() {
            return sent.size();
        }

        synchronized void acknowledgeAll() {
            acks.forEach(a -> a.complete(null));
        }

        synchronized void lose(int epoch) {
            acks.get(epoch - 1).completeExceptionally(new RecordLostException("epoch " + epoch + " lost", null));
        }

        @Override
        public void flush() {
        }
    }

    private static Thread start(Runnable body) {
        Thread t = new Thread(body, "trial");
        t.start();
        return t;
    }

    @Test
    void whileNothingIsAcknowledgedTheTrialPausesAfterTwoEpochsAndGoesOnWhenTheBrokerAnswers() throws Exception {
        TrialSpec spec = TinyTrial.spec(dir, 6);
        HeldBroker broker = new HeldBroker();
        AtomicReference<TrialOutcome> outcome = new AtomicReference<>();
        Thread trial = start(() -> outcome.set(new TrialRunner(broker).run(spec, 0, () -> false)));
        broker.awaitWaitingFor(1); // before epoch 3: epoch 1's record must be acknowledged
        assertEquals(2, broker.sentCount(), "two epochs trained, the third waits");
        broker.acknowledgeAll();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (trial.isAlive()) {
            broker.acknowledgeAll();
            trial.join(100);
            assertTrue(System.nanoTime() < deadline, "the trial did not finish");
        }
        assertEquals(TrialOutcome.Status.COMPLETED, outcome.get().status(), String.valueOf(outcome.get().error()));
        assertEquals(6, broker.sentCount());
    }

    @Test
    void aTaskCancelEndsTheWaitAndTheAttemptIsInterrupted() throws Exception {
        TrialSpec spec = TinyTrial.spec(dir, 6);
        HeldBroker broker = new HeldBroker();
        AtomicReference<TrialOutcome> outcome = new AtomicReference<>();
        Thread trial = start(() -> outcome.set(new TrialRunner(broker).run(spec, 0, () -> false)));
        broker.awaitWaitingFor(1);
        trial.interrupt();
        trial.join(30_000);
        assertFalse(trial.isAlive());
        assertEquals(TrialOutcome.Status.INTERRUPTED, outcome.get().status());
        assertEquals(2, outcome.get().epochsRun());
    }

    @Test
    void aLostRecordFailsTheAttemptInsteadOfCompletingWithAHole() throws Exception {
        TrialSpec spec = TinyTrial.spec(dir, 6);
        HeldBroker broker = new HeldBroker();
        AtomicReference<TrialOutcome> outcome = new AtomicReference<>();
        Thread trial = start(() -> outcome.set(new TrialRunner(broker).run(spec, 0, () -> false)));
        broker.awaitWaitingFor(1);
        broker.lose(1);
        trial.join(30_000);
        assertFalse(trial.isAlive());
        assertEquals(TrialOutcome.Status.FAILED, outcome.get().status());
        assertTrue(outcome.get().error().contains("RecordLostException: epoch 1 lost"), outcome.get().error());
    }
}
