package io.gradtune.worker.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LearningRateScheduleTest {

    private static final double LR = 0.01;

    private static List<Double> rates(Map<String, Object> schedule, int epochs) {
        Map<String, Object> params = new java.util.HashMap<>(Map.of("units", 8, "learning_rate", LR));
        params.putAll(schedule);
        TestTrials.Run run = TestTrials.run(params, epochs);
        assertEquals(epochs, run.epochs().size(), () -> String.valueOf(run.outcome().error()));
        return run.learningRates();
    }

    private static void assertRates(List<Double> expected, List<Double> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), expected.get(i) * 1e-6, "epoch " + (i + 1) + " of " + actual);
        }
    }

    @Test
    void noScheduleKeepsTheRate() {
        assertRates(List.of(LR, LR, LR), rates(Map.of(), 3));
    }

    @Test
    void stepHalvesTheRateEveryStepEpochs() {
        assertRates(List.of(LR, LR, LR / 2, LR / 2, LR / 4),
                rates(Map.of("lr_schedule", "step", "lr_step_epochs", 2), 5));
    }

    @Test
    void stepDefaultsToFiveEpochs() {
        assertRates(List.of(LR, LR, LR, LR, LR, LR / 2), rates(Map.of("lr_schedule", "step"), 6));
    }

    @Test
    void exponentialDecaysByDefaultFactorEveryEpoch() {
        assertRates(List.of(LR, LR * 0.95, LR * 0.95 * 0.95), rates(Map.of("lr_schedule", "exponential"), 3));
    }

    @Test
    void cyclicIsATriangleBetweenATenthOfTheRateAndTheRate() {
        double mid = (LR + LR / 10) / 2;
        assertRates(List.of(LR, mid, LR / 10, mid, LR), rates(Map.of("lr_schedule", "cyclic"), 5));
    }

    @Test
    void scheduleAdvancesInTheResidualGraphToo() {
        assertRates(List.of(LR, LR / 2, LR / 4),
                rates(Map.of("lr_schedule", "step", "lr_step_epochs", 1, "residual", true, "layers", 3), 3));
    }

    @Test
    void plateauLowersTheRateAfterPatienceEpochsWithoutImprovement() {
        // A rate this small leaves the validation loss flat: epoch 1 sets the best, epochs 2 and 3 do not improve
        // it, so epoch 4 trains at half the rate, and two more flat epochs halve it again for epoch 6.
        double tiny = 1e-9;
        List<Double> actual = rates(Map.of("lr_schedule", "plateau", "optimizer", "sgd", "learning_rate", tiny), 7);
        assertRates(List.of(tiny, tiny, tiny, tiny / 2, tiny / 2, tiny / 4, tiny / 4), actual);
    }

    @Test
    void plateauKeepsTheRateWhileTheLossImproves() {
        assertRates(List.of(LR, LR, LR), rates(Map.of("lr_schedule", "plateau", "lr_patience", 2), 3));
    }

    @Test
    void plateauInTheResidualGraph() {
        double tiny = 1e-9;
        assertRates(List.of(tiny, tiny, tiny / 4, tiny / 16), rates(Map.of("lr_schedule", "plateau", "lr_patience", 1,
                "lr_decay", 0.25, "optimizer", "sgd", "learning_rate", tiny, "residual", true), 4));
    }
}
