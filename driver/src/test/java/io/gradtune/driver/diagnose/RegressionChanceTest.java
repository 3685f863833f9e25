package io.gradtune.driver.diagnose;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;
import io.gradtune.worker.stopping.ClassPrior;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A regression's chance level is predicting the training mean; the diagnosis judges R² against it. */
class RegressionChanceTest {

    @Test
    void theChanceLevelIsTheMseOfPredictingTheTrainingMean() {
        // training mean 2; validation 1, 3, 5: squared errors 1, 1, 9 -> 11 / 3
        ChanceLevel c = ChanceLevel.ofTargets(new float[] {1, 2, 3}, new float[] {1, 3, 5});
        assertTrue(c.regression());
        assertEquals(11.0 / 3, c.priorLoss(), 1e-9);
        assertEquals(11.0 / 3, c.uninformedLoss(), 1e-9);
        assertEquals(ChanceLevel.MARGIN, c.band(), 1e-12);
        assertEquals(ClassPrior.regression(11.0 / 3), c.prior());
        assertThrows(IllegalArgumentException.class, () -> ChanceLevel.ofTargets(new float[0], new float[] {1}));
    }

    private static List<EpochMetrics> curve(double[] trainLoss, double[] r2, double prior) {
        List<EpochMetrics> out = new ArrayList<>();
        for (int i = 0; i < r2.length; i++) {
            List<LayerStats> layers = List.of(
                    new LayerStats(0, "0", "dense", "tanh", 1.0, 0.01, 0.1, 1e-3, 5.0, 0, 0, null, 0.0, 0.5),
                    new LayerStats(1, "1", "output", "identity", 1.0, 0.01, 0.1, 1e-3, 2.0, 0, 0, null, null, 1.0));
            double mse = (1 - r2[i]) * prior;
            out.add(EpochMetrics.of("s", "r", "t1", 0, "e", "h", i + 1, trainLoss[i], mse, Double.NaN, 0.01, 10, 0,
                    layers).withRegression(Math.sqrt(mse), r2[i]));
        }
        return out;
    }

    @Test
    void aTrialThatLearnsIsHealthyAndOneStuckAtTheMeanUnderfits() {
        ChanceLevel c = ChanceLevel.ofTargets(new float[] {0, 10}, new float[] {0, 10});   // prior MSE 25
        Diagnoser d = new Diagnoser().withChance(c);
        Diagnosis healthy = d.diagnose(curve(new double[] {20, 8, 4, 3}, new double[] {0.4, 0.7, 0.85, 0.9}, 25), null);
        assertEquals(DiagnosisKind.HEALTHY, healthy.primary(), healthy.summary());
        Diagnosis stuck = d.diagnose(curve(new double[] {25, 25, 25, 25}, new double[] {0.0, 0.01, 0.02, 0.01}, 25),
                null);
        assertEquals(DiagnosisKind.UNDERFITTING, stuck.primary(), stuck.summary());
        assertTrue(stuck.summary().contains("R²"), stuck.summary());
        Diagnosis blown = d.diagnose(curve(new double[] {25, 400, 900, 900}, new double[] {0.0, -5, -10, -12}, 25),
                null);
        assertEquals(DiagnosisKind.EXPLODING_GRADIENT, blown.primary(), blown.summary());
    }
}
