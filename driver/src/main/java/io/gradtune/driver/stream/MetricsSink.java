package io.gradtune.driver.stream;

import io.gradtune.worker.protocol.EpochMetrics;

/** Receives each accepted, deduplicated epoch record from the consumer thread, with its raw JSON. */
public interface MetricsSink {
    void accept(EpochMetrics metrics, String rawJson);
}
