package io.gradtune.worker.telemetry;

import io.gradtune.worker.protocol.Verdict;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Where a trial waits for the driver's {@link Verdict} on one of its epoch records. */
public interface Verdicts {

    /**
     * The driver's verdict on the record of {@code trialId}'s {@code attempt} at {@code epoch}, or null when none came
     * within {@code max} or the stop flag was raised first (the trial then trains on; the driver's cancel stays the
     * backstop).
     */
    Verdict await(String runId, String trialId, int attempt, int epoch, Duration max, BooleanSupplier stop)
            throws InterruptedException;
}
