package io.gradtune.worker.model;

import io.gradtune.worker.train.WorkerRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TrainableNetwork#close()} frees the flat parameters, gradients and updater state, and closing an
 * {@link TrainableNetwork.Activations} frees the arrays of that inference pass but never the features it was given,
 * for plain and residual networks with every option that adds arrays to a pass (batch norm, dropout, skips).
 */
class NativeReleaseTest {

    @BeforeAll
    static void nd4j() {
        WorkerRuntime.ensureInitialized();
    }

    static List<Map<String, Object>> options() {
        return List.of(Map.of(), Map.of("batch_norm", true, "dropout", 0.2), Map.of("optimizer", "nesterov"),
                Map.of("residual", true, "layers", 3), Map.of("residual", true, "layers", 3, "batch_norm", true));
    }

    @ParameterizedTest
    @MethodSource("options")
    void closingFreesTheNetworksArraysAndAPassFreesItsOwn(Map<String, Object> option) {
        Map<String, Object> p = new HashMap<>(Map.of("layers", 2, "units", 16));
        p.putAll(option);
        TrainableNetwork net = NetworkBuilder.build(HyperParameters.from(p), 6, 3, 1L);
        INDArray x = Nd4j.rand(8, 6);
        INDArray y = Nd4j.zeros(8, 3);
        for (int i = 0; i < 8; i++) {
            y.putScalar(i, i % 3, 1f);
        }
        net.fit(x, y);

        TrainableNetwork.Activations pass = net.inferencePass(x);
        assertEquals(net.layers().size(), pass.byKey().size());
        assertFalse(pass.created().isEmpty());
        pass.close();
        for (INDArray a : pass.byKey().values()) {
            assertTrue(freed(a), "layer output freed");
        }
        assertFalse(x.wasClosed(), "the features stay");
        assertEquals(x.sumNumber().doubleValue(), x.dup().sumNumber().doubleValue());

        INDArray params = net.flatParams();
        INDArray gradients = net.flatGradients();
        net.close();
        assertTrue(freed(params), "parameters freed");
        assertTrue(freed(gradients), "gradients freed");
        assertFalse(x.wasClosed());
        assertFalse(y.wasClosed());
    }

    /** Whether the memory of {@code a} (its own buffer, or the buffer it is a view of) was freed. */
    private static boolean freed(INDArray a) {
        return a.wasClosed() || TrainableNetwork.Activations.root(a).wasClosed();
    }
}
