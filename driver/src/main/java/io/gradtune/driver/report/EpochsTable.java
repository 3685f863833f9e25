package io.gradtune.driver.report;

import io.gradtune.worker.protocol.Decoded;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;
import io.gradtune.worker.protocol.ProtocolCodec;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code epochs.parquet}'s rows: {@code metrics.jsonl} read back, one row per epoch record in file order, the
 * record's fields in snake case and its per-layer statistics as {@code layers}, an array of structs (input side
 * first), which pandas reads as a list of dicts per row. Non-finite numbers stay NaN or infinite; the record's
 * optional fields ({@code val_mae}, {@code val_r2}, {@code batches}) are null where the record has none; a layer's
 * {@code frozen} is false where the record omits it. The README's "What a run directory holds" lists the schema.
 */
public final class EpochsTable {

    /** One {@link LayerStats} as a struct. */
    public static final StructType LAYER = new StructType()
            .add("index", DataTypes.IntegerType, false)
            .add("name", DataTypes.StringType, true)
            .add("kind", DataTypes.StringType, true)
            .add("activation", DataTypes.StringType, true)
            .add("grad_l2", DataTypes.DoubleType, false)
            .add("grad_mean_abs", DataTypes.DoubleType, false)
            .add("grad_max_abs", DataTypes.DoubleType, false)
            .add("update_ratio", DataTypes.DoubleType, false)
            .add("weight_l2", DataTypes.DoubleType, false)
            .add("nan_count", DataTypes.LongType, false)
            .add("inf_count", DataTypes.LongType, false)
            .add("dead_fraction", DataTypes.DoubleType, true)
            .add("saturated_fraction", DataTypes.DoubleType, true)
            .add("activation_std", DataTypes.DoubleType, true)
            .add("frozen", DataTypes.BooleanType, false);

    /** One {@link EpochMetrics} as a row. */
    public static final StructType SCHEMA = new StructType()
            .add("study", DataTypes.StringType, true)
            .add("run_id", DataTypes.StringType, true)
            .add("trial_id", DataTypes.StringType, true)
            .add("attempt", DataTypes.IntegerType, false)
            .add("executor_id", DataTypes.StringType, true)
            .add("host", DataTypes.StringType, true)
            .add("epoch", DataTypes.IntegerType, false)
            .add("train_loss", DataTypes.DoubleType, false)
            .add("val_loss", DataTypes.DoubleType, false)
            .add("val_accuracy", DataTypes.DoubleType, false)
            .add("learning_rate", DataTypes.DoubleType, false)
            .add("epoch_millis", DataTypes.LongType, false)
            .add("timestamp_millis", DataTypes.LongType, false)
            .add("val_mae", DataTypes.DoubleType, true)
            .add("val_r2", DataTypes.DoubleType, true)
            .add("batches", DataTypes.IntegerType, true)
            .add("layers", DataTypes.createArrayType(LAYER, false), false);

    private EpochsTable() {
    }

    /**
     * The table of a {@code metrics.jsonl} file's lines (blank lines skipped); {@code file} names it in errors.
     *
     * @throws IllegalArgumentException naming the file and line of a line that is not an epoch record
     */
    public static SparkTable parse(String file, List<String> lines) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            Decoded<EpochMetrics> d = ProtocolCodec.decodeEpochMetrics(line);
            if (!d.isAccepted()) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": not an epoch record ("
                        + d.reason() + "): remove the line, or rewrite the file with gradtune resume");
            }
            rows.add(row(d.value()));
        }
        return new SparkTable(SCHEMA, rows);
    }

    static Row row(EpochMetrics m) {
        List<Row> layers = new ArrayList<>();
        for (LayerStats l : m.layers()) {
            layers.add(RowFactory.create(l.index(), l.name(), l.kind(), l.activation(), l.gradL2(), l.gradMeanAbs(),
                    l.gradMaxAbs(), l.updateRatio(), l.weightL2(), l.nanCount(), l.infCount(), l.deadFraction(),
                    l.saturatedFraction(), l.activationStd(), l.frozenLayer()));
        }
        return RowFactory.create(m.study(), m.runId(), m.trialId(), m.attempt(), m.executorId(), m.host(), m.epoch(),
                m.trainLoss(), m.valLoss(), m.valAccuracy(), m.learningRate(), m.epochMillis(), m.timestampMillis(),
                m.valMae(), m.valR2(), m.batches(), layers);
    }
}
