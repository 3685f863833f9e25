package io.gradtune.worker.model;

import io.gradtune.worker.train.WorkerRuntime;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;

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

    private static final int FEATURES = TrainingEquivalence.FEATURES;
    private static final int CLASSES = TrainingEquivalence.CLASSES;
    private static final int BATCHES = TrainingEquivalence.BATCHES;
    private static final int ROWS = TrainingEquivalence.ROWS;

    @BeforeAll
    static void nd4j() {
        WorkerRuntime.ensureInitialized();
    }

    @ParameterizedTest
    @MethodSource("io.gradtune.worker.model.TrainingEquivalence#options")
    void trainsBitIdenticallyToDl4jsOwnLayersAndReusesEveryMiniBatch(Map<String, Object> option) {
        Map<String, Object> p = new HashMap<>(Map.of("layers", 2, "units", 16, "learning_rate", 0.01));
        p.putAll(option);
        HyperParameters h = HyperParameters.from(p);
        int hidden = h.unitsPerLayer().size();

        TrainingEquivalence.Run stock = TrainingEquivalence.train(
                NetworkBuilder.build(h, FEATURES, CLASSES, 11L, new TrainingStep(true, false, true)));
        long denseReused = FastLayers.denseReused();
        long denseRecomputed = FastLayers.denseRecomputed();
        long outputReused = FastLayers.outputReused();
        long outputRecomputed = FastLayers.outputRecomputed();
        long javaActivations = JavaActivations.JAVA.get();
        long direct = DirectGemm.directProducts();
        long divisions = JavaUpdaters.javaDivisions();
        long biasSums = JavaBiasGradient.javaSums();
        TrainingEquivalence.Run fast = TrainingEquivalence.train(
                NetworkBuilder.build(h, FEATURES, CLASSES, 11L, TrainingStep.GRADTUNE));

        assertEquals(BATCHES * hidden, FastLayers.denseReused() - denseReused, "hidden backward passes that reused z");
        assertEquals(h.activation().equals("leakyrelu") ? BATCHES * hidden : 0,
                JavaActivations.JAVA.get() - javaActivations, "hidden derivatives computed in Java");
        assertEquals(0, FastLayers.denseRecomputed() - denseRecomputed, "hidden backward passes that recomputed z");
        assertEquals(3L * BATCHES * (hidden + 1), DirectGemm.directProducts() - direct,
                "every weight layer's products (forward z, backward epsilon, weight gradient) by cblas_sgemm directly");
        assertTrue(JavaUpdaters.javaDivisions() - divisions >= BATCHES, "minibatch divisions in Java");
        assertEquals((long) BATCHES * (hidden + 1), JavaBiasGradient.javaSums() - biasSums,
                "every weight layer's bias gradient summed in Java");
        assertEquals(BATCHES, FastLayers.outputReused() - outputReused, "training scores that reused the output");
        assertEquals(0, FastLayers.outputRecomputed() - outputRecomputed, "training scores that recomputed it");
        assertArrayEquals(stock.params(), fast.params(), "parameters after " + BATCHES + " mini-batches of " + option);
        assertArrayEquals(stock.scores(), fast.scores(), "training score of every mini-batch of " + option);
        assertArrayEquals(stock.activations(), fast.activations(), "inference activations of " + option);
        assertTrue(Math.abs(stock.params()[0]) > 0, "trained something");
    }

    /**
     * A regression's output layer (identity, mean squared error) takes the same path: the kept pre-activation is what
     * DL4J's {@code LossMSE} reads, so training is bit-identical and the reuse is taken, plain and residual.
     */
    @ParameterizedTest
    @MethodSource("regressionOptions")
    void theRegressionOutputTrainsBitIdenticallyToo(Map<String, Object> option) {
        Map<String, Object> p = new HashMap<>(Map.of("layers", 2, "units", 16, "learning_rate", 0.01));
        p.putAll(option);
        HyperParameters h = HyperParameters.from(p);
        TrainingEquivalence.Run stock = TrainingEquivalence.train(NetworkBuilder.build(h, FEATURES, 1, 11L,
                new TrainingStep(true, false, true), TrainingStep.currentBackend(), true), 1);
        long outputReused = FastLayers.outputReused();
        long direct = DirectGemm.directProducts();
        TrainingEquivalence.Run fast = TrainingEquivalence.train(NetworkBuilder.build(h, FEATURES, 1, 11L,
                TrainingStep.GRADTUNE, TrainingStep.currentBackend(), true), 1);
        assertEquals(BATCHES, FastLayers.outputReused() - outputReused, "training scores that reused the output");
        assertEquals(3L * BATCHES * (HyperParameters.from(p).unitsPerLayer().size() + 1),
                DirectGemm.directProducts() - direct, "every weight layer's products by cblas_sgemm directly");
        assertArrayEquals(stock.params(), fast.params(), "parameters of " + option);
        assertArrayEquals(stock.scores(), fast.scores(), "training scores of " + option);
        assertArrayEquals(stock.activations(), fast.activations(), "inference activations of " + option);
    }

    static java.util.List<Map<String, Object>> regressionOptions() {
        return java.util.List.of(Map.of(), Map.of("residual", true, "units", 16), Map.of("optimizer", "sgd"));
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
}
