package io.gradtune.driver.cli;

import io.gradtune.driver.config.ConfigException;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.driver.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code resume} runs a model class only when the user names it again: never from the run directory alone. */
class ResumeModelClassTest {

    @TempDir
    Path dir;

    private StudyConfig config(String model) throws IOException {
        TestModels.images(dir.resolve("img.csv"), 30);
        return StudyConfigLoader.load(dir.resolve("s.yaml"), """
                study: s
                %s
                data: {source: img.csv, split: {train: 0.6, validation: 0.2}}
                space: {units: {type: int, low: 2, high: 4}}
                """.formatted(model));
    }

    @Test
    void aJournaledModelClassNeedsTheSameNameOnTheCommandLine() throws IOException {
        StudyConfig withModel = config("model: {class: com.acme.Net}");
        ConfigException missing = assertThrows(ConfigException.class,
                () -> ResumeCommand.confirmModelClass(withModel, null, dir));
        assertTrue(missing.getMessage().contains("pass --model-class com.acme.Net"), missing.getMessage());
        ConfigException other = assertThrows(ConfigException.class,
                () -> ResumeCommand.confirmModelClass(withModel, "com.acme.Other", dir));
        assertTrue(other.getMessage().contains("not com.acme.Other"), other.getMessage());
        assertDoesNotThrow(() -> ResumeCommand.confirmModelClass(withModel, "com.acme.Net", dir));
    }

    @Test
    void aBuiltInStudyTakesNoModelClass() throws IOException {
        StudyConfig builtIn = config("");
        assertDoesNotThrow(() -> ResumeCommand.confirmModelClass(builtIn, null, dir));
        assertThrows(ConfigException.class, () -> ResumeCommand.confirmModelClass(builtIn, "com.acme.Net", dir));
    }

    /** The class is read from the journaled text as plain YAML and confirmed before the config is loaded. */
    @Test
    void theJournaledClassIsConfirmedBeforeTheConfigIsLoaded() {
        assertEquals("com.acme.Net", ResumeCommand.journaledModelClass("study: s\nmodel: {class: com.acme.Net}\n"));
        assertEquals(null, ResumeCommand.journaledModelClass("study: s\n"));
        // a class that would declare its space is loaded when the config is: never before it is named again
        ConfigException e = assertThrows(ConfigException.class, () -> ResumeCommand.confirmModelClass(
                ResumeCommand.journaledModelClass("model: {class: com.acme.Missing}\n"), null, dir));
        assertTrue(e.getMessage().contains("pass --model-class com.acme.Missing"), e.getMessage());
    }
}
