package io.gradtune.worker.data;

/** A data file that cannot be read as the configured format; the message names the file, line and value. */
public class DataFormatException extends RuntimeException {
    public DataFormatException(String message) {
        super(message);
    }

    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
