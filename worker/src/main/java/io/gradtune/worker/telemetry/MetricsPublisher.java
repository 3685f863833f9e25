package io.gradtune.worker.telemetry;

import io.gradtune.worker.protocol.EpochMetrics;

/** Where a worker sends each epoch's record. Implementations must be safe to call from several trials at once. */
public interface MetricsPublisher {

    /** Sends one record asynchronously. */
    void publish(EpochMetrics metrics);

    /**
     * Sends one record asynchronously and returns its acknowledgement, which the trial awaits before running further
     * ahead. Publishers without a broker acknowledge at once (the default).
     */
    default Delivery send(EpochMetrics metrics) {
        publish(metrics);
        return Delivery.ACKNOWLEDGED;
    }

    /** Blocks until every record published so far is acknowledged (called when a trial attempt ends). */
    void flush();
}
