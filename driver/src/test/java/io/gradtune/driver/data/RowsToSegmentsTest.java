package io.gradtune.driver.data;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The conversion a Spark task runs, on hand-made rows: bad values are recorded with their row, and reading goes on. */
class RowsToSegmentsTest {

    private static InternalRow csvRow(String label, String a, String file) {
        return new GenericInternalRow(new Object[] {utf8(label), utf8(a), utf8(file)});
    }

    private static UTF8String utf8(String s) {
        return s == null ? null : UTF8String.fromString(s);
    }

    private static List<Segment> convert(List<InternalRow> rows) {
        RowsToSegments f = new RowsToSegments("label", List.of("a"), List.of(DataTypes.StringType, DataTypes.StringType));
        List<Segment> out = new ArrayList<>();
        Iterator<Segment> it = f.call(rows.iterator());
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void everyBadValueIsRecordedWithItsRowAndTheRowsAfterItAreStillRead() {
        List<Segment> segments = convert(List.of(
                csvRow("0", "1.5", "f.csv"),
                csvRow("1", "NaN", "f.csv"),
                csvRow("-1", "2", "f.csv"),
                csvRow("1", null, "f.csv"),
                csvRow("0", "abc", "f.csv"),
                csvRow("1", "Infinity", "f.csv"),
                csvRow("0", "3", "f.csv")));
        assertEquals(1, segments.size());
        Segment s = segments.get(0);
        assertEquals(7, s.rows, "every row is kept, so later rows keep their numbers");
        assertEquals(5, s.badValues);
        List<String> seen = s.bad.stream().map(b -> b.row() + ":" + b.column() + ":" + b.value() + ":" + b.problem())
                .toList();
        assertEquals(List.of(
                "1:a:NaN:NaN (a missing value; every trial would diverge on it)",
                "2:label:-1:not a 0-based integer class label",
                "3:a::empty cell (a missing value)",
                "4:a:abc:not a number",
                "5:a:Infinity:infinite, or too large for float32"), seen);
    }

    @Test
    void aCleanPartitionHasNoBadValues() {
        List<Segment> segments = convert(List.of(csvRow("0", "1", "f.csv"), csvRow("2", "-4.5", "f.csv")));
        assertEquals(0, segments.get(0).badValues);
        assertEquals(2, segments.get(0).maxLabel);
    }
}
