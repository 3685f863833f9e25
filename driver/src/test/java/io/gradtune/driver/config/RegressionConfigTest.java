package io.gradtune.driver.config;

import io.gradtune.driver.data.StudyData;
import io.gradtune.driver.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code data.task: regression} and the regression objectives: defaults, and the errors that name the field and the
 * value (exit code 2 from the command line, before anything starts).
 */
class RegressionConfigTest {

    @TempDir
    Path dir;

    private Path write(String objective, String dataExtra) throws IOException {
        Files.writeString(dir.resolve("r.csv"), "a,b,y\n1,2,0.5\n3,4,1.5\n5,6,2.5\n7,8,3.5\n9,1,4.5\n");
        Path f = dir.resolve("study.yaml");
        Files.writeString(f, """
                study: reg
                %s
                data:
                  source: r.csv
                  label_column: y
                %s
                search: {algorithm: random, max_trials: 2, seed: 3}
                space:
                  learning_rate: {type: float, low: 1.0e-3, high: 1.0e-2, log: true}
                training: {epochs: 2, batch_size: 4, optimizer: adam}
                """.formatted(objective, dataExtra));
        return f;
    }

    private ConfigException failure(String objective, String dataExtra) throws IOException {
        Path f = write(objective, dataExtra);
        return assertThrows(ConfigException.class, () -> StudyConfigLoader.load(f));
    }

    @Test
    void aRegressionDefaultsToMaximizingValR2AndTheLossesAreMinimized() throws IOException {
        StudyConfig c = StudyConfigLoader.load(write("", "  task: regression"));
        assertTrue(c.data().regression());
        assertEquals(new StudyConfig.Objective("val_r2", true), c.objective());
        for (String m : new String[] {"val_mse", "val_mae", "val_loss"}) {
            assertEquals(new StudyConfig.Objective(m, false),
                    StudyConfigLoader.load(write("objective: {metric: " + m + "}", "  task: regression")).objective());
        }
        StudyConfig classification = StudyConfigLoader.load(write("", ""));
        assertFalse(classification.data().regression());
        assertEquals("val_accuracy", classification.objective().metric());
    }

    @Test
    void aRegressionMetricWithoutARegressionTaskIsAnError() throws IOException {
        ConfigException e = failure("objective: {metric: val_r2}", "");
        assertEquals("objective.metric", e.field());
        assertTrue(e.getMessage().contains("'val_r2'") && e.getMessage().contains("data.task: regression"),
                e.getMessage());
    }

    @Test
    void aClassificationMetricWithARegressionTaskIsAnError() throws IOException {
        ConfigException e = failure("objective: {metric: val_accuracy}", "  task: regression");
        assertEquals("objective.metric", e.field());
        assertTrue(e.getMessage().contains("'val_accuracy'") && e.getMessage().contains("val_r2"), e.getMessage());
    }

    @Test
    void aDirectionThatDisagreesWithTheMetricIsAnError() throws IOException {
        ConfigException e = failure("objective: {metric: val_mse, direction: maximize}", "  task: regression");
        assertEquals("objective.direction", e.field());
        assertTrue(e.getMessage().contains("'maximize'") && e.getMessage().contains("minimize it"), e.getMessage());
        ConfigException r2 = failure("objective: {metric: val_r2, direction: minimize}", "  task: regression");
        assertEquals("objective.direction", r2.field());
    }

    @Test
    void anUnknownTaskAndANonCsvRegressionAreErrors() throws IOException {
        ConfigException unknown = failure("", "  task: ordinal");
        assertEquals("data.task", unknown.field());
        assertTrue(unknown.getMessage().contains("'ordinal'"), unknown.getMessage());
        Files.createDirectories(dir.resolve("p.parquet"));
        Path f = dir.resolve("pq.yaml");
        Files.writeString(f, Files.readString(write("", "  task: regression")).replace("source: r.csv",
                "source: p.parquet"));
        ConfigException parquet = assertThrows(ConfigException.class, () -> StudyConfigLoader.load(f));
        assertEquals("data.task", parquet.field());
        assertTrue(parquet.getMessage().contains("local csv files only"), parquet.getMessage());
    }

    /** A bad target cell is a data problem like any other: file, line, column, value, before anything starts. */
    @Test
    void aBadTargetCellIsReportedWithItsLineColumnAndValue() throws IOException {
        Path f = write("", "  task: regression");
        Files.writeString(dir.resolve("r.csv"), "a,b,y\n1,2,0.5\n3,4,high\n5,6,2.5\n7,8,3.5\n9,1,NaN\n");
        ConfigException e = assertThrows(ConfigException.class, () -> StudyData.readLocal(StudyConfigLoader.load(f)));
        assertTrue(e.getMessage().contains("line 3, column 'y', value 'high': target not a number"), e.getMessage());
        assertTrue(e.getMessage().contains("line 6, column 'y', value 'NaN'"), e.getMessage());
    }

    @Test
    void theCommandLineExitsWithTwoNamingFieldAndValue() throws IOException {
        Path f = write("objective: {metric: val_mae}", "");
        Cli r = Cli.run("run", f.toString(), "--output", dir.resolve("runs").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("objective.metric") && r.err().contains("val_mae"), r.err());
        assertFalse(Files.exists(dir.resolve("runs")));
    }
}
