package io.gradtune.driver.data;

import io.gradtune.driver.config.ConfigException;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.worker.data.DataLoader;
import io.gradtune.worker.data.PreparedData;
import io.gradtune.worker.data.StratifiedSplit;
import io.gradtune.worker.protocol.DataSpec;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver's Spark SQL read ({@link StudyData}, {@link SparkSqlTable}) on a local Spark: csv through Spark SQL gives
 * bit-identical prepared arrays to the local csv reader, parquet written by Spark gives the same rows, tables are read
 * from the catalog, and every bad input is a {@link ConfigException} naming the field.
 */
class SparkSqlDataIT {

    static final Path DIGITS = Path.of("../data/digits.csv").toAbsolutePath().normalize();

    @TempDir
    static Path dir;

    static SparkContext sc;
    static SparkSession spark;
    /** digits.csv as parquet in one file, and in three. */
    static Path digits1;
    static Path digits3;

    @BeforeAll
    static void startSpark() {
        sc = new SparkContext(new SparkConf().setMaster("local[2]").setAppName("SparkSqlDataIT")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.sql.warehouse.dir", dir.resolve("warehouse").toUri().toString()));
        spark = StudyData.session(sc);
        digits1 = digitsParquet("digits-1.parquet", 1);
        digits3 = digitsParquet("digits-3.parquet", 3);
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    /** A study config whose data section is {@code data}. */
    static StudyConfig config(String data) throws IOException {
        Path f = Files.createTempFile(dir, "study", ".yaml");
        Files.writeString(f, """
                study: data-it
                data: %s
                search: {algorithm: random, max_trials: 2, seed: 1}
                space:
                  learning_rate: {type: float, low: 1.0e-3, high: 1.0e-2, log: true}
                training: {epochs: 2}
                """.formatted(data));
        return StudyConfigLoader.load(f);
    }

    /** digits.csv written by Spark as parquet (int columns), in {@code parts} files, rows in file order. */
    static Path digitsParquet(String name, int parts) {
        Path out = dir.resolve(name);
        // A small split size makes Spark read the csv in several ordered partitions: one parquet file each.
        spark.conf().set("spark.sql.files.maxPartitionBytes", String.valueOf(265_358 / parts + 1));
        try {
            Dataset<Row> csv = spark.read().option("header", "true").option("inferSchema", "true")
                    .csv(DIGITS.toUri().toString());
            assertEquals(parts, csv.javaRDD().getNumPartitions());
            csv.write().mode(SaveMode.Overwrite).parquet(out.toUri().toString());
        } finally {
            spark.conf().unset("spark.sql.files.maxPartitionBytes");
        }
        return out;
    }

    @Test
    void csvThroughSparkSqlGivesTheSamePreparedArraysAsTheLocalReaderBitForBit() throws IOException {
        String split = "label_column: label, split: {train: 0.6, validation: 0.2}, scaling: standard, seed: 11";
        StudyConfig local = config("{source: '" + DIGITS + "', " + split + "}");
        StudyConfig viaSql = config("{source: '" + DIGITS.toUri() + "', " + split + "}");
        assertTrue(local.data().readsLocalFiles());
        assertTrue(!viaSql.data().readsLocalFiles());

        StudyData sql = StudyData.prepare(viaSql, sc);
        assertTrue(sql.summary().contains("read through Spark SQL from file:"), sql.summary());
        assertEquals(StudyData.prepare(local, sc).spec().fingerprint(), sql.spec().fingerprint(), "same rows, same digest");

        // Today's executor path: the executor reads the local file itself (no fingerprint, nothing provided).
        DataSpec executorRead = local.data();
        StratifiedSplit.Parts expected = DataLoader.readAndSplit(executorRead);
        StratifiedSplit.Parts shared = sql.shared().parts();
        assertArrayEquals(expected.train().features(), shared.train().features());
        assertArrayEquals(expected.train().labels(), shared.train().labels());
        assertArrayEquals(expected.validation().features(), shared.validation().features());
        assertArrayEquals(expected.validation().labels(), shared.validation().labels());
        assertEquals(expected.train().featureNames(), shared.train().featureNames());

        DataLoader.provide(sql.spec(), sql::shared);
        for (String scaling : List.of("standard", "minmax", "none")) {
            PreparedData a = DataLoader.prepared(executorRead, scaling);
            PreparedData b = DataLoader.prepared(sql.spec(), scaling);
            assertArrayEquals(a.trainX().data().asFloat(), b.trainX().data().asFloat(), scaling);
            assertArrayEquals(a.trainY().data().asFloat(), b.trainY().data().asFloat(), scaling);
            assertArrayEquals(a.valX().data().asFloat(), b.valX().data().asFloat(), scaling);
            assertArrayEquals(a.valLabels(), b.valLabels(), scaling);
        }
    }

    @Test
    void parquetWrittenBySparkInSeveralFilesGivesTheCsvRowsInOrder() throws IOException {
        Path parquet = digits3;
        try (var files = Files.list(parquet)) {
            assertEquals(3, files.filter(p -> p.toString().endsWith(".parquet")).count());
        }
        StudyData fromParquet = StudyData.prepare(config("{source: '" + parquet.toUri() + "'}"), sc);
        StudyData fromCsv = StudyData.prepare(config("{source: '" + DIGITS + "'}"), sc);
        assertEquals("parquet", fromParquet.spec().format());
        assertEquals(fromCsv.spec().fingerprint(), fromParquet.spec().fingerprint());
    }

    @Test
    void aCatalogTableIsReadByName() throws IOException {
        Path parquet = digits1;
        spark.sql("CREATE DATABASE IF NOT EXISTS gradtune_it");
        spark.read().parquet(parquet.toUri().toString())
                .withColumn("note", functions.lit("not a feature"))
                .write().mode(SaveMode.Overwrite).saveAsTable("gradtune_it.digits");
        StudyData t = StudyData.prepare(config("{table: gradtune_it.digits, label_column: label}"), sc);
        assertEquals("gradtune_it.digits", t.spec().table());
        assertTrue(t.summary().contains("non-numeric columns left out: note"), t.summary());
        assertEquals(StudyData.prepare(config("{source: '" + DIGITS + "'}"), sc).spec().fingerprint(),
                t.spec().fingerprint());

        StudyData some = StudyData.prepare(config("{table: gradtune_it.digits, feature_columns: [pixel_3_3, pixel_4_4]}"), sc);
        assertEquals(2, some.shared().parts().train().columns());
    }

    @Test
    void aMissingTableNamesTheTableField() throws IOException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> StudyData.prepare(config("{table: gradtune_it.nothing_here}"), sc));
        assertEquals("data.table", e.field());
        assertTrue(e.getMessage().contains("nothing_here"), e.getMessage());
    }

    @Test
    void aLabelColumnNotInTheParquetNamesTheLabelField() throws IOException {
        Path parquet = digits1;
        ConfigException e = assertThrows(ConfigException.class,
                () -> StudyData.prepare(config("{source: '" + parquet.toUri() + "', label_column: digit}"), sc));
        assertEquals("data.label_column", e.field());
        assertTrue(e.getMessage().contains("'digit'") && e.getMessage().contains("pixel_0_0"), e.getMessage());
    }

    @Test
    void aNonNumericFeatureColumnIsRejectedAndLeftOutByDefault() throws IOException {
        Path mixed = dir.resolve("mixed.parquet");
        spark.read().parquet(digits1.toUri().toString())
                .withColumn("city", functions.lit("Oslo"))
                .write().mode(SaveMode.Overwrite).parquet(mixed.toUri().toString());
        ConfigException e = assertThrows(ConfigException.class, () -> StudyData.prepare(
                config("{source: '" + mixed.toUri() + "', feature_columns: [pixel_0_1, city]}"), sc));
        assertEquals("data.feature_columns", e.field());
        assertTrue(e.getMessage().contains("'city'") && e.getMessage().contains("string"), e.getMessage());

        StudyData byDefault = StudyData.prepare(config("{source: '" + mixed.toUri() + "'}"), sc);
        assertEquals(64, byDefault.shared().parts().train().columns());
        assertTrue(byDefault.summary().contains("left out: city"), byDefault.summary());
    }

    @Test
    void aStringLabelColumnIsRejected() throws IOException {
        Path p = dir.resolve("string-label.parquet");
        spark.read().parquet(digits1.toUri().toString())
                .withColumn("label", functions.col("label").cast("string"))
                .write().mode(SaveMode.Overwrite).parquet(p.toUri().toString());
        ConfigException e = assertThrows(ConfigException.class,
                () -> StudyData.prepare(config("{source: '" + p.toUri() + "'}"), sc));
        assertEquals("data.label_column", e.field());
        assertTrue(e.getMessage().contains("string"), e.getMessage());
    }

    @Test
    void everyBadValueIsReportedWithItsDataRowAndNaNIsOneOfThem() throws IOException {
        Path csv = dir.resolve("nan.csv");
        Files.writeString(csv, "a,b,label\n1,2,0\n3,NaN,1\n4,5,x\n6,,0\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> StudyData.prepare(config("{source: '" + csv.toUri() + "'}"), sc));
        assertEquals("data.source", e.field());
        assertTrue(e.getMessage().contains("3 problems") && e.getMessage().contains("data row 2, column 'b', value 'NaN'")
                && e.getMessage().contains("data row 3, column 'label', value 'x'")
                && e.getMessage().contains("data row 4, column 'b'"), e.getMessage());
    }

    @Test
    void aNonNumericCsvValueNamesColumnRowAndValue() throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "a,b,label\n1,2,0\n3,x7,1\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> StudyData.prepare(config("{source: '" + csv.toUri() + "'}"), sc));
        assertEquals("data.source", e.field());
        assertTrue(e.getMessage().contains("column 'b'") && e.getMessage().contains("'x7'")
                && e.getMessage().contains("row 2"), e.getMessage());
    }

    @Test
    void aSourceGoneByReadTimeNamesTheSourceField() throws IOException {
        Path p = Files.createDirectories(dir.resolve("digits-gone.parquet"));
        try (var files = Files.list(digits1)) {
            for (Path f : files.toList()) {
                Files.copy(f, p.resolve(f.getFileName()));
            }
        }
        StudyConfig c = config("{source: '" + p.toUri() + "'}");
        try (var files = Files.walk(p)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        ConfigException e = assertThrows(ConfigException.class, () -> StudyData.prepare(c, sc));
        assertEquals("data.source", e.field());
        assertTrue(e.getMessage().contains("digits-gone.parquet") && e.getMessage().toLowerCase().contains("not exist"),
                e.getMessage());
    }

    @Test
    void aFileSystemSparkDoesNotHaveIsExplained() throws IOException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> StudyData.prepare(config("{source: 's3a://bucket/digits.parquet'}"), sc));
        assertEquals("data.source", e.field());
        assertTrue(e.getMessage().contains("hadoop-aws"), e.getMessage());
    }

    @Test
    void dataAboveTheSizeLimitIsRefusedBeforeItIsCollected() throws IOException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> StudyData.prepare(config("{source: '" + DIGITS.toUri() + "'}"), sc, 100_000));
        assertEquals("data.source", e.field());
        assertTrue(e.getMessage().contains("1,797 rows x 64 features = 115,008 values"), e.getMessage());
    }

    @Test
    void aSeparateValidationSourceIsReadWithTheSameColumns() throws IOException {
        StudyData d = StudyData.prepare(config("{source: '" + digits1.toUri() + "', validation_source: '"
                + digits3.toUri() + "'}"), sc);
        assertEquals(1797, d.shared().parts().train().rows());
        assertEquals(1797, d.shared().parts().validation().rows());
        assertNull(d.spec().table());
    }
}
