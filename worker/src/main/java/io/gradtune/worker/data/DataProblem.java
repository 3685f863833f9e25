package io.gradtune.worker.data;

import java.io.Serializable;

/**
 * One thing wrong with a data file, said so that a person can find and fix it: the file, where in it (a 1-based
 * line as an editor shows it, or a data row when lines are not known), the column, the value, what is wrong and
 * what to do.
 *
 * @param file     the file (path or URI) as the config names it
 * @param position where in the file, e.g. {@code line 12} or {@code data row 11}; null for the file as a whole
 * @param column   the column's name, or null
 * @param value    the offending value as written, or null
 * @param problem  what is wrong with it
 * @param remedy   what to do about it
 */
public record DataProblem(String file, String position, String column, String value, String problem, String remedy)
        implements Serializable {

    /** A problem at a 1-based line of a text file. */
    public static DataProblem atLine(String file, long line, String column, String value, String problem, String remedy) {
        return new DataProblem(file, "line " + line, column, value, problem, remedy);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(file);
        if (position != null) {
            sb.append(", ").append(position);
        }
        if (column != null) {
            sb.append(", column '").append(column).append('\'');
        }
        if (value != null) {
            sb.append(", value '").append(value).append('\'');
        }
        return sb.append(": ").append(problem).append(" — ").append(remedy).toString();
    }
}
