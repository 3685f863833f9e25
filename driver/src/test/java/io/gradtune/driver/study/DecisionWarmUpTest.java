package io.gradtune.driver.study;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.stopping.StoppingSettings;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecisionWarmUpTest {

    private static StudyConfig config() {
        return new StudyConfig(null, "s", new StudyConfig.Objective("val_accuracy", true), null, null, null,
                new StudyConfig.Training(12, Map.of()), StoppingSettings.defaults(), null, null, null);
    }

    @Test
    void decidesEveryRecordUntilTheRulesStopATrial() {
        long records = DecisionWarmUp.run(config(), 20);
        assertTrue(records > 20, "at least one record per trial: " + records);
        // Two of the 20 synthetic trials diverge and are stopped early, so not every epoch is decided.
        assertTrue(records < 20 * 12, "stopped trials send no further records: " + records);
    }

    @Test
    void startRunsOnADaemonThreadThatEnds() throws InterruptedException {
        Thread t = DecisionWarmUp.start(config());
        assertTrue(t.isDaemon());
        t.join(60_000);
        assertFalse(t.isAlive());
    }
}
