package io.gradtune.driver.insight;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verdicts on synthetic curves: each fraction's validation accuracy rises over epochs to a given plateau. */
class CurveVerdictTest {

    private static final int VAL_ROWS = 400;

    /** A curve of 5 epochs whose validation accuracy climbs to {@code val} and training accuracy to {@code train}. */
    private static FractionCurve curve(double fraction, double val, double train) {
        List<FractionCurve.Point> points = new ArrayList<>();
        for (int e = 1; e <= 5; e++) {
            double w = e / 5.0;
            points.add(new FractionCurve.Point(e, 1 - w * train, w * train, 1.2 - w * val, w * val));
        }
        return new FractionCurve(fraction, (int) (1000 * fraction), 1.0, points);
    }

    private static List<FractionCurve> curves(double[] val, double[] train) {
        double[] fractions = {0.1, 0.25, 0.5, 0.75, 1.0};
        List<FractionCurve> out = new ArrayList<>();
        for (int i = 0; i < fractions.length; i++) {
            out.add(curve(fractions[i], val[i], train[i]));
        }
        return out;
    }

    @Test
    void stillRisingAtTheFullTrainingPartMeansMoreDataHelps() {
        CurveVerdict.Verdict v = CurveVerdict.of(curves(new double[]{0.70, 0.78, 0.84, 0.87, 0.90},
                new double[]{0.99, 0.98, 0.97, 0.96, 0.95}), VAL_ROWS);
        assertEquals(CurveVerdict.MORE_DATA, v.data());
        assertEquals(0.03, v.gain(), 1e-9);
        assertTrue(v.dataText().startsWith("more data would likely help"), v.dataText());
    }

    @Test
    void aFlatLastStepMeansCapacityOrFeaturesLimit() {
        CurveVerdict.Verdict v = CurveVerdict.of(curves(new double[]{0.80, 0.86, 0.89, 0.900, 0.905},
                new double[]{0.91, 0.91, 0.91, 0.91, 0.91}), VAL_ROWS);
        // threshold: sqrt(0.905 * 0.095 / 400) = 0.0147 > the gain 0.005
        assertEquals(0.0147, v.threshold(), 1e-4);
        assertEquals(CurveVerdict.FLAT, v.data());
        assertTrue(v.dataText().contains("not above the noise threshold"), v.dataText());
    }

    @Test
    void aFallingLastStepIsFlatToo() {
        assertEquals(CurveVerdict.FLAT, CurveVerdict.of(curves(new double[]{0.8, 0.85, 0.9, 0.92, 0.90},
                new double[]{1, 1, 1, 1, 1}), VAL_ROWS).data());
    }

    @Test
    void theThresholdIsOneStandardErrorAndAtLeastOneRow() {
        assertEquals(Math.sqrt(0.9 * 0.1 / 400), CurveVerdict.threshold(0.9, 400), 1e-12);
        assertEquals(1.0 / 400, CurveVerdict.threshold(1.0, 400), 1e-12);
        // a gain of one row at a perfect accuracy is not above it
        assertEquals(CurveVerdict.FLAT, CurveVerdict.of(curves(new double[]{0.9, 0.95, 0.99, 0.9975, 1.0},
                new double[]{1, 1, 1, 1, 1}), VAL_ROWS).data());
    }

    @Test
    void aLargeTrainValidationGapIsOverfitting() {
        CurveVerdict.Verdict v = CurveVerdict.of(curves(new double[]{0.6, 0.7, 0.75, 0.78, 0.80},
                new double[]{1, 1, 1, 1, 1}), VAL_ROWS);
        assertEquals(CurveVerdict.OVERFITTING, v.fit());
        assertEquals(0.2, v.gap(), 1e-9);
        assertTrue(v.fitText().contains("regularize"), v.fitText());
    }

    @Test
    void bothCurvesLowIsUnderfitting() {
        CurveVerdict.Verdict v = CurveVerdict.of(curves(new double[]{0.6, 0.65, 0.68, 0.69, 0.70},
                new double[]{0.7, 0.7, 0.71, 0.71, 0.71}), VAL_ROWS);
        assertEquals(CurveVerdict.UNDERFITTING, v.fit());
        assertTrue(v.fitText().contains("more capacity"), v.fitText());
    }

    @Test
    void highAndCloseIsAGoodFit() {
        assertEquals(CurveVerdict.GOOD_FIT, CurveVerdict.of(curves(new double[]{0.9, 0.93, 0.95, 0.96, 0.965},
                new double[]{0.99, 0.985, 0.98, 0.975, 0.975}), VAL_ROWS).fit());
    }
}
