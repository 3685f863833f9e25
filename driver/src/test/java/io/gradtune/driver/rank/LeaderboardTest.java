package io.gradtune.driver.rank;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.study.TrialResult;
import io.gradtune.driver.study.TrialState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeaderboardTest {

    static TrialResult trial(String id, int number, TrialState state, double objective, int epochs) {
        return new TrialResult(id, number, Map.of("units", number), state, objective, objective, 1 - objective,
                0.1, epochs, epochs, 1.0, null, null, 100, null, null);
    }

    @Test
    void ranksCompletedTrialsBestFirstWhenMaximizing() {
        List<TrialResult> results = List.of(trial("t1", 1, TrialState.COMPLETED, 0.90, 5),
                trial("t2", 2, TrialState.COMPLETED, 0.97, 5), trial("t3", 3, TrialState.COMPLETED, 0.93, 5));
        Leaderboard b = new Leaderboard(new StudyConfig.Objective("val_accuracy", true), results);
        assertEquals(List.of("t2", "t3", "t1"), b.ranked().stream().map(TrialResult::trialId).toList());
        assertEquals("t2", b.best().trialId());
    }

    @Test
    void ranksLowestFirstWhenMinimizing() {
        List<TrialResult> results = List.of(trial("t1", 1, TrialState.COMPLETED, 0.5, 5),
                trial("t2", 2, TrialState.COMPLETED, 0.2, 5));
        Leaderboard b = new Leaderboard(new StudyConfig.Objective("val_loss", false), results);
        assertEquals("t2", b.best().trialId());
    }

    @Test
    void leavesOutPrunedFailedAndObjectivelessTrials() {
        List<TrialResult> results = List.of(trial("t1", 1, TrialState.PRUNED, 0.99, 1),
                trial("t2", 2, TrialState.FAILED, Double.NaN, 0), trial("t3", 3, TrialState.COMPLETED, Double.NaN, 0),
                trial("t4", 4, TrialState.COMPLETED, 0.5, 3));
        Leaderboard b = new Leaderboard(new StudyConfig.Objective("val_accuracy", true), results);
        assertEquals(List.of("t4"), b.ranked().stream().map(TrialResult::trialId).toList());
    }

    @Test
    void tiesGoToFewerEpochsThenEarlierTrial() {
        List<TrialResult> results = List.of(trial("t1", 1, TrialState.COMPLETED, 0.9, 9),
                trial("t2", 2, TrialState.COMPLETED, 0.9, 4), trial("t3", 3, TrialState.COMPLETED, 0.9, 4));
        Leaderboard b = new Leaderboard(new StudyConfig.Objective("val_accuracy", true), results);
        assertEquals(List.of("t2", "t3", "t1"), b.ranked().stream().map(TrialResult::trialId).toList());
    }

    @Test
    void emptyStudyHasNoBestAndSaysSo() {
        Leaderboard b = new Leaderboard(new StudyConfig.Objective("val_accuracy", true), List.of());
        assertNull(b.best());
        assertTrue(b.render(10).contains("no completed trials"));
    }
}
