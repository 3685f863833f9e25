package io.gradtune.driver.bench;

import io.gradtune.driver.run.SyntheticRecords;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.telemetry.KafkaMetricsPublisher;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The epoch loop of an emulated trial, shared by {@code bench stream} and {@code bench scale}: each epoch sleeps its
 * duration, then publishes a synthetic record through the executors' publisher, stamping its publication time for
 * the decision-latency figures.
 */
final class EmulatedEpochs {

    private EmulatedEpochs() {
    }

    /**
     * @param stop           checked after each epoch's sleep: true ends the trial before that epoch's record
     * @param publishedNanos receives {@code id + "/" + epoch} -> {@link System#nanoTime()} at publication
     * @param published      counts the records published
     * @return the epochs published
     */
    static int run(KafkaMetricsPublisher publisher, String study, String runId, String id, int epochs,
                   long epochMillis, SplittableRandom r, BooleanSupplier stop, Map<String, Long> publishedNanos,
                   AtomicLong published) throws InterruptedException {
        int run = 0;
        double quality = r.nextDouble();
        for (int e = 1; e <= epochs; e++) {
            Thread.sleep(epochMillis);
            if (stop.getAsBoolean()) {
                break;
            }
            EpochMetrics m = SyntheticRecords.epoch(study, runId, id, e, quality, false, epochMillis, r);
            publishedNanos.put(id + "/" + e, System.nanoTime());
            publisher.publish(m);
            published.incrementAndGet();
            run = e;
        }
        publisher.flush();
        return run;
    }
}
