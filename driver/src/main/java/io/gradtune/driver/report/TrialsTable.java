package io.gradtune.driver.report;

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code trials.parquet}'s rows: {@code trials.csv} read back, one row per trial, the same columns in the same order
 * with proper types. The columns {@link TrialsCsv} writes have fixed types ({@link #FIXED_TYPES}); every other column
 * is a parameter of the space, typed by its values: all whole numbers {@code long}, all numbers {@code double}, all
 * {@code true}/{@code false} {@code boolean}, anything else (or no value at all) {@code string}. An empty cell is
 * null. A parameter whose name is also a fixed column's (compared ignoring case, as Spark does) is named
 * {@code param_<name>}.
 *
 * <p>Reading the CSV rather than the study's results keeps one code path for the end of a run and for
 * {@code gradtune export}, and makes the two files agree value for value.
 */
public final class TrialsTable {

    /** The types of the columns {@link TrialsCsv} writes before the parameters. */
    static final Map<String, DataType> FIXED_TYPES = Map.ofEntries(
            Map.entry("trial_id", DataTypes.StringType),
            Map.entry("state", DataTypes.StringType),
            Map.entry("objective", DataTypes.DoubleType),
            Map.entry("val_accuracy", DataTypes.DoubleType),
            Map.entry("val_loss", DataTypes.DoubleType),
            Map.entry("train_loss", DataTypes.DoubleType),
            Map.entry("best_epoch", DataTypes.IntegerType),
            Map.entry("epochs", DataTypes.IntegerType),
            Map.entry("seconds", DataTypes.DoubleType),
            Map.entry("num_params", DataTypes.LongType),
            Map.entry("diagnosis", DataTypes.StringType),
            Map.entry("stop_reason", DataTypes.StringType),
            Map.entry("error", DataTypes.StringType),
            Map.entry("attempts", DataTypes.IntegerType),
            Map.entry("executor", DataTypes.StringType),
            Map.entry("host", DataTypes.StringType),
            Map.entry("val_mae", DataTypes.DoubleType),
            Map.entry("val_r2", DataTypes.DoubleType));

    private static final Pattern WHOLE = Pattern.compile("-?\\d{1,18}");
    private static final Pattern NUMBER = Pattern.compile("-?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?|NaN|-?Infinity");

    private TrialsTable() {
    }

    /**
     * The table of a {@code trials.csv} text; {@code file} names it in errors.
     *
     * @throws IllegalArgumentException naming the file, line and column of a value that does not fit its column
     */
    public static SparkTable parse(String file, String csv) {
        List<String> header;
        List<CSVRecord> records;
        try (CSVParser parser = CSVParser.parse(new StringReader(csv), TrialsCsv.FORMAT)) {
            records = parser.getRecords();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + ": not a CSV file (" + e.getMessage() + ")", e);
        }
        if (records.isEmpty() || !records.get(0).get(0).equals("trial_id")) {
            throw new IllegalArgumentException(file + ": no header starting with trial_id: is this a gradtune trials.csv?");
        }
        header = records.get(0).toList();
        List<CSVRecord> body = records.subList(1, records.size());
        for (CSVRecord r : body) {
            if (r.size() != header.size()) {
                throw new IllegalArgumentException(file + " line " + r.getRecordNumber() + ": " + r.size()
                        + " fields, the header has " + header.size() + ": rewrite the file with gradtune resume");
            }
        }
        List<StructField> fields = new ArrayList<>();
        Set<String> fixedSeen = new HashSet<>();
        for (int c = 0; c < header.size(); c++) {
            String name = header.get(c);
            DataType fixed = FIXED_TYPES.get(name);
            if (fixed != null && fixedSeen.add(name)) {
                fields.add(DataTypes.createStructField(name, fixed, true));
            } else {
                String column = FIXED_TYPES.containsKey(name.toLowerCase(Locale.ROOT)) ? "param_" + name : name;
                fields.add(DataTypes.createStructField(column, inferred(body, c), true));
            }
        }
        StructType schema = DataTypes.createStructType(fields);
        List<Row> rows = new ArrayList<>();
        for (CSVRecord r : body) {
            Object[] values = new Object[header.size()];
            for (int c = 0; c < values.length; c++) {
                String cell = r.get(c);
                try {
                    values[c] = value(cell, schema.fields()[c].dataType());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + " line " + r.getRecordNumber() + ", column "
                            + header.get(c) + ": '" + cell + "' is not a " + schema.fields()[c].dataType().simpleString()
                            + ": rewrite the file with gradtune resume", e);
                }
            }
            rows.add(RowFactory.create(values));
        }
        return new SparkTable(schema, rows);
    }

    /** A parameter column's type, from its non-empty values. */
    static DataType inferred(List<CSVRecord> body, int column) {
        boolean any = false;
        boolean whole = true;
        boolean number = true;
        boolean bool = true;
        for (CSVRecord r : body) {
            String v = r.get(column);
            if (v.isEmpty()) {
                continue;
            }
            any = true;
            whole &= WHOLE.matcher(v).matches();
            number &= NUMBER.matcher(v).matches();
            bool &= v.equals("true") || v.equals("false");
        }
        if (!any) {
            return DataTypes.StringType;
        }
        return whole ? DataTypes.LongType : number ? DataTypes.DoubleType : bool ? DataTypes.BooleanType
                : DataTypes.StringType;
    }

    private static Object value(String cell, DataType type) {
        if (cell.isEmpty()) {
            return null;
        }
        if (type.equals(DataTypes.DoubleType)) {
            return Double.parseDouble(cell);
        }
        if (type.equals(DataTypes.LongType)) {
            return Long.parseLong(cell);
        }
        if (type.equals(DataTypes.IntegerType)) {
            return Integer.parseInt(cell);
        }
        if (type.equals(DataTypes.BooleanType)) {
            return Boolean.parseBoolean(cell);
        }
        return cell;
    }
}
