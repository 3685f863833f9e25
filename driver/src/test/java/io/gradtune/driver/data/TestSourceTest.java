package io.gradtune.driver.data;

import io.gradtune.driver.config.ConfigException;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code data.test_source}: with a separate validation file, a separate file of held-out rows is the test part the
 * refit scores once; it needs the validation file and the same columns.
 */
class TestSourceTest {

    @TempDir
    Path dir;

    /** digits.csv cut into three files: 1000 rows training, 400 validation, the other 397 test. */
    private void files() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("../data/digits.csv"));
        String header = lines.get(0);
        Files.write(dir.resolve("train.csv"), join(header, lines.subList(1, 1001)));
        Files.write(dir.resolve("val.csv"), join(header, lines.subList(1001, 1401)));
        Files.write(dir.resolve("test.csv"), join(header, lines.subList(1401, lines.size())));
        Files.write(dir.resolve("narrow.csv"), lines.subList(0, 100).stream() // a feature column short
                .map(l -> l.substring(l.indexOf(',') + 1)).toList());
    }

    private static List<String> join(String header, List<String> rows) {
        List<String> all = new java.util.ArrayList<>();
        all.add(header);
        all.addAll(rows);
        return all;
    }

    private StudyConfig load(String data) {
        return StudyConfigLoader.load(dir.resolve("s.yaml"), "study: s\ndata: {" + data + ", label_column: label}\n"
                + "space: {units: {type: int, low: 2, high: 4}}\n");
    }

    @Test
    void theTestFileIsTheTestPart() throws IOException {
        files();
        StudyData data = StudyData.readLocal(load("source: train.csv, validation_source: val.csv, "
                + "test_source: test.csv"));
        assertEquals(397, data.test().rows());
        assertEquals(1000, data.shared().parts().train().rows());
        assertEquals(400, data.shared().parts().validation().rows());
        assertTrue(data.summary().contains("397 held-out test rows from data.test_source"), data.summary());
        StudyData none = StudyData.readLocal(load("source: train.csv, validation_source: val.csv"));
        assertEquals(0, none.test().rows());
    }

    @Test
    void itNeedsAValidationFileAndTheSameColumns() throws IOException {
        files();
        ConfigException split = assertThrows(ConfigException.class,
                () -> load("source: train.csv, test_source: test.csv"));
        assertTrue(split.getMessage().contains("data.test_source") && split.getMessage().contains("validation_source"),
                split.getMessage());
        ConfigException missing = assertThrows(ConfigException.class,
                () -> load("source: train.csv, validation_source: val.csv, test_source: nope.csv"));
        assertTrue(missing.getMessage().contains("data.test_source"), missing.getMessage());
        ConfigException narrow = assertThrows(ConfigException.class, () -> StudyData.readLocal(
                load("source: train.csv, validation_source: val.csv, test_source: narrow.csv")));
        assertTrue(narrow.getMessage().contains("narrow.csv"), narrow.getMessage());
    }
}
