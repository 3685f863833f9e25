package io.gradtune.driver.run;

import io.gradtune.driver.cli.Gradtune;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.driver.report.ParquetExports;
import io.gradtune.driver.search.RandomSampler;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;
import io.gradtune.worker.protocol.ProtocolCodec;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small real study (Spark local[2], an embedded KRaft broker, DL4J on the digits data) ends with trials.parquet and
 * epochs.parquet; {@code gradtune export} writes them again; {@code spark.read().parquet} reads back the same trials
 * and values as trials.csv and the same epochs and per-layer statistics as metrics.jsonl.
 */
class ParquetExportIT {

    @TempDir
    Path dir;

    @Test
    void exportsReadBackWithSparkAsTheCsvAndTheMetricsLog() throws Exception {
        Path digits = Path.of("../data/digits.csv").toAbsolutePath().normalize();
        Path cfg = dir.resolve("pq.yaml");
        Files.writeString(cfg, """
                study: it-parquet
                objective: {metric: val_accuracy, direction: maximize}
                data: {source: %s, label_column: label, split: {train: 0.6, validation: 0.2}, scaling: standard, seed: 0}
                search: {algorithm: random, max_trials: 3, seed: 5}
                space:
                  learning_rate: {type: float, low: 3.0e-3, high: 1.0e-2, log: true}
                  units: {type: int, low: 16, high: 48}
                  activation: {type: categorical, values: [relu, tanh]}
                training: {epochs: 2, batch_size: 64, optimizer: adam, layers: 2}
                early_stopping: none
                refit: {enabled: false}
                spark: {master: "local[2]"}
                """.formatted(digits));
        StudyConfig config = StudyConfigLoader.load(cfg).withOutputDir(dir.resolve("runs"));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        StudyRunner.Outcome outcome = new StudyRunner(config, new RandomSampler(config.space(), 5),
                new PrintStream(console, true)).run();
        assertNull(outcome.failure(), console.toString());
        Path run = outcome.runDir();
        Path trials = run.resolve(ParquetExports.TRIALS);
        Path epochs = run.resolve(ParquetExports.EPOCHS);
        assertTrue(Files.isRegularFile(trials) && Files.isRegularFile(epochs), console.toString());
        assertTrue(console.toString().contains("exports: trials.parquet (3 trials)"), console.toString());
        long studyTrialsSize = Files.size(trials);

        // export writes them again from the files, in local mode (the study's Spark context is stopped by now)
        Files.delete(trials);
        Files.delete(epochs);
        assertEquals(Gradtune.EXIT_OK, Gradtune.execute("export", run.toString()));
        assertEquals(studyTrialsSize, Files.size(trials));
        try (var leftovers = Files.list(run)) {
            assertFalse(leftovers.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temp dirs removed");
        }

        SparkSession spark = SparkSession.builder().master("local[1]").appName("parquet-it")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            compareTrials(spark.read().parquet(trials.toString()), Files.readString(run.resolve("trials.csv")));
            compareEpochs(spark.read().parquet(epochs.toString()), Files.readAllLines(run.resolve("metrics.jsonl")));
        } finally {
            spark.stop();
        }

        // bad input is checked before Spark starts: exit 2
        Files.writeString(run.resolve("metrics.jsonl"), "{\"type\":\"nonsense\"}\n",
                java.nio.file.StandardOpenOption.APPEND);
        assertEquals(Gradtune.EXIT_USAGE, Gradtune.execute("export", run.toString()));
    }

    private static void compareTrials(Dataset<Row> df, String csv) throws Exception {
        StructType schema = df.schema();
        assertEquals(DataTypes.DoubleType, schema.apply("objective").dataType());
        assertEquals(DataTypes.IntegerType, schema.apply("best_epoch").dataType());
        assertEquals(DataTypes.LongType, schema.apply("num_params").dataType());
        assertEquals(DataTypes.DoubleType, schema.apply("learning_rate").dataType());
        assertEquals(DataTypes.LongType, schema.apply("units").dataType());
        assertEquals(DataTypes.StringType, schema.apply("activation").dataType());
        List<CSVRecord> records = CSVParser.parse(new StringReader(csv),
                CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()).getRecords();
        List<String> header = List.of(csv.substring(0, csv.indexOf('\n')).split(","));
        assertEquals(header, List.of(schema.fieldNames()), "same columns in the same order");
        Map<String, Row> byId = new HashMap<>();
        for (Row r : df.collectAsList()) {
            byId.put(r.getAs("trial_id"), r);
        }
        assertEquals(3, records.size());
        assertEquals(records.size(), byId.size());
        for (CSVRecord rec : records) {
            Row row = byId.get(rec.get("trial_id"));
            for (String column : header) {
                String cell = rec.get(column);
                Object value = row.getAs(column);
                String where = rec.get("trial_id") + " " + column;
                if (cell.isEmpty()) {
                    assertNull(value, where);
                } else if (value instanceof Double d) {
                    assertEquals(Double.parseDouble(cell), d, 0.0, where);
                } else {
                    assertEquals(cell, String.valueOf(value), where);
                }
            }
        }
    }

    private static void compareEpochs(Dataset<Row> df, List<String> lines) {
        List<Row> rows = df.collectAsList();
        assertEquals(lines.size(), rows.size());
        assertEquals(3 * 2, rows.size());
        Map<String, Row> byKey = new HashMap<>();
        for (Row r : rows) {
            byKey.put(r.getAs("trial_id") + "/" + r.getAs("attempt") + "/" + r.getAs("epoch"), r);
        }
        for (String line : lines) {
            EpochMetrics m = ProtocolCodec.decodeEpochMetrics(line).value();
            Row r = byKey.get(m.trialId() + "/" + m.attempt() + "/" + m.epoch());
            assertEquals(m.runId(), r.getAs("run_id"));
            assertEquals(m.executorId(), r.getAs("executor_id"));
            assertEquals(m.trainLoss(), (double) r.getAs("train_loss"), 0.0);
            assertEquals(m.valLoss(), (double) r.getAs("val_loss"), 0.0);
            assertEquals(m.valAccuracy(), (double) r.getAs("val_accuracy"), 0.0);
            assertEquals(m.learningRate(), (double) r.getAs("learning_rate"), 0.0);
            assertEquals(m.timestampMillis(), (long) r.getAs("timestamp_millis"));
            assertEquals(m.batches(), r.getAs("batches"));
            assertNull(r.getAs("val_r2"));
            List<Row> layers = r.getList(r.fieldIndex("layers"));
            assertEquals(m.layers().size(), layers.size());
            assertEquals(3, layers.size(), "two hidden layers and the output layer");
            for (int i = 0; i < layers.size(); i++) {
                LayerStats want = m.layers().get(i);
                Row got = layers.get(i);
                assertEquals(want.index(), (int) got.getAs("index"));
                assertEquals(want.name(), got.getAs("name"));
                assertEquals(want.kind(), got.getAs("kind"));
                assertEquals(want.activation(), got.getAs("activation"));
                assertEquals(want.gradL2(), (double) got.getAs("grad_l2"), 0.0);
                assertEquals(want.gradMeanAbs(), (double) got.getAs("grad_mean_abs"), 0.0);
                assertEquals(want.gradMaxAbs(), (double) got.getAs("grad_max_abs"), 0.0);
                assertEquals(want.updateRatio(), (double) got.getAs("update_ratio"), 0.0);
                assertEquals(want.weightL2(), (double) got.getAs("weight_l2"), 0.0);
                assertEquals(want.nanCount(), (long) got.getAs("nan_count"));
                assertEquals(want.infCount(), (long) got.getAs("inf_count"));
                assertEquals(want.deadFraction(), got.getAs("dead_fraction"));
                assertEquals(want.saturatedFraction(), got.getAs("saturated_fraction"));
                assertEquals(want.activationStd(), got.getAs("activation_std"));
                assertEquals(want.frozenLayer(), got.getAs("frozen"));
            }
        }
    }
}
