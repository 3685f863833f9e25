package io.gradtune.worker.model;

import io.gradtune.worker.train.WorkerRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

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

    private static final int FEATURES = 6;
    private static final int CLASSES = 3;
    private static final int BATCHES = 12;

    @BeforeAll
    static void nd4j() {
        WorkerRuntime.ensureInitialized();
    }

    static List<Map<String, Object>> options() {
        List<Map<String, Object>> cases = new ArrayList<>();
        HyperParameters.OPTIMIZERS.forEach(v -> cases.add(Map.of("optimizer", v)));
        cases.add(Map.of("optimizer", "nesterov", "momentum", 0.5, "lr_schedule", "step", "learning_rate", 0.01));
        cases.add(Map.of("lr_schedule", "exponential"));
        cases.add(Map.of("lr_schedule", "cyclic"));
        cases.add(Map.of("dropout", 0.3));
        cases.add(Map.of("l1", 1e-3, "l2", 1e-2));
        cases.add(Map.of("batch_norm", true));
        cases.add(Map.of("gradient_clip", 0.05));
        cases.add(Map.of("residual", true, "layers", 3));
        cases.add(Map.of("residual", true, "layers", 3, "batch_norm", true, "l2", 1e-2, "optimizer", "rmsprop"));
        return cases;
    }

    @ParameterizedTest
    @MethodSource("options")
    void trainsBitIdenticallyToDl4jsOwnUpdaterAndTakesTheStandardPath(Map<String, Object> option) {
        Map<String, Object> p = new HashMap<>(Map.of("layers", 2, "units", 16, "learning_rate", 0.01));
        p.putAll(option);
        HyperParameters h = HyperParameters.from(p);

        float[] own = train(NetworkBuilder.build(h, FEATURES, CLASSES, 11L, false));
        long before = DirectUpdaters.directUpdates();
        float[] direct = train(NetworkBuilder.build(h, FEATURES, CLASSES, 11L, true));
        long taken = DirectUpdaters.directUpdates() - before;

        assertEquals(BATCHES, taken, "every mini-batch took the standard path");
        assertArrayEquals(own, direct, "parameters after " + BATCHES + " mini-batches of " + option);
        assertTrue(Math.abs(own[0]) > 0, "trained something");
    }

    /** Trains on fixed seeded batches (with a learning-rate change half way, as reduce-on-plateau does). */
    private static float[] train(TrainableNetwork net) {
        Nd4j.getRandom().setSeed(5);
        Random r = new Random(3);
        for (int b = 0; b < BATCHES; b++) {
            int rows = 16;
            float[] x = new float[rows * FEATURES];
            float[] y = new float[rows * CLASSES];
            for (int i = 0; i < rows; i++) {
                int label = r.nextInt(CLASSES);
                y[i * CLASSES + label] = 1;
                for (int j = 0; j < FEATURES; j++) {
                    x[i * FEATURES + j] = (float) (r.nextGaussian() + (j % CLASSES == label ? 1.5 : 0));
                }
            }
            net.fit(Nd4j.create(x, new long[]{rows, FEATURES}, 'c'), Nd4j.create(y, new long[]{rows, CLASSES}, 'c'));
            if (b == BATCHES / 2) {
                net.setLearningRate(0.005);
                net.endEpoch();
            }
        }
        INDArray params = net.flatParams();
        return params.castTo(DataType.FLOAT).dup().data().asFloat();
    }
}
