package io.gradtune.worker.model;

import io.gradtune.worker.train.WorkerRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The direct updaters change how DL4J reaches its update arithmetic, not the arithmetic: a network trained with
 * them ends with exactly the parameters (bit for bit) of the same network trained with DL4J's own updater, for
 * every optimizer, schedule, regularization, clipping, batch norm and residual option; and they do take the
 * standard path on every mini-batch.
 */
class DirectUpdatersTest {

    @BeforeAll
    static void nd4j() {
        WorkerRuntime.ensureInitialized();
    }

    @ParameterizedTest
    @MethodSource("io.gradtune.worker.model.TrainingEquivalence#options")
    void trainsBitIdenticallyToDl4jsOwnUpdaterAndTakesTheStandardPath(Map<String, Object> option) {
        Map<String, Object> p = new HashMap<>(Map.of("layers", 2, "units", 16, "learning_rate", 0.01));
        p.putAll(option);
        HyperParameters h = HyperParameters.from(p);

        TrainingEquivalence.Run own = TrainingEquivalence.train(
                NetworkBuilder.build(h, TrainingEquivalence.FEATURES, TrainingEquivalence.CLASSES, 11L,
                        new TrainingStep(false, true, false)));
        long before = DirectUpdaters.directUpdates();
        TrainingEquivalence.Run direct = TrainingEquivalence.train(
                NetworkBuilder.build(h, TrainingEquivalence.FEATURES, TrainingEquivalence.CLASSES, 11L,
                        TrainingStep.GRADTUNE));
        long taken = DirectUpdaters.directUpdates() - before;

        assertEquals(TrainingEquivalence.BATCHES, taken, "every mini-batch took the standard path");
        assertArrayEquals(own.params(), direct.params(), "parameters after the mini-batches of " + option);
        assertArrayEquals(own.scores(), direct.scores(), "training score of every mini-batch of " + option);
        assertArrayEquals(own.activations(), direct.activations(), "inference activations of " + option);
        assertTrue(Math.abs(own.params()[0]) > 0, "trained something");
    }
}
