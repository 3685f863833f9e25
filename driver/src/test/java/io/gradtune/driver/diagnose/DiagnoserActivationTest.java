package io.gradtune.driver.diagnose;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static io.gradtune.driver.stopping.TestCurves.*;
import static org.junit.jupiter.api.Assertions.*;

/** DEAD_UNITS and SATURATION read per activation: what "dead" and "saturated" mean depends on the function. */
class DiagnoserActivationTest {

    private final Diagnoser diagnoser = new Diagnoser();

    /** A learning curve whose last epoch has a first hidden layer of {@code activation} with the given figures. */
    private static List<EpochMetrics> withFirstLayer(String activation, Double dead, Double saturated) {
        double[][] rows = {{1.0, 1.0, 0.6}, {0.6, 0.65, 0.8}, {0.4, 0.45, 0.88}, {0.3, 0.35, 0.9}};
        List<EpochMetrics> out = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            List<LayerStats> layers = i < rows.length - 1 ? healthyLayers(3)
                    : List.of(layer(0, "dense", activation, 1.0, 1e-3, 0, 0, dead, saturated),
                    layer(1, "dense", 1.0, 1e-3), layer(2, "output", 1.0, 1e-3));
            out.add(epoch("t", i + 1, rows[i][0], rows[i][1], rows[i][2], layers));
        }
        return out;
    }

    @Test
    void reluUnitsWithNoPositiveOutputAreDead() {
        Diagnosis d = diagnoser.diagnose(withFirstLayer("relu", 0.8, null), null);
        assertEquals(DiagnosisKind.DEAD_UNITS, d.primary());
        assertEquals("relu", d.evidence().get("dead_units.activation"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"leakyrelu", "elu", "gelu", "selu", "softplus", "swish"})
    void activationsWhoseGradientSurvivesNonPositiveOutputsAreNeverDead(String activation) {
        assertEquals(DiagnosisKind.HEALTHY, diagnoser.diagnose(withFirstLayer(activation, 0.9, null), null).primary());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sigmoid", "tanh", "hardsigmoid", "hardtanh"})
    void saturatingActivationsInTheirFlatRegionsAreSaturated(String activation) {
        Diagnosis d = diagnoser.diagnose(withFirstLayer(activation, null, 0.7), null);
        assertEquals(DiagnosisKind.SATURATION, d.primary());
        assertEquals(activation, d.evidence().get("saturation.activation"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"relu", "elu", "gelu"})
    void nonSaturatingActivationsAreNeverSaturated(String activation) {
        assertEquals(DiagnosisKind.HEALTHY, diagnoser.diagnose(withFirstLayer(activation, null, 0.9), null).primary());
    }

    @Test
    void familiesOfTheWorkersActivations() {
        assertEquals(ActivationFamily.RECTIFIED, ActivationFamily.of("relu"));
        assertEquals(ActivationFamily.SMOOTH, ActivationFamily.of("leakyrelu"));
        assertEquals(ActivationFamily.SMOOTH, ActivationFamily.of("elu"));
        assertEquals(ActivationFamily.SMOOTH, ActivationFamily.of("gelu"));
        assertEquals(ActivationFamily.SATURATING, ActivationFamily.of("sigmoid"));
        assertEquals(ActivationFamily.SATURATING, ActivationFamily.of("TANH"));
        assertEquals(ActivationFamily.OTHER, ActivationFamily.of("identity"));
        assertEquals(ActivationFamily.OTHER, ActivationFamily.of(null));
    }
}
