package io.gradtune.driver.report;

import io.gradtune.driver.journal.RunDirectory;

import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Writes a run directory's Spark-readable exports, {@code trials.parquet} ({@link TrialsTable}, from
 * {@code trials.csv}) and {@code epochs.parquet} ({@link EpochsTable}, from {@code metrics.jsonl}): at the end of every
 * run and resume, and by {@code gradtune export RUN_DIR}. By default {@link ParquetFile} writes them on the driver
 * (parquet-hadoop's writer, Spark's layout and schema metadata, no Spark job: issue 14, item 3);
 * {@code -Dgradtune.exports.spark=true} writes them through a Spark session as before, as the rest of this comment
 * describes.
 *
 * <p>Each export is one Parquet file, not Spark's usual directory of part files: the rows are built on the driver, the
 * DataFrame is coalesced to one partition and written into a private temp directory beside the target, and its single
 * part file is renamed over the target (atomic, as {@link AtomicFiles}), so a reader never sees a half-written
 * export, and every reader (Spark, pyarrow, pandas, DuckDB) opens it as it is. A study's exports are small
 * (a row per trial, a row per trial epoch), so one file costs nothing.
 *
 * <p>Spark writes a partition from an executor. With a cluster master the run directory must therefore be on a file
 * system the executors share with the driver (as on one machine); when the part file is not where the driver looks,
 * the write fails naming the directory, and {@code gradtune export RUN_DIR} rewrites the exports in local mode.
 */
public final class ParquetExports {

    public static final String TRIALS = "trials.parquet";
    public static final String EPOCHS = "epochs.parquet";

    private static final AtomicLong SEQUENCE = new AtomicLong();

    /**
     * {@code -Dgradtune.exports.spark=true}: the exports are written by Spark SQL jobs, as before issue 14's item 3
     * (for side-by-side timings); by default {@link ParquetFile} writes them on the driver, the same schema and rows.
     */
    static final boolean SPARK_WRITER = Boolean.getBoolean("gradtune.exports.spark");

    /**
     * Both tables, read from a run directory's files before Spark is touched.
     *
     * @param trials {@code trials.csv}'s table
     * @param epochs {@code metrics.jsonl}'s table
     */
    public record Tables(SparkTable trials, SparkTable epochs) {
    }

    private ParquetExports() {
    }

    /**
     * Reads {@code trials.csv} and {@code metrics.jsonl} of {@code runDir}.
     *
     * @throws IllegalArgumentException a file is missing or holds a value that does not fit (file, line, column)
     */
    public static Tables read(Path runDir) {
        Path csv = runDir.resolve("trials.csv");
        Path jsonl = runDir.resolve("metrics.jsonl");
        for (Path f : List.of(csv, jsonl)) {
            if (!Files.isRegularFile(f)) {
                throw new IllegalArgumentException(f + " does not exist: is " + runDir + " a gradtune run directory?");
            }
        }
        try {
            return new Tables(TrialsTable.parse(csv.toString(), Files.readString(csv, StandardCharsets.UTF_8)),
                    EpochsTable.parse(jsonl.toString(), Files.readAllLines(jsonl, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + runDir, e);
        }
    }

    /**
     * Starts planning an empty {@code epochs.parquet} DataFrame on a daemon thread (no Spark job, no file): the first
     * DataFrame of a JVM builds Spark SQL's session state and loads its planner, measured at about 60 % of the first
     * export's CPU time. A study starts it when Spark is up, so that work overlaps the trials instead of adding to
     * the end of the study; join it before {@link #write}. A failure is left to the write, which reports it.
     */
    public static Thread warmUp(SparkSession spark) {
        return warmUp(() -> spark);
    }

    /** As {@link #warmUp(SparkSession)}, with the session itself created (or found) on the warm-up thread. */
    public static Thread warmUp(java.util.function.Supplier<SparkSession> session) {
        Thread t = new Thread(() -> {
            if (!SPARK_WRITER) {
                warmUpDirect();
                return;
            }
            try {
                SparkSession spark = session.get();
                spark.createDataFrame(List.of(), EpochsTable.SCHEMA).coalesce(1).queryExecution().executedPlan();
                if (spark.sparkContext().isLocal()) {
                    warmUpWrite(spark);
                }
            } catch (Exception | LinkageError e) {
                // the export itself runs the same code and reports what is wrong; a job cancelled because the study
                // failed (Spark's SparkException, checked for Java but thrown undeclared) ends the warm-up quietly
            }
        }, "gradtune-parquet-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
        return t;
    }

    /**
     * Local masters only: writes an empty epochs table into a temporary directory and deletes it, so the Parquet
     * writer, Hadoop's local file system, the output committer and the compression codec are loaded (about half of
     * the first export's time after the planning) while the trials run, not when the study ends. Under a cluster
     * master the executors would write on their own machines, so nothing is written there.
     */
    private static void warmUpWrite(SparkSession spark) {
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("gradtune-parquet-warm-up-");
            writeFile(spark, new SparkTable(EpochsTable.SCHEMA, List.of()), tmp.resolve(EPOCHS));
        } catch (Exception e) {   // IOException, RuntimeException, or Spark's undeclared SparkException
            // the export itself reports what is wrong
        } finally {
            if (tmp != null) {
                deleteTree(tmp);
            }
        }
    }

    /**
     * Without Spark SQL's writer: writes an empty epochs table with {@link ParquetFile} into a temporary directory and
     * deletes it, so the Parquet writer's classes are loaded before the study ends. No Spark session is created.
     */
    private static void warmUpDirect() {
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("gradtune-parquet-warm-up-");
            writeFile(new SparkTable(EpochsTable.SCHEMA, List.of()), tmp.resolve(EPOCHS));
        } catch (IOException | RuntimeException | LinkageError e) {
            // the export itself reports what is wrong
        } finally {
            if (tmp != null) {
                deleteTree(tmp);
            }
        }
    }

    /**
     * Whether the exports need a Spark session: only with {@code -Dgradtune.exports.spark=true}; by default they are
     * written by {@link ParquetFile} and the session arguments of this class's methods may be null.
     */
    public static boolean needsSpark() {
        return SPARK_WRITER;
    }

    /** Writes {@code trials.parquet} and {@code epochs.parquet} into {@code runDir} from its files. */
    public static Tables write(SparkSession spark, Path runDir) {
        Tables tables = read(runDir);
        write(spark, tables, runDir);
        return tables;
    }

    /** Writes both tables into {@code runDir}. */
    public static void write(SparkSession spark, Tables tables, Path runDir) {
        // Two small Spark jobs at once (trials.parquet on its own thread): most of each is fixed per-job latency
        // (scheduling, committer, footer), which overlaps. The files are the same as written one after the other.
        java.util.concurrent.CompletableFuture<Void> trials = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                writeFile(spark, tables.trials(), runDir.resolve(TRIALS));
                trials.complete(null);
            } catch (Throwable e) {
                trials.completeExceptionally(e);
            }
        }, "gradtune-parquet-trials");
        t.setDaemon(true);
        t.start();
        RuntimeException epochsFailure = null;
        try {
            writeFile(spark, tables.epochs(), runDir.resolve(EPOCHS));
        } catch (RuntimeException e) {
            epochsFailure = e;
        }
        try {
            trials.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r; // trials.parquet's failure first, as when it was written first
            }
            throw e;
        }
        if (epochsFailure != null) {
            throw epochsFailure;
        }
    }

    /** Writes one table as the single Parquet file {@code target}, replacing it atomically. */
    static void writeFile(SparkSession spark, SparkTable table, Path target) {
        if (!SPARK_WRITER) {
            writeFile(table, target);
            return;
        }
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + SEQUENCE.incrementAndGet() + ".tmp");
        try {
            spark.createDataFrame(table.rows(), table.schema()).coalesce(1).write().mode(SaveMode.ErrorIfExists)
                    .parquet(tmp.toUri().toString());
            List<Path> parts;
            try (Stream<Path> files = Files.list(tmp)) {
                parts = files.filter(p -> p.getFileName().toString().startsWith("part-")
                        && p.getFileName().toString().endsWith(".parquet")).toList();
            } catch (IOException e) {
                parts = List.of();
            }
            if (parts.size() != 1) {
                throw new UncheckedIOException(new IOException("Spark wrote " + parts.size() + " part files into " + tmp
                        + ", expected 1: with a cluster master the run directory must be on a file system the "
                        + "executors share; run ./gradtune export " + dir + " to write " + target.getFileName()
                        + " in local mode"));
            }
            Files.move(parts.get(0), target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        } finally {
            deleteTree(tmp);
        }
    }

    /**
     * Writes one table as the single Parquet file {@code target} with {@link ParquetFile} on this thread (no Spark
     * job), into a temp file beside it that then replaces it atomically.
     */
    static void writeFile(SparkTable table, Path target) {
        Path tmp = target.toAbsolutePath().getParent().resolve("." + target.getFileName() + "."
                + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet() + ".tmp");
        try {
            ParquetFile.write(table, tmp);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a leftover dot-file is cleared by the next start (RunDirectory.removeTempFiles)
            }
        }
    }

    /** Writes both tables into {@code runDir} with {@link ParquetFile}, no Spark session needed. */
    public static void write(Tables tables, Path runDir) {
        writeFile(tables.trials(), runDir.resolve(TRIALS));
        writeFile(tables.epochs(), runDir.resolve(EPOCHS));
    }

    private static void deleteTree(Path dir) {
        try {
            RunDirectory.deleteTree(dir);
        } catch (IOException ignored) {
            // best effort: a leftover dot-directory does not hide the export's own success or failure
        }
    }
}
