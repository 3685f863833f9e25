package io.gradtune.driver.insight;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LearningCurveTest {

    @Test
    void fractionsAreParsedSortedAndChecked() {
        assertArrayEquals(new double[]{0.1, 0.25, 0.5, 0.75, 1.0}, LearningCurve.parseFractions("0.1,0.25,0.5,0.75,1.0"));
        assertArrayEquals(new double[]{0.5, 1.0}, LearningCurve.parseFractions(" 1.0, 0.5 ,0.5"));
        for (String bad : List.of("0,0.5,1", "0.5,1.5", "-0.1,1", "1.0", "0.5,0.5", "a,1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LearningCurve.parseFractions(bad), bad);
            assertTrue(e.getMessage().contains("(0, 1]") || e.getMessage().contains("at least two"), e.getMessage());
        }
    }

    @Test
    void jobsAndCurvesCrossTheSparkBoundaryAsJson() throws Exception {
        CurveJob job = new CurveJob(0.5, new int[]{1, 3, 5}, Map.of("learning_rate", 0.01, "units", 32), null,
                "standard", 4, 17L, new double[]{0.01, 0.005});
        CurveJob back = LearningCurve.JSON.readValue(LearningCurve.JSON.writeValueAsString(job), CurveJob.class);
        assertArrayEquals(job.rows(), back.rows());
        assertEquals(job.params(), back.params());
        assertArrayEquals(job.rates(), back.rates());
        assertEquals(17L, back.seed());
        FractionCurve c = new FractionCurve(0.5, 3, 1.5, List.of(new FractionCurve.Point(1, 0.5, 0.8, Double.NaN, 0.7)));
        FractionCurve cb = LearningCurve.JSON.readValue(LearningCurve.JSON.writeValueAsString(c), FractionCurve.class);
        assertEquals(c.epochs().get(0).valAccuracy(), cb.epochs().get(0).valAccuracy());
        assertTrue(Double.isNaN(cb.epochs().get(0).valLoss()));
    }
}
