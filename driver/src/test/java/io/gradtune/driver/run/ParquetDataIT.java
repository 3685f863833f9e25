package io.gradtune.driver.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradtune.driver.cli.Gradtune;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.driver.search.RandomSampler;
import io.gradtune.driver.study.TrialResult;
import io.gradtune.driver.study.TrialState;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tuning on data where clusters keep it: the shipped digits written as Parquet by Spark, named by a {@code file://}
 * URI, read through Spark SQL on the driver, split once and broadcast; a real study (Spark local[2], embedded Kafka,
 * DL4J) trains on it. A parquet file without the configured label column stops {@code gradtune run} with exit 2
 * before any trial and before the run directory exists.
 */
class ParquetDataIT {

    @TempDir
    static Path dir;

    static Path parquet;

    @BeforeAll
    static void writeDigitsAsParquet() {
        Path digits = Path.of("../data/digits.csv").toAbsolutePath().normalize();
        parquet = dir.resolve("digits.parquet");
        SparkSession spark = SparkSession.builder().config(new SparkConf().setMaster("local[2]")
                .setAppName("write-parquet").set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")).getOrCreate();
        try {
            spark.read().option("header", "true").option("inferSchema", "true").csv(digits.toUri().toString())
                    .write().mode(SaveMode.Overwrite).parquet(parquet.toUri().toString());
        } finally {
            spark.stop();
        }
    }

    private static String yaml(String study, String data) {
        return """
                study: %s
                objective: {metric: val_accuracy, direction: maximize}
                data: %s
                search: {algorithm: random, max_trials: 2, seed: 7}
                space:
                  learning_rate: {type: float, low: 3.0e-3, high: 1.0e-2, log: true}
                  units: {type: int, low: 32, high: 64}
                training: {epochs: 2, batch_size: 32, optimizer: adam}
                early_stopping: none
                spark: {master: "local[2]"}
                """.formatted(study, data);
    }

    @Test
    void aStudyTunesOnParquetNamedByAFileUri() throws Exception {
        assertTrue(Files.isDirectory(parquet));
        String uri = "file://" + parquet;   // file:///tmp/.../digits.parquet
        Path cfg = dir.resolve("parquet.yaml");
        Files.writeString(cfg, yaml("it-parquet", "{source: '" + uri + "', format: parquet, label_column: label, "
                + "split: {train: 0.6, validation: 0.2}, scaling: standard, seed: 0}"));
        StudyConfig config = StudyConfigLoader.load(cfg).withOutputDir(dir.resolve("runs"));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        StudyRunner.Outcome outcome = new StudyRunner(config, new RandomSampler(config.space(), 7),
                new PrintStream(console, true)).run();

        String log = console.toString();
        assertNull(outcome.failure(), log);
        assertTrue(log.contains("data: 1797 rows x 64 features, 10 classes, read through Spark SQL from " + uri), log);
        assertEquals(2, outcome.results().size(), log);
        for (TrialResult r : outcome.results()) {
            assertEquals(TrialState.COMPLETED, r.state(), log);
            assertEquals(2, r.epochs(), log);
            assertTrue(r.valAccuracy() >= 0.8 && r.valAccuracy() <= 1.0, "sane accuracy after 2 epochs: " + r);
        }
        JsonNode data = new ObjectMapper().readTree(outcome.runDir().resolve("study.json").toFile())
                .path("provenance").path("data");
        assertEquals("rows", data.path("of").asText(), data.toString());
        assertEquals(uri, data.path("source").asText(), data.toString());
        assertTrue(data.path("sha256").asText().matches("[0-9a-f]{64}"), data.toString());
    }

    @Test
    void aMissingLabelColumnIsAConfigErrorBeforeAnythingIsWritten() throws Exception {
        Path cfg = dir.resolve("bad-label.yaml");
        Path runs = dir.resolve("bad-runs");
        Files.writeString(cfg, yaml("it-bad-label", "{source: '" + parquet.toUri() + "', label_column: digit}"));
        PrintStream stderr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(err, true));
            code = Gradtune.execute("run", cfg.toString(), "--output", runs.toString());
        } finally {
            System.setErr(stderr);
        }
        assertEquals(Gradtune.EXIT_USAGE, code, err.toString());
        assertTrue(err.toString().contains("field 'data.label_column': value 'digit': no column 'digit'"), err.toString());
        assertFalse(Files.exists(runs.resolve("it-bad-label")), "no run directory");
        if (Files.exists(runs)) {
            try (Stream<Path> s = Files.list(runs)) {
                assertEquals(0, s.count());
            }
        }
    }
}
