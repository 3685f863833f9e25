package io.gradtune.worker.model;

import io.gradtune.worker.train.WorkerRuntime;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FastLayers} change how much DL4J computes, not what: a network built with them ends with exactly the
 * parameters (bit for bit) of the same network built with DL4J's own layers, after the same mini-batches, for every
 * optimizer, schedule, activation, dropout, regularization, clipping, batch norm and residual option; the
 * per-mini-batch training scores and the inference activations of every weight layer (what the trainer's
 * validation pass and probe batch read) are identical too; and the reuse is actually taken on every mini-batch.
 */
class FastLayersTest {

    private static final int FEATURES = 6;
    private static final int CLASSES = 3;
    private static final int BATCHES = 12;
    private static final int ROWS = 16;

    @BeforeAll
    static void nd4j() {
        WorkerRuntime.ensureInitialized();
    }

    static List<Map<String, Object>> options() {
        List<Map<String, Object>> cases = new ArrayList<>();
        HyperParameters.OPTIMIZERS.forEach(v -> cases.add(Map.of("optimizer", v)));
        HyperParameters.ACTIVATIONS.forEach(v -> cases.add(Map.of("activation", v)));
        cases.add(Map.of("optimizer", "nesterov", "momentum", 0.5, "lr_schedule", "step", "learning_rate", 0.01));
        cases.add(Map.of("lr_schedule", "exponential"));
        cases.add(Map.of("lr_schedule", "cyclic"));
        cases.add(Map.of("dropout", 0.3));
        cases.add(Map.of("dropout", 0.3, "activation", "gelu", "layers", 3));
        cases.add(Map.of("l1", 1e-3, "l2", 1e-2));
        cases.add(Map.of("batch_norm", true));
        cases.add(Map.of("batch_norm", true, "dropout", 0.2, "activation", "elu"));
        cases.add(Map.of("gradient_clip", 0.05));
        cases.add(Map.of("units", 128, "layers", 3, "activation", "sigmoid", "optimizer", "nadam"));
        cases.add(Map.of("residual", true, "layers", 3));
        cases.add(Map.of("residual", true, "layers", 3, "batch_norm", true, "l2", 1e-2, "optimizer", "rmsprop"));
        cases.add(Map.of("residual", true, "layers", 3, "dropout", 0.2, "activation", "tanh"));
        cases.add(Map.of("residual", true, "layers", 4, "units", 64, "activation", "leakyrelu", "gradient_clip", 0.5));
        return cases;
    }

    @ParameterizedTest
    @MethodSource("options")
    void trainsBitIdenticallyToDl4jsOwnLayersAndReusesEveryMiniBatch(Map<String, Object> option) {
        Map<String, Object> p = new HashMap<>(Map.of("layers", 2, "units", 16, "learning_rate", 0.01));
        p.putAll(option);
        HyperParameters h = HyperParameters.from(p);
        int hidden = h.unitsPerLayer().size();

        Run stock = train(NetworkBuilder.build(h, FEATURES, CLASSES, 11L, true, false));
        long denseReused = FastLayers.denseReused();
        long denseRecomputed = FastLayers.denseRecomputed();
        long outputReused = FastLayers.outputReused();
        long outputRecomputed = FastLayers.outputRecomputed();
        Run fast = train(NetworkBuilder.build(h, FEATURES, CLASSES, 11L, true, true));

        assertEquals(BATCHES * hidden, FastLayers.denseReused() - denseReused, "hidden backward passes that reused z");
        assertEquals(0, FastLayers.denseRecomputed() - denseRecomputed, "hidden backward passes that recomputed z");
        assertEquals(BATCHES, FastLayers.outputReused() - outputReused, "training scores that reused the output");
        assertEquals(0, FastLayers.outputRecomputed() - outputRecomputed, "training scores that recomputed it");
        assertArrayEquals(stock.params(), fast.params(), "parameters after " + BATCHES + " mini-batches of " + option);
        assertArrayEquals(stock.scores(), fast.scores(), "training score of every mini-batch of " + option);
        assertArrayEquals(stock.activations(), fast.activations(), "inference activations of " + option);
        assertTrue(Math.abs(stock.params()[0]) > 0, "trained something");
    }

    @Test
    void withoutWorkspacesTooAndOnlyForItsOwnForwardPass() {
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, ROWS, FEATURES);
        INDArray y = Nd4j.zeros(DataType.FLOAT, ROWS, CLASSES);
        for (int i = 0; i < ROWS; i++) {
            y.putScalar(i, i % CLASSES, 1);
        }
        float[][] params = new float[2][];
        for (int variant = 0; variant < 2; variant++) {
            boolean fast = variant == 1;
            HyperParameters h = HyperParameters.from(Map.of("layers", 2, "units", 8, "dropout", 0.25));
            MultiLayerConfiguration conf = NetworkBuilder.base(h, 3L)
                    .trainingWorkspaceMode(WorkspaceMode.NONE).inferenceWorkspaceMode(WorkspaceMode.NONE).list()
                    .layer(NetworkBuilder.hidden(h, FEATURES, 8, fast))
                    .layer(NetworkBuilder.hidden(h, 8, 8, fast))
                    .layer(NetworkBuilder.output(8, CLASSES, fast))
                    .build();
            MultiLayerConfiguration roundTrip = MultiLayerConfiguration.fromJson(conf.toJson());
            assertEquals(conf.getConf(0).getLayer().getClass(), roundTrip.getConf(0).getLayer().getClass());
            assertEquals(conf.getConf(2).getLayer().getClass(), roundTrip.getConf(2).getLayer().getClass());
            assertEquals(conf.toJson(), roundTrip.toJson(), "DL4J's JSON keeps the configuration");
            MultiLayerNetwork net = new MultiLayerNetwork(conf);
            net.init();
            if (fast) {
                assertInstanceOf(FastLayers.DenseImpl.class, net.getLayer(0));
                assertInstanceOf(FastLayers.OutputImpl.class, net.getLayer(2));
            }
            long reused = FastLayers.denseReused();
            Nd4j.getRandom().setSeed(9);
            for (int b = 0; b < 5; b++) {
                net.feedForward(x, true);   // a training-mode forward pass that no backward pass follows
                net.fit(x, y);
            }
            if (fast) {
                assertEquals(5 * 2, FastLayers.denseReused() - reused, "each fit reused its own forward pass");
            }
            params[variant] = net.params().dup().data().asFloat();
        }
        assertArrayEquals(params[0], params[1]);
    }

    @Test
    void onByDefaultAndOffWithTheSystemProperty() {
        HyperParameters h = HyperParameters.from(Map.of("layers", 2, "units", 8));
        INDArray x = Nd4j.rand(DataType.FLOAT, ROWS, FEATURES);
        INDArray y = Nd4j.zeros(DataType.FLOAT, ROWS, CLASSES);
        y.getColumn(0).assign(1);
        String before = System.getProperty("gradtune.fastDense");
        try {
            System.setProperty("gradtune.fastDense", "false");
            long reused = FastLayers.denseReused() + FastLayers.denseRecomputed();
            NetworkBuilder.build(h, FEATURES, CLASSES, 1L).fit(x, y);
            assertEquals(reused, FastLayers.denseReused() + FastLayers.denseRecomputed(), "DL4J's own layers");
            System.clearProperty("gradtune.fastDense");
            reused = FastLayers.denseReused();
            NetworkBuilder.build(h, FEATURES, CLASSES, 1L).fit(x, y);
            assertEquals(reused + 2, FastLayers.denseReused(), "gradtune's layers");
        } finally {
            if (before == null) {
                System.clearProperty("gradtune.fastDense");
            } else {
                System.setProperty("gradtune.fastDense", before);
            }
        }
    }

    @Test
    void configurationKeepsEveryDl4jSetting() {
        HyperParameters h = HyperParameters.from(Map.of("dropout", 0.3, "activation", "elu"));
        var stock = NetworkBuilder.hidden(h, 5, 7, false);
        var fast = NetworkBuilder.hidden(h, 5, 7, true);
        assertInstanceOf(FastLayers.Dense.class, fast);
        assertEquals(stock.toString().replace("DenseLayer", "Dense"), fast.toString().replace("DenseLayer", "Dense"));
        assertEquals(stock.getIDropout(), fast.getIDropout());
        assertEquals(stock.getActivationFn(), fast.getActivationFn());
        assertEquals(NetworkBuilder.output(7, 3, false).getLossFn(), NetworkBuilder.output(7, 3, true).getLossFn());
    }

    private record Run(float[] params, double[] scores, float[] activations) {
    }

    /** Trains on fixed seeded batches (with a learning-rate change half way, as reduce-on-plateau does). */
    private static Run train(TrainableNetwork net) {
        double[] scores = new double[BATCHES];
        int[] iteration = {0};
        net.setListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iter, int epoch) {
                scores[iteration[0]++] = model.score();
            }
        });
        Nd4j.getRandom().setSeed(5);
        Random r = new Random(3);
        INDArray lastBatch = null;
        for (int b = 0; b < BATCHES; b++) {
            float[] x = new float[ROWS * FEATURES];
            float[] y = new float[ROWS * CLASSES];
            for (int i = 0; i < ROWS; i++) {
                int label = r.nextInt(CLASSES);
                y[i * CLASSES + label] = 1;
                for (int j = 0; j < FEATURES; j++) {
                    x[i * FEATURES + j] = (float) (r.nextGaussian() + (j % CLASSES == label ? 1.5 : 0));
                }
            }
            lastBatch = Nd4j.create(x, new long[]{ROWS, FEATURES}, 'c');
            net.fit(lastBatch, Nd4j.create(y, new long[]{ROWS, CLASSES}, 'c'));
            if (b == BATCHES / 2) {
                net.setLearningRate(0.005);
                net.endEpoch();
            }
        }
        Map<String, INDArray> activations = net.activations(lastBatch);
        List<float[]> parts = new ArrayList<>();
        int length = 0;
        for (TrainableNetwork.LayerInfo layer : net.layers()) {
            float[] part = activations.get(layer.key()).castTo(DataType.FLOAT).dup('c').data().asFloat();
            parts.add(part);
            length += part.length;
        }
        float[] all = new float[length];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        float[] params = net.flatParams().castTo(DataType.FLOAT).dup().data().asFloat();
        return new Run(params, scores, all);
    }
}
