package io.gradtune.driver.config;

import io.gradtune.driver.testing.TestModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code model} section: a model class frees the parameter names; the section itself is strict. */
class ModelSectionTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void data() throws IOException {
        TestModels.images(dir.resolve("img.csv"), 60);
    }

    private static StudyConfig load(String model, String space, String training, String search) {
        return StudyConfigLoader.load(dir.resolve("s.yaml"), """
                study: s
                %s
                data: {source: img.csv, split: {train: 0.6, validation: 0.2}}
                search: {algorithm: random, max_trials: 2%s}
                space: %s
                training: %s
                """.formatted(model, search, space, training));
    }

    @Test
    void withAModelClassTheParametersAreTheClasssOwnAndPassedVerbatim() {
        StudyConfig c = load("model: {class: " + TestModels.TinyCnn.class.getName() + "}",
                "{filters: {type: int, low: 2, high: 4}, lr: {type: float, low: 1.0e-3, high: 1.0e-2, log: true}}",
                "{epochs: 2, batch_size: 16, dense_units: 8}", "");
        assertEquals(TestModels.TinyCnn.class.getName(), c.training().modelClass());
        assertEquals(Map.of("batch_size", 16, "dense_units", 8), c.training().defaults());
        assertEquals(4, c.space().parameters().size());
        assertEquals(TestModels.TinyCnn.class.getName(), c.withEpochs(5).training().modelClass(), "overrides keep it");
    }

    @Test
    void withoutOneTheVocabularyIsGradtunesAndTheClassIsNull() {
        assertNull(load("", "{units: {type: int, low: 2, high: 4}}", "{epochs: 2}", "").training().modelClass());
        ConfigException e = assertThrows(ConfigException.class,
                () -> load("", "{filters: {type: int, low: 2, high: 4}}", "{epochs: 2}", ""));
        assertTrue(e.getMessage().contains("space.filters") && e.getMessage().contains("unknown parameter"),
                e.getMessage());
    }

    @Test
    void gradtunesOwnTrainingParametersAreStillChecked() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("model: {class: com.acme.Net}",
                "{filters: {type: int, low: 2, high: 4}}", "{epochs: 2, batch_size: 0}", ""));
        assertTrue(e.getMessage().contains("batch_size"), e.getMessage());
    }

    @Test
    void theSectionIsStrict() {
        assertMessage("model: {klass: com.acme.Net}", "", "model.class");
        assertMessage("model: {class: com.acme.Net, jar: x.jar}", "", "model.jar");
        assertMessage("model: {class: 'com.acme.Net; rm -rf'}", "", "not a Java class name");
        assertMessage("model: {class: com.acme.Net}", ", repair: true", "search.repair");
    }

    private static void assertMessage(String model, String search, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(model,
                "{filters: {type: int, low: 2, high: 4}}", "{epochs: 2}", search));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
