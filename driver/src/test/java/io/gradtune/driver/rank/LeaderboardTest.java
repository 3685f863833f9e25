package io.gradtune.driver.rank;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.diagnose.Diagnosis;
import io.gradtune.driver.diagnose.DiagnosisKind;
import io.gradtune.driver.diagnose.Remedies;
import io.gradtune.driver.space.CategoricalParameter;
import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.SearchSpace;
import io.gradtune.driver.study.TrialResult;
import io.gradtune.driver.study.TrialState;
import io.gradtune.worker.stopping.Decision;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    /** Fixes are listed under each non-healthy diagnosed trial, one line each, marked when outside the space. */
    @Test
    void fixesFollowEachDiagnosedTrialThatIsNotHealthy() {
        SearchSpace space = new SearchSpace(List.of(
                new CategoricalParameter("activation", List.of("sigmoid", "relu"), null),
                new FloatParameter("learning_rate", 1e-4, 0.1, true, null)));
        List<TrialResult> results = List.of(
                diagnosed("t0001", Map.of("activation", "sigmoid", "learning_rate", 0.01), DiagnosisKind.SATURATION),
                diagnosed("t0002", Map.of("activation", "relu", "learning_rate", 0.01), DiagnosisKind.HEALTHY),
                trial("t0003", 3, TrialState.FAILED, Double.NaN, 0),
                diagnosed("t0004", Map.of("activation", "relu", "learning_rate", 0.05), DiagnosisKind.EXPLODING_GRADIENT),
                diagnosed("t0005", Map.of("activation", "relu", "learning_rate", 0.01, "batch_norm", true),
                        DiagnosisKind.SATURATION));

        String text = Leaderboard.renderFixes(results, new Remedies(space, "standard"));

        List<String> lines = text.lines().toList();
        assertEquals("t0001  SATURATION", lines.get(0));
        assertTrue(lines.get(1).matches("  relu_family +a ReLU-family activation .* instead of sigmoid.* "
                + "\\{activation=relu}"), lines.get(1));
        assertTrue(lines.get(2).matches("  batch_norm +batch normalization .* \\{batch_norm=true} \\(outside the space\\)"),
                lines.get(2));
        assertEquals("t0004  EXPLODING_GRADIENT", lines.get(3));
        assertTrue(lines.get(4).matches("  lower_learning_rate +a lower learning rate: 5e-3 instead of 0.05 \\(x0.1\\) "
                + "\\{learning_rate=5e-3}"), lines.get(4));
        assertTrue(lines.get(5).startsWith("  gradient_clipping "), lines.get(5));
        assertTrue(lines.get(6).startsWith("  batch_norm "), lines.get(6));
        assertEquals("t0005  SATURATION: no fix applies (the trial has every one the tutorials name)", lines.get(7));
        assertEquals(8, lines.size(), text);
        assertFalse(text.contains("t0002") || text.contains("t0003"), text);
    }

    private static TrialResult diagnosed(String id, Map<String, Object> params, DiagnosisKind kind) {
        return new TrialResult(id, 1, params, TrialState.COMPLETED, 0.5, 0.5, 1, 1, 1, 1, 1.0, null, null, 100,
                new Diagnosis(kind, List.of(kind), Map.of(), kind.name()), null);
    }

    private static TrialResult scored(String id, int number, double accuracy, double loss, int epochs) {
        return new TrialResult(id, number, Map.of("units", number), TrialState.COMPLETED, accuracy, accuracy, loss,
                0.1, epochs, epochs, 1.0, null, null, 100, null, null);
    }

    /** Equal accuracy: the lower validation loss wins, before fewer epochs and before the trial number. */
    @Test
    void tiesOnTheObjectiveGoToTheSecondMetric() {
        List<TrialResult> results = List.of(scored("t1", 1, 0.9, 0.40, 3), scored("t2", 2, 0.9, 0.30, 9),
                scored("t3", 3, 0.9, Double.NaN, 1), scored("t4", 4, 0.95, 0.9, 9));
        Leaderboard b = new Leaderboard(new StudyConfig.Objective("val_accuracy", true), results);
        assertEquals(List.of("t4", "t2", "t1", "t3"), b.ranked().stream().map(TrialResult::trialId).toList());

        // A loss objective: equal loss goes to the higher accuracy.
        List<TrialResult> byLoss = List.of(
                new TrialResult("t1", 1, Map.of(), TrialState.COMPLETED, 0.3, 0.80, 0.3, 0.1, 2, 2, 1.0, null, null, 1,
                        null, null),
                new TrialResult("t2", 2, Map.of(), TrialState.COMPLETED, 0.3, 0.85, 0.3, 0.1, 2, 2, 1.0, null, null, 1,
                        null, null));
        Leaderboard l = new Leaderboard(new StudyConfig.Objective("val_loss", false), byLoss);
        assertEquals(List.of("t2", "t1"), l.ranked().stream().map(TrialResult::trialId).toList());
    }

    @Test
    void theTableStartsWithACountOfTrialsByHowTheyEnded() {
        Decision plateau = new Decision(Decision.Action.COMPLETE, "plateau", 3, "no improvement", Map.of());
        TrialResult early = new TrialResult("t5", 5, Map.of(), TrialState.COMPLETED, 0.8, 0.8, 0.5, 0.1, 3, 3, 1.0,
                plateau, null, 100, null, null);
        List<TrialResult> results = List.of(trial("t1", 1, TrialState.COMPLETED, 0.9, 5),
                trial("t2", 2, TrialState.PRUNED, 0.5, 1), trial("t3", 3, TrialState.PRUNED, 0.4, 1),
                trial("t4", 4, TrialState.FAILED, Double.NaN, 0), early);
        Leaderboard b = new Leaderboard(new StudyConfig.Objective("val_accuracy", true), results);
        String first = b.render(10).lines().findFirst().orElseThrow();
        assertEquals("5 trials: 1 completed, 1 stopped early, 2 pruned, 1 failed (ranked: the completed, best first)",
                first);
        assertEquals(List.of("t1", "t5"), b.ranked().stream().map(TrialResult::trialId).toList());
        String stopped = Leaderboard.renderStopped(results);
        assertTrue(stopped.contains("t5") && stopped.contains("t2") && stopped.contains("t4"), stopped);
        assertFalse(stopped.contains("t1 "), stopped);
    }

    /** The objective's column is not repeated under a second name (val_accuracy and val_acc were the same number). */
    @Test
    void eachMetricIsShownOnce() {
        List<TrialResult> results = List.of(trial("t1", 1, TrialState.COMPLETED, 0.9, 5));
        String header = new Leaderboard(new StudyConfig.Objective("val_accuracy", true), results).render(10)
                .lines().skip(1).findFirst().orElseThrow();
        assertTrue(header.contains("val_accuracy") && header.contains("val_loss"), header);
        assertFalse(header.contains("val_acc "), header);
        String byLoss = new Leaderboard(new StudyConfig.Objective("val_loss", false), results).render(10)
                .lines().skip(1).findFirst().orElseThrow();
        assertTrue(byLoss.contains("val_acc") && byLoss.indexOf("val_loss") == byLoss.lastIndexOf("val_loss"), byLoss);
    }
}
