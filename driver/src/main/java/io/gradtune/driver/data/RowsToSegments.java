package io.gradtune.driver.data;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Runs in the Spark tasks of a read: turns a partition's rows (label, features..., input file) into one
 * {@link Segment} per run of rows from one file, with the values it could not convert (an empty, NaN, infinite or
 * non-numeric feature; a label that is not a whole number {@code >= 0}) recorded in the segment and the row kept, so
 * the driver can report each with its row in the file. It reads Spark's
 * internal rows with their primitive getters: converting a wide row into a {@code Row} of boxed values (and
 * generating the code that does it) cost seconds per read of a 784-column table.
 *
 * <p>Conversions: text with {@link Float#parseFloat} and labels with {@link Integer#parseInt} (what
 * {@code CsvTableReader} does), {@code double} to {@code float} by a Java cast, integers by a Java cast, decimals by
 * {@link BigDecimal#floatValue()}. A label must be a non-negative whole number.
 */
final class RowsToSegments implements FlatMapFunction<Iterator<InternalRow>, Segment> {

    private static final long serialVersionUID = 1L;

    /** How to read a column: {@link #kind}. */
    private static final int STRING = 0;
    private static final int BYTE = 1;
    private static final int SHORT = 2;
    private static final int INT = 3;
    private static final int LONG = 4;
    private static final int FLOAT = 5;
    private static final int DOUBLE = 6;
    private static final int DECIMAL = 7;

    private final String label;
    private final String[] features;
    /** Column kinds: the label's first, then the features'. */
    private final int[] kinds;
    private final int[] precision;
    private final int[] scale;

    /** @param types the label's type, then the features' (string, or a numeric type) */
    RowsToSegments(String label, List<String> features, List<DataType> types) {
        this.label = label;
        this.features = features.toArray(new String[0]);
        this.kinds = new int[types.size()];
        this.precision = new int[types.size()];
        this.scale = new int[types.size()];
        for (int i = 0; i < types.size(); i++) {
            DataType t = types.get(i);
            kinds[i] = kind(t);
            if (t instanceof DecimalType d) {
                precision[i] = d.precision();
                scale[i] = d.scale();
            }
        }
    }

    static int kind(DataType t) {
        if (t instanceof StringType) {
            return STRING;
        } else if (t instanceof ByteType) {
            return BYTE;
        } else if (t instanceof ShortType) {
            return SHORT;
        } else if (t instanceof IntegerType) {
            return INT;
        } else if (t instanceof LongType) {
            return LONG;
        } else if (t instanceof FloatType) {
            return FLOAT;
        } else if (t instanceof DoubleType) {
            return DOUBLE;
        } else if (t instanceof DecimalType) {
            return DECIMAL;
        }
        throw new IllegalArgumentException("not a numeric or string type: " + t.simpleString());
    }

    @Override
    public Iterator<Segment> call(Iterator<InternalRow> rows) {
        List<Segment> out = new ArrayList<>();
        Segment current = null;
        int n = features.length;
        while (rows.hasNext()) {
            InternalRow row = rows.next();
            String file = row.isNullAt(n + 1) ? "" : row.getUTF8String(n + 1).toString();
            if (current == null || !current.file.equals(file)) {
                current = new Segment(file, n);
                out.add(current);
            }
            int l = label(row);
            if (l < 0) {
                current.bad(label, show(row, 0), row.isNullAt(0) ? "empty class label"
                        : "not a 0-based integer class label", "labels are the whole numbers 0..K-1 for K classes "
                        + "(map named classes to numbers first)");
                l = 0;
            }
            current.startRow(l);
            for (int c = 0; c < n; c++) {
                float f = feature(row, c + 1);
                if (!Float.isFinite(f)) {
                    badFeature(current, row, c);
                    f = 0;
                }
                current.feature(c, f);
            }
            current.endRow();
        }
        out.replaceAll(Segment::trimmed);
        return out.iterator();
    }

    /** Records why feature {@code c} of the row is not a usable number: empty, NaN, infinite or not a number. */
    private void badFeature(Segment segment, InternalRow row, int c) {
        int i = c + 1;
        String missing = "gradtune does not fill in missing values: fill the cell or drop the row";
        if (row.isNullAt(i)) {
            segment.bad(features[c], "", "empty cell (a missing value)", missing);
            return;
        }
        float parsed = kinds[i] == STRING ? parsedText(row, i) : feature(row, i);
        if (Float.isNaN(parsed) && !(kinds[i] == STRING && !isNaNText(row, i))) {
            segment.bad(features[c], show(row, i), "NaN (a missing value; every trial would diverge on it)", missing);
        } else if (Float.isInfinite(parsed)) {
            segment.bad(features[c], show(row, i), "infinite, or too large for float32",
                    "replace it with a finite number (or rescale the column), or drop the row");
        } else {
            segment.bad(features[c], show(row, i), "not a number", "fix the value, or list the numeric feature "
                    + "columns in data.feature_columns to leave this column out");
        }
    }

    private static float parsedText(InternalRow row, int i) {
        try {
            return Float.parseFloat(row.getUTF8String(i).toString());
        } catch (NumberFormatException e) {
            return Float.NaN;
        }
    }

    /** The feature at {@code i}; NaN for a null or for text that is not a number (told apart by the caller). */
    private float feature(InternalRow row, int i) {
        if (row.isNullAt(i)) {
            return Float.NaN;
        }
        return switch (kinds[i]) {
            case STRING -> {
                try {
                    yield Float.parseFloat(row.getUTF8String(i).toString());
                } catch (NumberFormatException e) {
                    yield Float.NaN;
                }
            }
            case BYTE -> row.getByte(i);
            case SHORT -> row.getShort(i);
            case INT -> (float) row.getInt(i);
            case LONG -> (float) row.getLong(i);
            case FLOAT -> row.getFloat(i);
            case DOUBLE -> (float) row.getDouble(i);
            default -> row.getDecimal(i, precision[i], scale[i]).toJavaBigDecimal().floatValue();
        };
    }

    private static boolean isNaNText(InternalRow row, int i) {
        try {
            return Float.isNaN(Float.parseFloat(row.getUTF8String(i).toString()));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The label at column 0 as a 0-based class, or -1. */
    private int label(InternalRow row) {
        if (row.isNullAt(0)) {
            return -1;
        }
        try {
            long v;
            switch (kinds[0]) {
                case STRING -> v = Integer.parseInt(row.getUTF8String(0).toString().trim());
                case BYTE -> v = row.getByte(0);
                case SHORT -> v = row.getShort(0);
                case INT -> v = row.getInt(0);
                case LONG -> v = row.getLong(0);
                case FLOAT, DOUBLE -> {
                    double d = kinds[0] == FLOAT ? row.getFloat(0) : row.getDouble(0);
                    if (d != Math.rint(d)) {
                        return -1;
                    }
                    v = (long) d;
                }
                default -> {
                    BigDecimal d = row.getDecimal(0, precision[0], scale[0]).toJavaBigDecimal();
                    if (d.stripTrailingZeros().scale() > 0) {
                        return -1;
                    }
                    v = d.longValue();
                }
            }
            return v >= 0 && v <= Integer.MAX_VALUE ? (int) v : -1;
        } catch (NumberFormatException | ArithmeticException e) {
            return -1;
        }
    }

    private String show(InternalRow row, int i) {
        if (row.isNullAt(i)) {
            return "";
        }
        return switch (kinds[i]) {
            case STRING -> row.getUTF8String(i).toString();
            case BYTE -> String.valueOf(row.getByte(i));
            case SHORT -> String.valueOf(row.getShort(i));
            case INT -> String.valueOf(row.getInt(i));
            case LONG -> String.valueOf(row.getLong(i));
            case FLOAT -> String.valueOf(row.getFloat(i));
            case DOUBLE -> String.valueOf(row.getDouble(i));
            default -> row.getDecimal(i, precision[i], scale[i]).toString();
        };
    }
}
