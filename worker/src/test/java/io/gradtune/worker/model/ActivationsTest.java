package io.gradtune.worker.model;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActivationsTest {

    private static final float[] WIDE = {-200f, -60f, -10f, -1f, 0f, 1f, 10f, 45f, 60f, 200f};

    @Test
    void everyHiddenActivationHasAFiniteDerivativeOverAWideRange() {
        for (String name : HyperParameters.ACTIVATIONS) {
            IActivation act = NetworkBuilder.activation(name);
            INDArray grad = act.backprop(Nd4j.createFromArray(WIDE), Nd4j.ones(WIDE.length)).getFirst();
            for (int i = 0; i < WIDE.length; i++) {
                assertTrue(Float.isFinite(grad.getFloat(i)), name + "'(" + WIDE[i] + ") = " + grad.getFloat(i));
            }
        }
    }

    @Test
    void geluMatchesItsDefinitionAndSlope() {
        IActivation gelu = NetworkBuilder.activation("gelu");
        INDArray out = gelu.getActivation(Nd4j.createFromArray(WIDE), false);
        INDArray slope = gelu.backprop(Nd4j.createFromArray(WIDE), Nd4j.ones(WIDE.length)).getFirst();
        assertEquals(0.8413, out.getFloat(5), 0.02);     // gelu(1) = Phi(1); DL4J approximates it
        assertEquals(-0.1587, out.getFloat(3), 0.02);    // gelu(-1)
        assertEquals(60f, out.getFloat(8), 1e-4);
        assertEquals(1f, slope.getFloat(8), 1e-4);       // DL4J's default GELU gives NaN here
        assertEquals(0f, slope.getFloat(1), 1e-4);
        assertEquals(0.5f, slope.getFloat(4), 1e-4);
    }
}
