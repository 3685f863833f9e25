package io.gradtune.driver.run;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.stopping.StoppingSettings;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecisionWarmUpTest {

    private static StudyConfig config() {
        return new StudyConfig(null, "s", new StudyConfig.Objective("val_accuracy", true), null, null, null,
                new StudyConfig.Training(12, Map.of()), StoppingSettings.defaults(), null, null, null);
    }

    @Test
    void decidesEveryRecordUntilTheRulesStopATrial() {
        DecisionWarmUp.Result r = DecisionWarmUp.run(config(), 20);
        assertTrue(r.records() > 20, "at least one record per trial: " + r.records());
        // Every tenth synthetic trial (t0010, t0020) diverges: the policy must stop both, and a stopped trial
        // sends no further records, so fewer than all 20 x 12 epochs are decided.
        assertTrue(r.stopped().containsAll(Set.of("t0010", "t0020")), "diverging trials stopped: " + r.stopped());
        assertTrue(r.records() < 20 * 12, "stopped trials send no further records: " + r.records());
    }

    @Test
    void feedsNoMoreSyntheticTrialsThanTheStudyHas() {
        StudyConfig.Search search = new StudyConfig.Search("random", 2, 0, null, null, Double.NaN, null, false, false);
        assertEquals(2, DecisionWarmUp.trialsFor(config().withSearch(search)));
        assertEquals(DecisionWarmUp.TRIALS, DecisionWarmUp.trialsFor(config().withSearch(search.withMaxTrials(5000))));
        assertEquals(DecisionWarmUp.TRIALS, DecisionWarmUp.trialsFor(config()));
    }

    @Test
    void startRunsOnADaemonThreadThatEnds() throws InterruptedException {
        Thread t = DecisionWarmUp.start(config());
        assertTrue(t.isDaemon());
        t.join(60_000);
        assertFalse(t.isAlive());
    }
}
