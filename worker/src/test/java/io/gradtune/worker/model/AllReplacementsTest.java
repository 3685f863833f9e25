package io.gradtune.worker.model;

import io.gradtune.worker.train.WorkerRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * All three training-step replacements together change nothing: the same seeded network trained with all of them
 * off (DL4J's own training step) and with all of them on ends with bit-identical parameters, per-mini-batch
 * training scores and inference outputs of every weight layer (what the validation pass reads), on a few
 * representative configurations; each replacement did run in the "on" training and none in the "off" one. The
 * per-replacement tests ({@link DirectUpdatersTest}, {@link FastLayersTest}, {@link JavaUpdatersTest}) cover every
 * option, one replacement at a time.
 */
class AllReplacementsTest {

    @BeforeAll
    static void nd4j() {
        WorkerRuntime.ensureInitialized();
    }

    static List<Map<String, Object>> configs() {
        return List.of(
                Map.of("optimizer", "adam", "dropout", 0.3, "layers", 3),
                Map.of("optimizer", "nesterov", "momentum", 0.9, "batch_norm", true, "lr_schedule", "step"),
                Map.of("optimizer", "rmsprop", "residual", true, "layers", 3, "l2", 1e-2),
                Map.of("optimizer", "nadam", "activation", "gelu", "gradient_clip", 0.5, "residual", true,
                        "layers", 3, "batch_norm", true, "dropout", 0.2));
    }

    @ParameterizedTest
    @MethodSource("configs")
    void allOffAndAllOnTrainBitIdentically(Map<String, Object> config) {
        HyperParameters h = hyperParameters(config);
        Counters off = new Counters();
        TrainingEquivalence.Run dl4j = TrainingEquivalence.train(build(h, TrainingStep.DL4J));
        off.assertNoneRan();
        Counters on = new Counters();
        TrainingEquivalence.Run gradtune = TrainingEquivalence.train(build(h, TrainingStep.GRADTUNE));
        on.assertAllRan(h);
        assertBitIdentical(dl4j, gradtune, config.toString());
    }

    /** The same through the system properties, as {@code -Dgradtune.*=false} on a worker JVM turns them off. */
    @Test
    void theSystemPropertiesTurnAllThreeOff() {
        HyperParameters h = hyperParameters(configs().get(0));
        List<String> switches = List.of(TrainingStep.DIRECT_UPDATER, TrainingStep.FAST_DENSE, TrainingStep.JAVA_UPDATER);
        Map<String, String> before = new HashMap<>();
        switches.forEach(p -> before.put(p, System.getProperty(p)));
        try {
            switches.forEach(p -> System.setProperty(p, "false"));
            assertEquals(TrainingStep.DL4J, TrainingStep.effective());
            Counters off = new Counters();
            TrainingEquivalence.Run dl4j = TrainingEquivalence.train(publicBuild(h));
            off.assertNoneRan();

            switches.forEach(System::clearProperty);
            assertEquals(TrainingStep.GRADTUNE, TrainingStep.effective());
            Counters on = new Counters();
            TrainingEquivalence.Run gradtune = TrainingEquivalence.train(publicBuild(h));
            on.assertAllRan(h);
            assertBitIdentical(dl4j, gradtune, "system properties");
        } finally {
            before.forEach((p, v) -> {
                if (v == null) {
                    System.clearProperty(p);
                } else {
                    System.setProperty(p, v);
                }
            });
        }
    }

    private static HyperParameters hyperParameters(Map<String, Object> config) {
        Map<String, Object> p = new HashMap<>(Map.of("layers", 2, "units", 16, "learning_rate", 0.01));
        p.putAll(config);
        return HyperParameters.from(p);
    }

    private static TrainableNetwork build(HyperParameters h, TrainingStep step) {
        return NetworkBuilder.build(h, TrainingEquivalence.FEATURES, TrainingEquivalence.CLASSES, 11L, step);
    }

    private static TrainableNetwork publicBuild(HyperParameters h) {
        return NetworkBuilder.build(h, TrainingEquivalence.FEATURES, TrainingEquivalence.CLASSES, 11L);
    }

    private static void assertBitIdentical(TrainingEquivalence.Run off, TrainingEquivalence.Run on, String what) {
        assertArrayEquals(off.params(), on.params(), "parameters after the mini-batches of " + what);
        assertArrayEquals(off.scores(), on.scores(), "training score of every mini-batch of " + what);
        assertArrayEquals(off.activations(), on.activations(), "inference outputs of every layer of " + what);
        assertTrue(Math.abs(off.params()[0]) > 0, "trained something");
    }

    /** The replacements' own counters, from the moment of construction. */
    private static final class Counters {
        private final long direct = DirectUpdaters.directUpdates();
        private final long dense = FastLayers.denseReused() + FastLayers.denseRecomputed();
        private final long output = FastLayers.outputReused() + FastLayers.outputRecomputed();
        private final long java = JavaUpdaters.javaUpdates();

        void assertNoneRan() {
            assertEquals(direct, DirectUpdaters.directUpdates(), "direct updater in the off run");
            assertEquals(dense, FastLayers.denseReused() + FastLayers.denseRecomputed(), "fast dense in the off run");
            assertEquals(output, FastLayers.outputReused() + FastLayers.outputRecomputed(), "fast output in the off run");
            assertEquals(java, JavaUpdaters.javaUpdates(), "Java updater in the off run");
        }

        void assertAllRan(HyperParameters h) {
            int batches = TrainingEquivalence.BATCHES;
            assertEquals(batches, DirectUpdaters.directUpdates() - direct, "direct updater on every mini-batch");
            assertEquals((long) batches * h.unitsPerLayer().size(),
                    FastLayers.denseReused() + FastLayers.denseRecomputed() - dense, "fast dense on every mini-batch");
            assertEquals(batches, FastLayers.outputReused() + FastLayers.outputRecomputed() - output,
                    "fast output on every mini-batch");
            assertTrue(JavaUpdaters.javaUpdates() - java >= batches, "Java updater on every mini-batch");
        }
    }
}
