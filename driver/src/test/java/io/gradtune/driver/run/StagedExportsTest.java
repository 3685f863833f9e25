package io.gradtune.driver.run;

import io.gradtune.driver.report.MetricsLog;
import io.gradtune.driver.report.ParquetExports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The staged exports with the default writer (ParquetFile): no Spark session is asked for. */
class StagedExportsTest {

    private static final String CSV = """
            trial_id,state,objective,val_accuracy,val_loss,train_loss,best_epoch,epochs,seconds,num_params,diagnosis,\
            stop_reason,error,attempts,executor,host,learning_rate,units
            t0001,COMPLETED,0.86,0.86,0.63,1.53,1,1,18.4,3085,HEALTHY,,,1,driver,127.0.0.1,0.0068,41
            """;

    @TempDir
    Path run;

    private StagedExports start() throws Exception {
        Files.writeString(run.resolve("trials.csv"), CSV);
        MetricsLog log = new MetricsLog(run.resolve("metrics.jsonl"), false);
        Thread warmUp = new Thread(() -> { });
        warmUp.start();
        return StagedExports.start(run, () -> {
            throw new AssertionError("no Spark session is needed");
        }, log, warmUp);
    }

    private List<String> names() throws Exception {
        try (var files = Files.list(run)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void commitMovesBothFilesInAndRemovesTheStagingDirectory() throws Exception {
        StagedExports exports = start();
        ParquetExports.Tables tables = exports.commit();
        assertEquals(1, tables.trials().rows().size());
        assertEquals(0, tables.epochs().rows().size());
        assertEquals(List.of("epochs.parquet", "metrics.jsonl", "trials.csv", "trials.parquet"), names());
        assertTrue(exports.seconds() >= 0);
    }

    @Test
    void discardLeavesTheRunDirectoryAsItWas() throws Exception {
        Files.writeString(run.resolve("trials.parquet"), "an older export");
        StagedExports exports = start();
        exports.discard();
        assertEquals(List.of("metrics.jsonl", "trials.csv", "trials.parquet"), names());
        assertEquals("an older export", Files.readString(run.resolve("trials.parquet")));
    }

    @Test
    void aFailureNamesTheRunDirectoryNotTheStagingOne() throws Exception {
        // a non-empty directory where the staged trials.parquet goes: the move onto it fails
        Path staging = run.resolve(".exports." + ProcessHandle.current().pid() + ".tmp");
        Files.createDirectories(staging.resolve(ParquetExports.TRIALS).resolve("blocker"));
        StagedExports exports = start();
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class, exports::commit);
        assertEquals("cannot write " + run.resolve(ParquetExports.TRIALS), e.getMessage());
        assertFalse(Files.exists(staging), "the staging directory is removed");
        assertEquals(List.of("metrics.jsonl", "trials.csv"), names());
    }
}
