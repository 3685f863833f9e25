package io.gradtune.driver.stream;

import io.gradtune.worker.protocol.EpochMetrics;

/**
 * Receives each well-formed epoch record of the study from the consumer thread, with its raw JSON; after the records
 * of one poll, {@link #endOfBatch()}.
 */
public interface MetricsSink {
    void accept(EpochMetrics metrics, String rawJson);

    /** Called after the records of one poll were handed over (e.g. to flush a log once per batch). */
    default void endOfBatch() {
    }
}
