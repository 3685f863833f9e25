package io.gradtune.worker.telemetry;

import java.util.function.BooleanSupplier;

/**
 * The broker's acknowledgement of one published record, awaited by a trial to bound how far its training runs ahead
 * of what the driver can see: while the broker is away a trial pauses instead of training on past a stop decision
 * the driver cannot make yet (see {@code TrialRunner}).
 */
public interface Delivery {

    /** A record that needs no broker (in-memory publishers): always acknowledged. */
    Delivery ACKNOWLEDGED = stopRequested -> true;

    /**
     * Blocks until the broker acknowledged the record, polling {@code stopRequested} at least every 200 ms.
     *
     * @return true once acknowledged; false when {@code stopRequested} became true first
     * @throws InterruptedException when the waiting thread is interrupted (a Spark task cancel)
     * @throws RecordLostException  when the producer gave up on the record (the broker stayed away longer than the
     *                              outage tolerance, or refused it)
     */
    boolean await(BooleanSupplier stopRequested) throws InterruptedException;
}
