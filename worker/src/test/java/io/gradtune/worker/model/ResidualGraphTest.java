package io.gradtune.worker.model;

import io.gradtune.worker.train.WorkerRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResidualGraphTest {

    @BeforeAll
    static void nd4j() {
        WorkerRuntime.ensureInitialized();
    }

    private static TrainableNetwork build(Map<String, Object> params) {
        Map<String, Object> p = new HashMap<>(Map.of("layers", 3, "units", 8, "activation", "relu"));
        p.putAll(params);
        return NetworkBuilder.build(HyperParameters.from(p), 4, 3, 1L);
    }

    /**
     * With the second hidden layer's weights zeroed (biases start at zero), its output is all zeros: the third
     * layer then sees a non-zero input only through a skip around the second.
     */
    private static double thirdLayerOutputWithSecondSilenced(TrainableNetwork net) {
        net.weights(net.layers().get(1)).assign(0);
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 16, 4).subi(0.5);
        Map<String, INDArray> acts = net.activations(x);
        assertEquals(0.0, acts.get(net.layers().get(1).key()).sumNumber().doubleValue());
        return acts.get(net.layers().get(2).key()).norm2Number().doubleValue();
    }

    @Test
    void equalWidthsGetAnIdentitySkip() {
        TrainableNetwork net = build(Map.of("residual", true));
        assertInstanceOf(GraphTrainableNetwork.class, net);
        assertTrue(thirdLayerOutputWithSecondSilenced(net) > 0);
    }

    @Test
    void plainNetworkHasNoSkip() {
        TrainableNetwork net = build(Map.of());
        assertInstanceOf(MultiLayerTrainableNetwork.class, net);
        assertEquals(0.0, thirdLayerOutputWithSecondSilenced(net));
    }

    @Test
    void unequalWidthsGetNoSkip() {
        TrainableNetwork net = build(Map.of("residual", true, "units_1", 16));
        assertEquals(0.0, thirdLayerOutputWithSecondSilenced(net));
    }

    @Test
    void residualAddsNoParameters() {
        Map<String, Object> widths = Map.of("units_1", 16, "units_2", 16, "units_3", 8, "batch_norm", true);
        Map<String, Object> residual = new HashMap<>(widths);
        residual.put("residual", true);
        assertEquals(build(widths).numParams(), build(residual).numParams());
        assertEquals(build(widths).layers().size(), build(residual).layers().size());
    }
}
