package io.gradtune.driver.report;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;
import io.gradtune.worker.protocol.ProtocolCodec;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rows and types of the Parquet exports, built from the run directory's text files (no Spark session). */
class TrialsTableTest {

    private static final String HEADER = String.join(",", TrialsCsv.FIXED_COLUMNS);

    @Test
    void fixedColumnsHaveTheirTypesAndParametersAreTypedByTheirValues() {
        String csv = HEADER + ",lr,units,act,flag,cond,State\n"
                + "t0001,COMPLETED,0.9,0.9,0.3,0.2,2,2,1.500,1234,HEALTHY,,,1,driver,localhost,1.0E-4,32,relu,true,,x\n"
                + "t0002,FAILED,,,,,0,0,0.100,0,,,boom,2,,,0.01,64,tanh,false,,y\n";
        SparkTable t = TrialsTable.parse("trials.csv", csv);
        assertEquals(DataTypes.IntegerType, t.schema().apply("best_epoch").dataType());
        assertEquals(DataTypes.LongType, t.schema().apply("num_params").dataType());
        assertEquals(DataTypes.DoubleType, t.schema().apply("lr").dataType());
        assertEquals(DataTypes.LongType, t.schema().apply("units").dataType());
        assertEquals(DataTypes.StringType, t.schema().apply("act").dataType());
        assertEquals(DataTypes.BooleanType, t.schema().apply("flag").dataType());
        assertEquals(DataTypes.StringType, t.schema().apply("cond").dataType(), "no value: string of nulls");
        assertEquals("param_State", t.schema().fieldNames()[t.schema().size() - 1], "a clash with a fixed column");
        Row failed = t.rows().get(1);
        assertNull(failed.getAs(t.schema().fieldIndex("objective")));
        assertEquals("boom", failed.getAs(t.schema().fieldIndex("error")));
        assertEquals(2, (int) failed.getAs(t.schema().fieldIndex("attempts")));
        assertEquals(1.0e-4, (double) t.rows().get(0).getAs(t.schema().fieldIndex("lr")));
        assertEquals(32L, (long) t.rows().get(0).getAs(t.schema().fieldIndex("units")));
    }

    @Test
    void aValueThatDoesNotFitItsColumnNamesFileLineAndColumn() {
        String csv = HEADER + "\nt0001,COMPLETED,zero,0.9,0.3,0.2,2,2,1.5,1234,,,,1,driver,localhost\n";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrialsTable.parse("runs/x/trials.csv", csv));
        assertTrue(e.getMessage().contains("runs/x/trials.csv line 2, column objective: 'zero'"), e.getMessage());
    }

    @Test
    void epochRecordsKeepEveryLayerField() {
        EpochMetrics m = EpochMetrics.of("s", "r1", "t0001", 0, "driver", "localhost", 1, 0.5, 0.4, Double.NaN, 1e-3,
                20, 30, List.of(new LayerStats(0, "0", "dense", "relu", 1, 2, 3, 4, 5, 6, 7, 0.25, null, 0.5),
                        new LayerStats(1, "1", "output", "softmax", 1, 2, 3, 0, 5, 0, 0, null, null, 0.1, true)))
                .withBatches(9);
        SparkTable t = EpochsTable.parse("metrics.jsonl", List.of(ProtocolCodec.encode(m), ""));
        Row r = t.rows().get(0);
        assertEquals(1, t.rows().size());
        assertTrue(Double.isNaN((double) r.getAs(EpochsTable.SCHEMA.fieldIndex("val_accuracy"))));
        assertEquals(9, (int) r.getAs(EpochsTable.SCHEMA.fieldIndex("batches")));
        assertNull(r.getAs(EpochsTable.SCHEMA.fieldIndex("val_r2")));
        @SuppressWarnings("unchecked") // the driver-side row holds a Java list (Spark converts it to an array)
        List<Row> layers = (List<Row>) r.get(EpochsTable.SCHEMA.fieldIndex("layers"));
        assertEquals(0.25, (double) layers.get(0).getAs(EpochsTable.LAYER.fieldIndex("dead_fraction")));
        assertNull(layers.get(0).getAs(EpochsTable.LAYER.fieldIndex("saturated_fraction")));
        assertEquals(false, layers.get(0).getAs(EpochsTable.LAYER.fieldIndex("frozen")));
        assertEquals(true, layers.get(1).getAs(EpochsTable.LAYER.fieldIndex("frozen")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EpochsTable.parse("m.jsonl", List.of("{}")));
        assertTrue(e.getMessage().startsWith("m.jsonl line 1: not an epoch record"), e.getMessage());
    }
}
