package io.gradtune.worker.protocol;

/** What every versioned protocol message carries: its type name and schema version. */
public interface Message {

    /** The message type, e.g. {@code epoch_metrics}. */
    String type();

    /** The schema version the message was written with. */
    int schemaVersion();
}
