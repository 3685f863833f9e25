package io.gradtune.driver.run;

import io.gradtune.driver.journal.RunDirectory;

import io.gradtune.driver.report.MetricsLog;
import io.gradtune.driver.report.ParquetExports;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.Supplier;

/**
 * The study's Parquet exports ({@link ParquetExports}) written on their own thread while the study's end goes on (the
 * refit, the feature importance and the reports: issue 14, item 3), into a staging directory inside the run
 * directory ({@code .exports.<pid>.tmp}, a name {@link io.gradtune.driver.journal.RunDirectory#removeTempFiles} clears
 * after a crash). They reach the run directory only when the study commits them, where it wrote them before, once
 * the reports are written; when the reports could not be written they are discarded, so the run directory ends as
 * it did when the exports were written last. Start them only once {@code trials.csv} holds its final rows.
 */
final class StagedExports {

    private final Path runDir;
    private final Path staging;
    private final long started = System.nanoTime();
    private volatile long written;
    private final Background<ParquetExports.Tables> writing;

    private StagedExports(Path runDir, Supplier<SparkSession> session, MetricsLog metricsLog, Thread warmUp) {
        this.runDir = runDir;
        this.staging = runDir.resolve(".exports." + ProcessHandle.current().pid() + ".tmp");
        this.writing = Background.start("gradtune-parquet-export", cancelled -> {
            SparkSession sql = ParquetExports.needsSpark() ? session.get() : null; // else ParquetFile writes them
            if (sql == null && ParquetExports.needsSpark()) {
                return null; // no Spark SQL on the class path: the study warns, as without this class
            }
            metricsLog.flush();
            try {
                warmUp.join(60_000); // long done, normally; if not, it is doing work the write needs
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ParquetExports.Tables tables = ParquetExports.read(runDir);
            try {
                Files.createDirectories(staging);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + runDir.resolve(ParquetExports.TRIALS), e);
            }
            ParquetExports.write(sql, tables, staging);
            written = System.nanoTime();
            return tables;
        });
    }

    /**
     * Begins writing {@code runDir}'s exports from its {@code trials.csv} and {@code metrics.jsonl} (flushed first),
     * after {@code warmUp} (the Spark SQL warm-up, {@link ParquetExports#warmUp}) has ended, through the Spark session
     * {@code session} gives on the export's thread (null: Spark SQL is missing, nothing is written).
     */
    static StagedExports start(Path runDir, Supplier<SparkSession> session, MetricsLog metricsLog, Thread warmUp) {
        return new StagedExports(runDir, session, metricsLog, warmUp);
    }

    /**
     * Waits for the write and moves both files into the run directory (trials.parquet first, each replacing its old
     * file atomically), as {@link ParquetExports#write(SparkSession, Path)} leaves them; null when there was no
     * Spark session. A failure is thrown as that write throws it, naming the run directory's files; the staging
     * directory is removed either way.
     */
    ParquetExports.Tables commit() {
        try {
            ParquetExports.Tables tables = writing.join();
            if (tables == null) {
                return null;
            }
            for (String name : List.of(ParquetExports.TRIALS, ParquetExports.EPOCHS)) {
                try {
                    Files.move(staging.resolve(name), runDir.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + runDir.resolve(name), e);
                }
            }
            return tables;
        } catch (RuntimeException e) {
            throw renamed(e);
        } finally {
            deleteStaging();
        }
    }

    /** Seconds the write took (from its start until both files were written), once {@link #commit()} returned. */
    double seconds() {
        return ((written == 0 ? System.nanoTime() : written) - started) / 1e9;
    }

    /** Waits for the write to end and removes what it wrote; the run directory keeps its files as they were. */
    void discard() {
        writing.cancel();
        deleteStaging();
    }

    /** A failure of the staged write, its messages naming the run directory instead of the staging directory. */
    private RuntimeException renamed(RuntimeException e) {
        String message = e.getMessage();
        if (message == null || !message.contains(staging.toString())
                && !message.contains(staging.toAbsolutePath().toString())) {
            return e;
        }
        String fixed = message.replace(staging.toAbsolutePath().toString(), runDir.toAbsolutePath().toString())
                .replace(staging.toString(), runDir.toString());
        if (e instanceof UncheckedIOException u) {
            return new UncheckedIOException(fixed, u.getCause());
        }
        RuntimeException r = new IllegalStateException(fixed, e.getCause());
        r.setStackTrace(e.getStackTrace());
        return r;
    }

    private void deleteStaging() {
        try {
            RunDirectory.deleteTree(staging);
        } catch (IOException ignored) {
            // a leftover dot-directory is cleared by the next start (RunDirectory.removeTempFiles)
        }
    }
}
