package io.gradtune.driver.cli;

import io.gradtune.driver.report.ParquetExports;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code gradtune export RUN_DIR}: (re)writes a run directory's {@code trials.parquet} and {@code epochs.parquet} from
 * its {@code trials.csv} and {@code metrics.jsonl}, with Spark in local mode in this JVM. Both files are read and
 * checked before Spark starts; a missing or malformed file is exit code 2, naming the file and line.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write trials.parquet and epochs.parquet of a run directory again from its trials.csv and "
                + "metrics.jsonl (Spark local mode; a study writes them itself when it ends).")
final class ExportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The study's run directory, e.g. runs/quickstart")
    Path runDir;

    @Override
    public Integer call() {
        Path dir = runDir.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            System.err.println("gradtune: " + dir + " is not a directory: give a study's run directory, e.g. runs/quickstart");
            return Gradtune.EXIT_USAGE;
        }
        ParquetExports.Tables tables;
        try {
            tables = ParquetExports.read(dir);
        } catch (IllegalArgumentException e) {
            System.err.println("gradtune: " + e.getMessage());
            return Gradtune.EXIT_USAGE;
        }
        if (!ParquetExports.needsSpark()) {
            ParquetExports.write(tables, dir); // no Spark session: ParquetFile writes them
        } else {
            SparkSession spark = SparkSession.builder().master("local[1]").appName("gradtune-export")
                    .config("spark.ui.enabled", "false").getOrCreate();
            try {
                ParquetExports.write(spark, tables, dir);
            } finally {
                spark.stop();
            }
        }
        System.out.printf(Locale.ROOT, "exports: %s (%d trials), %s (%d epoch records) in %s%n",
                ParquetExports.TRIALS, tables.trials().rows().size(), ParquetExports.EPOCHS,
                tables.epochs().rows().size(), dir);
        return Gradtune.EXIT_OK;
    }
}
