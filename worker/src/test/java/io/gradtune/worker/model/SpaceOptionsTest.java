package io.gradtune.worker.model;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;
import io.gradtune.worker.protocol.TrialOutcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpaceOptionsTest {

    private static final int EPOCHS = 2;

    static Stream<Arguments> options() {
        List<Map<String, Object>> cases = new ArrayList<>();
        HyperParameters.OPTIMIZERS.forEach(v -> cases.add(Map.of("optimizer", v)));
        HyperParameters.LR_SCHEDULES.forEach(v -> cases.add(Map.of("lr_schedule", v)));
        HyperParameters.ACTIVATIONS.forEach(v -> cases.add(Map.of("activation", v)));
        HyperParameters.WEIGHT_INITS.forEach(v -> cases.add(Map.of("weight_init", v)));
        List.of("standard", "minmax", "none").forEach(v -> cases.add(Map.of("scaling", v)));
        cases.add(Map.of("optimizer", "nesterov", "momentum", 0.5, "lr_schedule", "step", "learning_rate", 0.01));
        cases.add(Map.of("dropout", 0.3));
        cases.add(Map.of("l1", 1e-4));
        cases.add(Map.of("l2", 1e-3));
        cases.add(Map.of("batch_norm", true));
        cases.add(Map.of("gradient_clip", 1.0));
        cases.add(Map.of("batch_size", 16));
        cases.add(Map.of("residual", true, "layers", 3));
        cases.add(Map.of("residual", true, "layers", 3, "units_1", 16, "units_2", 16, "units_3", 8));
        cases.add(Map.of("residual", true, "layers", 3, "units_1", 8, "units_2", 12, "units_3", 16));
        cases.add(Map.of("residual", true, "layers", 3, "batch_norm", true, "dropout", 0.2, "lr_schedule", "cyclic"));
        return cases.stream().map(c -> Arguments.of(c.toString(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("options")
    void everySpaceOptionBuildsANetworkThatTrains(String name, Map<String, Object> option) {
        Map<String, Object> params = new HashMap<>(Map.of("units", 16, "learning_rate", 0.01));
        params.putAll(option);
        int hidden = ((Number) params.getOrDefault("layers", 2)).intValue();

        TestTrials.Run run = TestTrials.run(params, EPOCHS);

        assertEquals(TrialOutcome.Status.COMPLETED, run.outcome().status(), () -> String.valueOf(run.outcome().error()));
        assertEquals(EPOCHS, run.epochs().size(), "one record per epoch");
        for (EpochMetrics m : run.epochs()) {
            assertTrue(Double.isFinite(m.trainLoss()), "finite training loss, got " + m.trainLoss());
            assertTrue(Double.isFinite(m.valLoss()), "finite validation loss, got " + m.valLoss());
            assertTrue(m.learningRate() > 0, "learning rate reported, got " + m.learningRate());
            assertEquals(hidden + 1, m.layers().size(), "one entry per weight layer");
            for (LayerStats l : m.layers()) {
                assertTrue(l.allFinite(), "finite stats for layer " + l.name() + ": " + l);
                assertTrue(l.gradL2() > 0, "non-zero gradient for layer " + l.name() + ": " + l);
                assertTrue(l.updateRatio() > 0, "non-zero update for layer " + l.name() + ": " + l);
                assertTrue(Double.isFinite(l.activationStd()), "activation spread for layer " + l.name());
            }
        }
    }
}
