package io.gradtune.driver.refit;

import io.gradtune.driver.config.ConfigException;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.driver.testing.DigitsStudy;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code refit} section: on and local by default, can be turned off, spark mode is a clear config error. */
class RefitSettingsTest {

    private static StudyConfig load(String extra) {
        return StudyConfigLoader.load(Path.of("study.yaml"), DigitsStudy.named("s").yaml() + extra);
    }

    @Test
    void defaultsToALocalRefitAndSurvivesOverrides() {
        StudyConfig c = load("");
        assertTrue(c.refit().enabled());
        assertEquals("local", c.refit().mode());
        assertFalse(load("refit: {enabled: false}\n").withMaxTrials(2).withSeed(3).refit().enabled());
    }

    @Test
    void sparkModeIsNotSupportedYet() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("refit: {mode: spark}\n"));
        assertTrue(e.getMessage().contains("refit.mode") && e.getMessage().contains("not supported yet"),
                e.getMessage());
        ConfigException unknown = assertThrows(ConfigException.class, () -> load("refit: {mode: gpu}\n"));
        assertTrue(unknown.getMessage().contains("refit.mode"), unknown.getMessage());
        ConfigException key = assertThrows(ConfigException.class, () -> load("refit: {epochs: 3}\n"));
        assertTrue(key.getMessage().contains("refit.epochs"), key.getMessage());
    }
}
