package io.gradtune.worker.telemetry;

/**
 * A published epoch record that never reached the broker: the producer gave up on it (the broker was away longer
 * than {@code kafka.outage_tolerance}, or refused the record). The trial attempt that sent it fails, so Spark reruns
 * it or the trial ends FAILED: a trial whose curve lost records is never reported as completed.
 */
public final class RecordLostException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RecordLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
