package io.gradtune.driver.config;

import io.gradtune.driver.data.StudyData;
import io.gradtune.driver.testing.Cli;
import io.gradtune.worker.protocol.Preprocessing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data-cleaning keys ({@code data.missing}, {@code data.outliers}, {@code data.clip_quantiles}, {@code data.zscore},
 * {@code data.pca_components}) and their searched forms: read into the spec, and every value out of range an error
 * naming the field and the allowed range (exit code 2 from the command line, before anything starts).
 */
class PreprocessingConfigTest {

    @TempDir
    Path dir;

    private Path write(String dataExtra, String spaceExtra) throws IOException {
        // b is missing in three rows of each class, c in two of class 0 and three of class 1: with the 0.8 / 0.2
        // split below the training part has missing cells in both columns, whatever the shuffle
        Files.writeString(dir.resolve("m.csv"), "a,b,c,label\n1,,3,0\n3,,NaN,1\n5,,NaN,0\n7,,NaN,1\n9,,2,0\n"
                + "2,,NaN,1\n4,5,NaN,0\n6,7,8,1\n8,9,1,0\n1,3,5,1\n");
        Path f = dir.resolve("study.yaml");
        Files.writeString(f, """
                study: clean
                data:
                  source: m.csv
                  split: {train: 0.8, validation: 0.2}
                %s
                search: {algorithm: random, max_trials: 2, seed: 3}
                space:
                  learning_rate: {type: float, low: 1.0e-3, high: 1.0e-2, log: true}
                %s
                training: {epochs: 2, batch_size: 4, optimizer: adam}
                """.formatted(dataExtra, spaceExtra));
        return f;
    }

    private ConfigException failure(String dataExtra, String spaceExtra) throws IOException {
        Path f = write(dataExtra, spaceExtra);
        return assertThrows(ConfigException.class, () -> StudyData.readLocal(StudyConfigLoader.load(f)));
    }

    @Test
    void theKeysAreReadIntoTheSpecAndAStudyWithoutThemHasNone() throws IOException {
        StudyConfig plain = StudyConfigLoader.load(write("", ""));
        assertNull(plain.data().preprocessing());
        assertEquals(Preprocessing.NONE, plain.data().cleaning());
        StudyConfig c = StudyConfigLoader.load(write("  missing: median\n  missing_indicators: true\n"
                + "  outliers: clip\n  clip_quantiles: [0.05, 0.95]\n  pca_components: 0.9", ""));
        Preprocessing p = c.data().preprocessing();
        assertEquals(new Preprocessing("median", true, "clip", 0.05, 0.95, 0, 0.9, true), p);
        StudyData data = StudyData.readLocal(c);   // the missing cells are read (as NaN), not rejected
        assertTrue(data.summary().contains("10 rows"), data.summary());
        StudyConfig z = StudyConfigLoader.load(write("  outliers: drop\n  zscore: 3", ""));
        assertEquals(3, z.data().preprocessing().zscore());
        assertFalse(z.data().preprocessing().readsMissing());
    }

    @Test
    void aSearchedMissingMakesTheReaderKeepMissingCells() throws IOException {
        StudyConfig c = StudyConfigLoader.load(write("", "  missing: {type: categorical, values: [mean, drop]}\n"
                + "  outliers: {type: categorical, values: [none, clip]}\n"
                + "  pca_components: {type: categorical, values: [2, 0.95]}"));
        assertTrue(c.data().cleaning().readsMissing());
        StudyData.readLocal(c);
    }

    @Test
    void missingErrorReportsTheFirstMissingCellsLineAndColumn() throws IOException {
        ConfigException e = failure("  missing: error", "");
        assertTrue(e.getMessage().contains("line 2, column 'b'") && e.getMessage().contains("data.missing"),
                e.getMessage());
    }

    @Test
    void valuesOutOfRangeNameTheFieldAndTheAllowedRange() throws IOException {
        ConfigException e = failure("  outliers: clip\n  clip_quantiles: [0.5, 1.5]", "");
        assertEquals("data.clip_quantiles", e.field());
        assertTrue(e.getMessage().contains("0 <= low < high <= 1"), e.getMessage());
        e = failure("  outliers: clip\n  clip_quantiles: [0.9, 0.1]", "");
        assertEquals("data.clip_quantiles", e.field());
        e = failure("  outliers: clip\n  zscore: 0", "");
        assertEquals("data.zscore", e.field());
        assertTrue(e.getMessage().contains("> 0"), e.getMessage());
        e = failure("  outliers: clip\n  zscore: 3\n  clip_quantiles: [0.1, 0.9]", "");
        assertEquals("data.zscore", e.field());
        e = failure("  zscore: 3", "");
        assertTrue(e.getMessage().contains("data.outliers: none"), e.getMessage());
        e = failure("  pca_components: 1.5", "");
        assertEquals("data.pca_components", e.field());
        assertTrue(e.getMessage().contains("(0, 1)"), e.getMessage());
        e = failure("  pca_components: 0", "");
        assertEquals("data.pca_components", e.field());
        e = failure("  missing: sometimes", "");
        assertEquals("data.missing", e.field());
        e = failure("  outliers: trim", "");
        assertEquals("data.outliers", e.field());
        e = failure("", "  outliers: {type: categorical, values: [none, trim]}");
        assertEquals("space.outliers", e.field());
        e = failure("", "  missing: {type: categorical, values: [mean, zero]}");
        assertEquals("space.missing", e.field());
        e = failure("", "  pca_components: {type: float, low: 0.5, high: 2.0}");
        assertEquals("space.pca_components", e.field());
    }

    @Test
    void moreComponentsThanFeatureColumnsIsAnErrorOnceTheDataIsRead() throws IOException {
        ConfigException e = failure("  missing: mean\n  pca_components: 4", "");
        assertEquals("data.pca_components", e.field());
        assertTrue(e.getMessage().contains("1..3"), e.getMessage());
        e = failure("  missing: mean", "  pca_components: {type: int, low: 1, high: 5}");
        assertEquals("space.pca_components", e.field());
        assertTrue(e.getMessage().contains("1..3"), e.getMessage());
        // indicator columns are features too: 3 + 2 columns with missing cells
        StudyData.readLocal(StudyConfigLoader.load(write("  missing: mean\n  missing_indicators: true\n"
                + "  pca_components: 5", "")));
    }

    @Test
    void missingValuesAreReadFromLocalCsvFilesOnly() throws IOException {
        Path f = write("  missing: mean", "");
        Files.createDirectories(dir.resolve("p.parquet"));
        Files.writeString(f, Files.readString(f).replace("source: m.csv", "source: p.parquet"));
        ConfigException e = assertThrows(ConfigException.class, () -> StudyConfigLoader.load(f));
        assertEquals("data.missing", e.field());
        assertTrue(e.getMessage().contains("local csv files only"), e.getMessage());
    }

    @Test
    void theCommandLineExitsWithTwoNamingTheField() throws IOException {
        Path f = write("  outliers: clip\n  clip_quantiles: [-0.1, 0.9]", "");
        Cli r = Cli.run("validate", f.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("data.clip_quantiles"), r.err());
    }
}
