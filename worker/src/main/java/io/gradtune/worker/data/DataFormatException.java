package io.gradtune.worker.data;

import java.util.List;

/**
 * A data file that cannot be read as the configured format; the message names the file, line and value. A whole-file
 * check ({@link CsvTableReader}) carries every problem it found ({@link #problems()}, the first few of them).
 */
public class DataFormatException extends RuntimeException {

    private final List<DataProblem> problems;
    private final long problemCount;

    public DataFormatException(String message) {
        super(message);
        this.problems = List.of();
        this.problemCount = 0;
    }

    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of();
        this.problemCount = 0;
    }

    /** The problems a whole-file check found; the message lists the first few and counts the rest. */
    public DataFormatException(DataProblems found) {
        super(found.describe());
        this.problems = found.shown();
        this.problemCount = found.count();
    }

    /** The problems shown in the message (empty when the exception names one problem in its message only). */
    public List<DataProblem> problems() {
        return problems;
    }

    /** How many problems were found in all (0 when the exception names one problem in its message only). */
    public long problemCount() {
        return problemCount;
    }
}
