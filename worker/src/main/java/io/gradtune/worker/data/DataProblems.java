package io.gradtune.worker.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the problems found while reading a whole data file: the first {@link #SHOWN} are kept to be shown, the
 * rest only counted, so a file with a million bad cells gives a short message and a true count.
 */
public final class DataProblems {

    /** How many problems a message lists before it only counts the rest. */
    public static final int SHOWN = 10;

    private final List<DataProblem> first = new ArrayList<>();
    private long count;

    public void add(DataProblem p) {
        if (first.size() < SHOWN) {
            first.add(p);
        }
        count++;
    }

    /** Counts {@code n} more problems found elsewhere (a Spark task) and not kept there. */
    public void addUnshown(long n) {
        count += n;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    public long count() {
        return count;
    }

    /** The problems kept to be shown, in the order found. */
    public List<DataProblem> shown() {
        return List.copyOf(first);
    }

    /** One problem a line, then how many more there are. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(count == 1 ? "1 problem" : count + " problems").append(" in the data:");
        for (DataProblem p : first) {
            sb.append("\n  ").append(p);
        }
        if (count > first.size()) {
            sb.append("\n  ... and ").append(count - first.size()).append(" more");
        }
        return sb.toString();
    }

    /** @throws DataFormatException listing the problems, when there are any */
    public void throwIfAny() {
        if (count > 0) {
            throw new DataFormatException(this);
        }
    }
}
