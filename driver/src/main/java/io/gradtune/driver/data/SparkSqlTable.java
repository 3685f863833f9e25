package io.gradtune.driver.data;

import io.gradtune.driver.config.ConfigException;
import io.gradtune.worker.data.DataProblem;
import io.gradtune.worker.data.DataProblems;
import io.gradtune.worker.data.Table;
import io.gradtune.worker.protocol.DataSpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Reads one labelled table through Spark SQL on the driver: a csv or parquet source (any Hadoop file-system URI, or a
 * local path) or a catalog table, collected into a {@link Table}. Every problem is a {@link ConfigException} naming
 * the config field: a missing path or table, a missing or non-numeric column, a bad value, too many values.
 *
 * <p>Csv is read with every column as text and each value parsed with {@link Float#parseFloat}, as
 * {@code CsvTableReader} does, so a csv file gives bit-identical arrays either way. Parquet and table columns are read
 * with their types; a feature column must be numeric. Rows are ordered by input file (by path) and, within a file, as
 * stored, whatever the partitioning, so the split seed alone fixes the split.
 */
final class SparkSqlTable {

    /** What was read, and the columns it left out by default (non-numeric). */
    record Read(Table table, List<String> leftOut) {
    }

    private final SparkSession spark;
    private final String file;
    private final DataSpec spec;
    private final long maxValues;

    SparkSqlTable(SparkSession spark, String configFile, DataSpec spec, long maxValues) {
        this.spark = spark;
        this.file = configFile;
        this.spec = spec;
        this.maxValues = maxValues;
    }

    /** The source or table of the spec; its feature columns as configured, else every other numeric column. */
    Read main() {
        boolean table = spec.table() != null;
        return read(table ? "data.table" : "data.source", table ? spec.table() : spec.path(), spec.featureColumns());
    }

    /** The spec's separate validation source, with the main table's feature columns. */
    Read validation(List<String> features) {
        return read("data.validation_source", spec.valPath(), features);
    }

    private Read read(String field, String where, List<String> wanted) {
        boolean csv = spec.table() == null && "csv".equals(spec.format());
        Dataset<Row> df = open(field, where);
        StructType schema = df.schema();
        List<String> names = Arrays.asList(schema.fieldNames());
        String columns = names.size() <= 12 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 12)) + ", ... (" + names.size() + " columns)";
        String label = spec.labelColumn();
        if (!names.contains(label)) {
            throw new ConfigException(file, field.equals("data.validation_source") ? field : "data.label_column",
                    label, "no column '" + label + "' in " + where + " (columns: " + columns
                    + "); name the class label column in data.label_column");
        }
        if (!csv && !(type(schema, label) instanceof NumericType)) {
            throw new ConfigException(file, "data.label_column", label, "column '" + label + "' of " + where
                    + " has type " + type(schema, label).simpleString() + ", expected 0-based integer class labels");
        }
        List<String> features = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        if (wanted != null) {
            String featureField = field.equals("data.validation_source") ? field : "data.feature_columns";
            for (String f : wanted) {
                if (!names.contains(f)) {
                    throw new ConfigException(file, featureField, f, "no column '" + f + "' in " + where
                            + " (columns: " + columns + ")");
                }
                if (!csv && !(type(schema, f) instanceof NumericType)) {
                    throw new ConfigException(file, featureField, f, "column '" + f + "' of " + where + " has type "
                            + type(schema, f).simpleString() + "; feature columns must be numeric (byte, short, int, "
                            + "long, float, double or decimal)");
                }
                features.add(f);
            }
        } else {
            for (String name : names) {
                if (name.equals(label)) {
                    continue;
                }
                if (csv || type(schema, name) instanceof NumericType) {
                    features.add(name);
                } else {
                    leftOut.add(name);
                }
            }
            if (features.isEmpty()) {
                throw new ConfigException(file, "data.feature_columns", null, "no numeric column besides the label '"
                        + label + "' in " + where + " (columns: " + columns + ")");
            }
        }
        long rows = count(df, field, where);
        long values = rows * features.size();
        if (values > maxValues) {
            throw new ConfigException(file, field, where, String.format(Locale.ROOT, "%,d rows x %,d features = %,d "
                            + "values, more than the %,d (%d MB as float32) gradtune holds in memory on the driver and on "
                            + "each executor; sample or aggregate the data first, or name fewer data.feature_columns",
                    rows, features.size(), values, maxValues, maxValues * 4 / 1_000_000));
        }
        return new Read(collect(df, field, where, features), List.copyOf(leftOut));
    }

    private Dataset<Row> open(String field, String where) {
        try {
            if (spec.table() != null && !field.equals("data.validation_source")) {
                return spark.table(where);
            }
            String uri = DataSpec.isUri(where) ? where : Path.of(where).toUri().toString();
            if ("parquet".equals(spec.format())) {
                return spark.read().parquet(uri);
            }
            return spark.read().option("header", "true").option("inferSchema", "false").option("mode", "FAILFAST")
                    .csv(uri);
        } catch (Exception e) {   // Spark's AnalysisException is checked in Java's eyes but not declared
            throw new ConfigException(file, field, where, reason(e, spec.table() != null && field.equals("data.table")));
        }
    }

    private long count(Dataset<Row> df, String field, String where) {
        try {
            long rows = df.count();
            if (rows == 0) {
                throw new ConfigException(file, field, where, "no rows");
            }
            return rows;
        } catch (ConfigException e) {
            throw e;
        } catch (Exception e) {
            throw new ConfigException(file, field, where, "cannot read: " + reason(e, false));
        }
    }

    private Table collect(Dataset<Row> df, String field, String where, List<String> features) {
        Column[] columns = new Column[features.size() + 2];
        columns[0] = column(spec.labelColumn());
        for (int i = 0; i < features.size(); i++) {
            columns[i + 1] = column(features.get(i));
        }
        columns[columns.length - 1] = functions.input_file_name();
        List<DataType> types = new ArrayList<>();
        types.add(type(df.schema(), spec.labelColumn()));
        features.forEach(f -> types.add(type(df.schema(), f)));
        List<Segment> segments;
        try {
            segments = new ArrayList<>(df.select(columns).queryExecution().toRdd().toJavaRDD()
                    .mapPartitions(new RowsToSegments(spec.labelColumn(), features, types)).collect());
        } catch (Exception e) {
            throw new ConfigException(file, field, where, "cannot read: " + reason(e, false));
        }
        // Stable: rows of one file keep their order (Spark reads a file's splits in order).
        segments.sort(Comparator.comparing(s -> s.file));
        checkValues(field, where, segments);
        int cols = features.size();
        long total = segments.stream().mapToLong(s -> s.rows).sum();
        float[] x = new float[Math.toIntExact(total * cols)];
        int[] y = new int[Math.toIntExact(total)];
        int at = 0;
        int maxLabel = -1;
        for (Segment s : segments) {
            System.arraycopy(s.features, 0, x, at * cols, s.rows * cols);
            System.arraycopy(s.labels, 0, y, at, s.rows);
            at += s.rows;
            maxLabel = Math.max(maxLabel, s.maxLabel);
        }
        return new Table(features, x, y, maxLabel + 1);
    }

    /**
     * Every value the tasks could not convert, as one {@link ConfigException} naming the file, the data row (1-based,
     * counted after a csv header, over the file's segments in order), the column and the value.
     */
    private void checkValues(String field, String where, List<Segment> segments) {
        DataProblems problems = new DataProblems();
        long offset = 0;
        String previous = null;
        for (Segment s : segments) {
            if (!s.file.equals(previous)) {
                offset = 0;
                previous = s.file;
            }
            for (Segment.BadValue b : s.bad) {
                problems.add(new DataProblem(s.file, "data row " + (offset + b.row() + 1), b.column(), b.value(),
                        b.problem(), b.remedy()));
            }
            problems.addUnshown(s.badValues - s.bad.size());
            offset += s.rows;
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(file, field, where, problems.describe());
        }
    }

    private static Column column(String name) {
        return functions.col("`" + name.replace("`", "``") + "`");
    }

    private static DataType type(StructType schema, String column) {
        return schema.apply(column).dataType();
    }

    /** The first line of the innermost useful message, with a hint for the usual causes. */
    static String reason(Throwable e, boolean table) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = firstLine(root.getMessage() == null ? root.toString() : root.getMessage());
        if (message.contains("No FileSystem for scheme")
                || message.matches("Class org\\.apache\\.hadoop\\.fs\\..* not found")) {
            return message + ": this Spark has no Hadoop file system for that scheme (s3a:// needs hadoop-aws and its AWS "
                    + "SDK on the driver's and executors' class path, e.g. spark-submit --packages "
                    + "org.apache.hadoop:hadoop-aws:3.3.4)";
        }
        if (table) {
            return message + " (the study's Spark catalog: spark.sql.catalogImplementation and the spark.sql.catalog.* "
                    + "settings in spark.properties say which metastore it reads)";
        }
        return message;
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse(s).strip();
    }
}
