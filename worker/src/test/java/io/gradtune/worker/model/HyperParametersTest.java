package io.gradtune.worker.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HyperParametersTest {

    @Test
    void scheduleAndResidualDefaults() {
        HyperParameters h = HyperParameters.from(Map.of());
        assertEquals("none", h.lrSchedule());
        assertEquals(0.5, h.lrDecay());
        assertEquals(5, h.lrStepEpochs());
        assertEquals(4, h.lrCycleEpochs());
        assertEquals(2, h.lrPatience());
        assertFalse(h.residual());
    }

    @Test
    void exponentialDecaysSlowerByDefault() {
        assertEquals(0.95, HyperParameters.from(Map.of("lr_schedule", "exponential")).lrDecay());
        assertEquals(0.5, HyperParameters.from(Map.of("lr_schedule", "plateau")).lrDecay());
        assertEquals(0.8, HyperParameters.from(Map.of("lr_schedule", "exponential", "lr_decay", 0.8)).lrDecay());
    }

    @Test
    void readsStringsAsTheConfigMaySendThem() {
        HyperParameters h = HyperParameters.from(Map.of("lr_schedule", "Step", "lr_step_epochs", "3",
                "residual", "true"));
        assertEquals("step", h.lrSchedule());
        assertEquals(3, h.lrStepEpochs());
        assertTrue(h.residual());
    }

    @Test
    void newNamesAreKnown() {
        for (String name : new String[]{"lr_schedule", "lr_decay", "lr_step_epochs", "lr_cycle_epochs", "lr_patience",
                "residual"}) {
            assertTrue(HyperParameters.isKnown(name), name);
        }
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("lr_schedule", "cosine"),
                Arguments.of("lr_decay", 0),
                Arguments.of("lr_decay", 1.5),
                Arguments.of("lr_step_epochs", 0),
                Arguments.of("lr_step_epochs", 2.5),
                Arguments.of("lr_cycle_epochs", 1),
                Arguments.of("lr_patience", 0),
                Arguments.of("residual", "maybe"),
                Arguments.of("learning_rate", -1e-3),
                Arguments.of("optimizer", "adagrad"),
                Arguments.of("activation", "swish"),
                Arguments.of("weight_init", "zeros"),
                Arguments.of("dropout", 1.0),
                Arguments.of("l1", -1e-4),
                Arguments.of("l2", -1e-4),
                Arguments.of("gradient_clip", -1),
                Arguments.of("momentum", -0.1),
                Arguments.of("batch_size", 0),
                Arguments.of("layers", 0),
                Arguments.of("units", 0),
                Arguments.of("batch_norm", "yes"),
                Arguments.of("units_17", 8));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("badValues")
    void rejectsBadValuesNamingTheParameter(String name, Object value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HyperParameters.from(Map.of(name, value)));
        assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
    }
}
