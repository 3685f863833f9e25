package io.gradtune.driver.report;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

import java.util.List;

/**
 * Rows and their schema, built on the driver from a run directory's files, ready for
 * {@code SparkSession.createDataFrame(rows, schema)}.
 *
 * @param schema the columns, in order
 * @param rows   one {@link Row} per record, values in schema order ({@code null} for an absent value)
 */
public record SparkTable(StructType schema, List<Row> rows) {

    public SparkTable {
        rows = List.copyOf(rows);
    }
}
