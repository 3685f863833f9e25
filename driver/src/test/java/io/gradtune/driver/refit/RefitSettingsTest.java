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

/** The {@code refit} section: on and local by default, can be turned off, spark mode takes its settings, anything else is a clear config error. */
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
    void sparkModeTakesWorkersAndAveragingFrequencyAndOtherModesAreErrors() {
        StudyConfig spark = load("refit: {mode: spark, workers: 3, averaging_frequency: 7}\n");
        assertTrue(spark.refit().spark());
        assertEquals(3, spark.refit().workers());
        assertEquals(7, spark.refit().averagingFrequency());
        assertEquals(0, load("refit: {mode: spark}\n").refit().workers());
        ConfigException local = assertThrows(ConfigException.class, () -> load("refit: {workers: 2}\n"));
        assertTrue(local.getMessage().contains("refit.workers") && local.getMessage().contains("spark only"),
                local.getMessage());
        ConfigException zero = assertThrows(ConfigException.class,
                () -> load("refit: {mode: spark, averaging_frequency: 0}\n"));
        assertTrue(zero.getMessage().contains("refit.averaging_frequency"), zero.getMessage());
        ConfigException unknown = assertThrows(ConfigException.class, () -> load("refit: {mode: gpu}\n"));
        assertTrue(unknown.getMessage().contains("refit.mode"), unknown.getMessage());
        ConfigException key = assertThrows(ConfigException.class, () -> load("refit: {epochs: 3}\n"));
        assertTrue(key.getMessage().contains("refit.epochs"), key.getMessage());
    }
}
