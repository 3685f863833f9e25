package io.gradtune.worker.model;

import io.gradtune.worker.train.WorkerRuntime;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading a user's model class, the errors it can cause, and the weight-carrying layers found in its network. */
class UserModelsTest {

    private static final String FIXTURES = UserModelFixtures.class.getName() + "$";

    @BeforeAll
    static void nd4j() {
        WorkerRuntime.ensureInitialized();
    }

    @Test
    void aCnnHasConvBatchNormDenseAndOutputLayersAndNoSubsamplingLayer() {
        try (TrainableNetwork net = UserModels.build(FIXTURES + "TinyCnn", Map.of("filters", 3), 16, 3, 1)) {
            assertEquals(List.of(
                    new TrainableNetwork.LayerInfo(0, "0", "conv", "relu", "W"),
                    new TrainableNetwork.LayerInfo(1, "1", "batchnorm", "identity", "gamma"),
                    new TrainableNetwork.LayerInfo(2, "3", "dense", "tanh", "W"),
                    new TrainableNetwork.LayerInfo(3, "4", "output", "softmax", "W")), net.layers());
            assertEquals(3 * 9, net.weights(net.layers().get(0)).length());
        }
    }

    @Test
    void aGraphsLayersAreNamedByVertexWithTheOutputLast() {
        try (TrainableNetwork net = UserModels.build(FIXTURES + "TinyGraph", Map.of(), 5, 2, 1)) {
            assertEquals(List.of("hidden:dense:W", "bn:batchnorm:gamma", "out:output:W"),
                    net.layers().stream().map(l -> l.key() + ":" + l.kind() + ":" + l.param()).toList());
        }
    }

    @Test
    void anLstmIsReportedByItsInputWeights() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new LSTM.Builder().nOut(6).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nOut(4).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(5)).build());
        net.init();
        List<TrainableNetwork.LayerInfo> infos = LayerInfos.of(net);
        assertEquals(List.of("0:lstm:tanh:0_W", "1:dense:sigmoid:1_W", "2:output:softmax:2_W"),
                infos.stream().map(l -> l.key() + ":" + l.kind() + ":" + l.activation() + ":" + l.weightKey()).toList());
        assertTrue(net.paramTable().containsKey("0_RW"), "the recurrent weights exist beside W");
    }

    @Test
    void badClassesAreNamedWithTheirCause() {
        assertMessage("model class com.acme.Missing: not found on the classpath",
                () -> UserModels.load("com.acme.Missing"));
        assertMessage("does not implement io.gradtune.api.ModelFactory",
                () -> UserModels.load(FIXTURES + "NotAFactory"));
        assertMessage("has no public no-arg constructor", () -> UserModels.load(FIXTURES + "NoDefaultConstructor"));
        assertMessage("threw while building the network for {}: java.lang.IllegalArgumentException: parameter "
                + "'no_such_parameter' is not set", () -> UserModels.build(FIXTURES + "Throws", Map.of(), 4, 2, 1));
        assertMessage("its output has shape [2, 10] for 2 rows, the data has 3 classes",
                () -> UserModels.build(FIXTURES + "WrongOutputSize", Map.of(), 4, 3, 1));
        assertMessage("does not take rows of 16 features",
                () -> UserModels.build(FIXTURES + "WrongInputSize", Map.of(), 16, 3, 1));
    }

    @Test
    void aUserModelTakesOnlyBatchSizeAndScalingFromGradtunesVocabulary() {
        HyperParameters h = Networks.trainingParameters(Map.of("batch_size", 32, "filters", 8, "learning_rate", 5),
                "com.acme.Net");
        assertEquals(32, h.batchSize());
        assertEquals("none", h.lrSchedule());
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        UserModelException e = assertThrows(UserModelException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
