package io.gradtune.driver.study;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.stopping.StoppingSettings;
import io.gradtune.driver.stopping.TestCurves;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.stopping.Decision;
import io.gradtune.worker.stopping.PlateauRule;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two things a new user tripped over: a plateau on the budget's last epoch listed as "stopped early", and
 * {@code num_params} 0 for every trial whose job was cancelled (pruned: no outcome comes back).
 */
class StudyBudgetEndTest {

    private static final String RUN = "run-1";
    private static final int BUDGET = 4;

    private static Study study() {
        StoppingSettings plateauOnly = new StoppingSettings(null, null, null, new PlateauRule.Settings(1, 1e-4), null,
                null);
        StudyConfig config = new StudyConfig(null, "s", new StudyConfig.Objective("val_accuracy", true), null, null,
                null, new StudyConfig.Training(BUDGET, Map.of()), plateauOnly, null,
                new StudyConfig.Spark("local[2]", Map.of(), 2), null);
        return new Study(config, RUN, new Study.Listener() {
            @Override
            public void stopRequested(String trialId, Decision decision) {
            }

            @Override
            public void event(String trialId, String event, Map<String, ?> fields) {
            }
        });
    }

    private static String started(Study s, int x) {
        String id = s.create(Map.of("x", x));
        s.markRunning(id);
        s.attemptStarted(id, 0);
        return id;
    }

    private static EpochMetrics record(String trial, int epoch, double accuracy) {
        return EpochMetrics.of("s", RUN, trial, 0, "driver", "localhost", epoch, 1.0, 1.0, accuracy, 1e-3, 10, 0,
                TestCurves.healthyLayers(2)).withNumParams(1234);
    }

    @Test
    void aPlateauOnTheBudgetsLastEpochIsNoStopButOneBeforeItIs() throws InterruptedException {
        Study s = study();
        String full = started(s, 1);
        double[] improving = {0.5, 0.6, 0.7, 0.7};   // no improvement first at epoch 4, the last
        for (int e = 1; e <= BUDGET; e++) {
            s.onEpoch(record(full, e, improving[e - 1]));
        }
        TrialResult ranBudget = s.finish(full, TrialOutcome.of("s", full, 0, TrialOutcome.Status.COMPLETED, BUDGET,
                1, 1, 0.7, 1234, 1, null), null, 0);
        assertEquals(TrialState.COMPLETED, ranBudget.state());
        assertNull(ranBudget.stop(), "a plateau on the last epoch stops nothing");
        assertFalse(ranBudget.stoppedEarly());
        assertEquals("", ranBudget.stopReason());

        String early = started(s, 2);
        s.onEpoch(record(early, 1, 0.5));
        s.onEpoch(record(early, 2, 0.5));   // plateau at epoch 2 of 4
        TrialResult stopped = s.finish(early, TrialOutcome.of("s", early, 0, TrialOutcome.Status.COMPLETED, 2,
                1, 1, 0.5, 1234, 1, null), null, 0);
        assertEquals(TrialState.COMPLETED, stopped.state());
        assertNotNull(stopped.stop());
        assertEquals(2, stopped.stop().epoch());
        assertTrue(stopped.stoppedEarly());
    }

    @Test
    void aTrialWithoutAnOutcomeTakesItsSizeFromItsEpochRecords() throws InterruptedException {
        Study s = study();
        String id = started(s, 1);
        s.onEpoch(record(id, 1, 0.5));
        // Cancelled: Spark returns no outcome, only an error.
        TrialResult r = s.finish(id, null, "SparkException: Job 3 cancelled part of cancelled job group t0001", 0);
        assertEquals(1234, r.numParams());
    }

    @Test
    void anOldRecordWithoutASizeLeavesItUnknown() throws InterruptedException {
        Study s = study();
        String id = started(s, 1);
        s.onEpoch(EpochMetrics.of("s", RUN, id, 0, "driver", "localhost", 1, 1.0, 1.0, 0.5, 1e-3, 10, 0,
                TestCurves.healthyLayers(2)));
        assertEquals(0, s.finish(id, null, "cancelled", 0).numParams());
    }
}
