package io.gradtune.worker.telemetry;

import io.gradtune.worker.protocol.EpochMetrics;

/** Where a worker sends each epoch's record. Implementations must be safe to call from several trials at once. */
public interface MetricsPublisher {

    /** Sends one record asynchronously. */
    void publish(EpochMetrics metrics);

    /** Blocks until every record published so far is acknowledged (called when a trial attempt ends). */
    void flush();
}
