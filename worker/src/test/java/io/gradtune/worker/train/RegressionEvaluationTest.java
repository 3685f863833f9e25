package io.gradtune.worker.train;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A regression's figures against values computed by hand. */
class RegressionEvaluationTest {

    // targets 1 2 3 4, predictions 1.5 2 2 5: errors 0.5 0 -1 1
    // MSE (0.25 + 0 + 1 + 1) / 4 = 0.5625; MAE (0.5 + 0 + 1 + 1) / 4 = 0.625
    // mean 2.5, SS_tot 2.25 + 0.25 + 0.25 + 2.25 = 5, SS_res 2.25: R² = 1 - 2.25 / 5 = 0.55
    private static final float[] TARGETS = {1, 2, 3, 4};

    @Test
    void mseMaeAndR2OfPredictions() {
        Evaluation e = Evaluation.regression(new double[] {1.5, 2, 2, 5}, TARGETS, 0.7);
        assertEquals(0.5625, e.valLoss(), 1e-12);
        assertEquals(0.625, e.valMae(), 1e-12);
        assertEquals(0.55, e.valR2(), 1e-12);
        assertEquals(0.7, e.trainLoss());
        assertTrue(Double.isNaN(e.valAccuracy()));
    }

    @Test
    void predictingTheMeanScoresR2ZeroAndAPerfectFitOne() {
        assertEquals(0, Evaluation.regression(new double[] {2.5, 2.5, 2.5, 2.5}, TARGETS, 0).valR2(), 1e-12);
        assertEquals(1.25, Evaluation.regression(new double[] {2.5, 2.5, 2.5, 2.5}, TARGETS, 0).valLoss(), 1e-12);
        assertEquals(1, Evaluation.regression(new double[] {1, 2, 3, 4}, TARGETS, 0).valR2(), 1e-12);
    }

    /** The network's output is the standardized target: mean + std x output is the prediction, std² scales the loss. */
    @Test
    void aStandardizedOutputIsScoredOnTheOriginalScale() {
        // mean 2, std 2: predictions 1.5 2 2 5 are outputs -0.25 0 0 1.5
        var out = Nd4j.create(new float[] {-0.25f, 0, 0, 1.5f}, new long[] {4, 1}, DataType.FLOAT);
        Evaluation e = Evaluation.regression(out, TARGETS, 2, 2, 0.5);
        assertEquals(0.5625, e.valLoss(), 1e-6);
        assertEquals(0.625, e.valMae(), 1e-6);
        assertEquals(0.55, e.valR2(), 1e-6);
        assertEquals(2.0, e.trainLoss(), 1e-12, "0.5 on the standardized target x std² 4");
    }

    @Test
    void aNonFiniteOutputMakesEveryFigureNaN() {
        Evaluation e = Evaluation.regression(new double[] {1, Double.NaN, 3, 4}, TARGETS, 1);
        assertTrue(Double.isNaN(e.valLoss()) && Double.isNaN(e.valMae()) && Double.isNaN(e.valR2()));
        Evaluation inf = Evaluation.regression(new double[] {1, Double.POSITIVE_INFINITY, 3, 4}, TARGETS, 1);
        assertTrue(Double.isNaN(inf.valLoss()) && Double.isNaN(inf.valR2()));
    }

    /** The one de-standardization: out x std + mean per row, in double, the output left as it was. */
    @Test
    void destandardizedIsOutputTimesStdPlusMean() {
        var out = Nd4j.create(new float[] {-0.25f, 0, 1.5f}, new long[] {3, 1}, DataType.FLOAT);
        double[] y = Evaluation.destandardized(out, 10, 4);
        assertEquals(3, y.length);
        assertEquals(9.0, y[0], 0.0);
        assertEquals(10.0, y[1], 0.0);
        assertEquals(16.0, y[2], 0.0);
        assertEquals(-0.25f, out.getFloat(0), 0f);
        // the INDArray route and the predictions route give the same figures, bit for bit
        Evaluation a = Evaluation.regression(out, new float[] {9, 11, 15}, 10, 4, Double.NaN);
        Evaluation b = Evaluation.regression(y, new float[] {9, 11, 15}, Double.NaN);
        assertEquals(a, b);
    }
}
