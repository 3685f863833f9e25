package io.gradtune.driver.config;

import io.gradtune.driver.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code data.class}: a data class excludes the keys that describe files, and its data is never scaled. */
class DataClassConfigTest {

    private static final String BLOBS = TestData.Blobs.class.getName();

    @TempDir
    Path dir;

    private StudyConfig load(String data, String space, String training) {
        return StudyConfigLoader.load(dir.resolve("s.yaml"), """
                study: s
                data: %s
                search: {algorithm: random, max_trials: 2}
                space: %s
                training: %s
                """.formatted(data, space, training));
    }

    private ConfigException fails(String data, String space, String training) {
        return assertThrows(ConfigException.class, () -> load(data, space, training));
    }

    @Test
    void aDataClassIsTheDataSpecWithoutFilesOrScaling() {
        StudyConfig c = load("{class: " + BLOBS + ", seed: 4}", "{units: {type: int, low: 2, high: 4}}",
                "{epochs: 2}");
        assertTrue(c.data().userData());
        assertEquals(BLOBS, c.data().dataClass());
        assertEquals(4, c.data().splitSeed());
        assertEquals("none", c.data().scaling());
        assertTrue(load("{class: " + BLOBS + ", scaling: none, task: regression}", "{units: 4}", "{epochs: 2}")
                .data().regression());
    }

    @Test
    void fileKeysExcludeADataClassNamingBoth() {
        for (String key : new String[]{"source: x.csv", "validation_source: v.csv", "test_source: t.csv",
                "table: db.t", "split: {train: 0.5}", "label_column: y", "format: csv"}) {
            ConfigException e = fails("{class: " + BLOBS + ", " + key + "}", "{units: 4}", "{epochs: 2}");
            String field = "data." + key.substring(0, key.indexOf(':'));
            assertEquals(field, e.field(), e.getMessage());
            assertTrue(e.getMessage().contains("data.class and " + field + " exclude each other"), e.getMessage());
        }
    }

    @Test
    void scalingCannotBeAskedForNorTuned() {
        ConfigException e = fails("{class: " + BLOBS + ", scaling: standard}", "{units: 4}", "{epochs: 2}");
        assertEquals("data.scaling", e.field());
        assertTrue(e.getMessage().contains("taken as prepared and never scaled"), e.getMessage());
        e = fails("{class: " + BLOBS + "}", "{scaling: {type: categorical, values: [standard, none]}}",
                "{epochs: 2}");
        assertEquals("space.scaling", e.field());
        e = fails("{class: " + BLOBS + "}", "{units: 4}", "{epochs: 2, scaling: minmax}");
        assertEquals("training.scaling", e.field());
    }

    @Test
    void theClassNameMustBeAJavaName() {
        ConfigException e = fails("{class: 'not a class'}", "{units: 4}", "{epochs: 2}");
        assertEquals("data.class", e.field());
        assertTrue(e.getMessage().contains("io.gradtune.api.DataFactory"), e.getMessage());
    }
}
