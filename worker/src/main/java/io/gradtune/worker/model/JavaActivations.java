package io.gradtune.worker.model;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Activation derivatives computed in a Java loop over the arrays' float buffers instead of one libnd4j custom op
 * per layer and mini-batch (the op's fixed cost, context set-up and shape buffers, dominates on the small arrays
 * of a digits network). Only where the result is bit-identical to DL4J's: leaky ReLU, whose {@code leakyrelu_bp}
 * op computes {@code x < 0 ? (float) alpha * eps : eps} element by element (a comparison and one float product,
 * which Java reproduces exactly, NaN and -0 included). {@code FastLayersTest} compares whole training runs with DL4J's
 * own layers. Used by {@link FastLayers}' dense layer unless {@code -Dgradtune.javaActivations=false}.
 */
final class JavaActivations {

    /** Mini-batches whose derivative this class computed (tests check the path is taken). */
    static final AtomicLong JAVA = new AtomicLong();

    private JavaActivations() {
    }

    /** Whether the Java derivatives are on ({@code -Dgradtune.javaActivations}, default true). */
    static boolean enabled() {
        return !"false".equals(System.getProperty("gradtune.javaActivations"));
    }

    /**
     * DL4J's {@code activation.backprop(z, epsilon).getFirst()}: the derivative applied to {@code epsilon}, written
     * into {@code z} (as DL4J's op does) and returned; DL4J's own op where this class has no bit-identical loop or
     * the arrays are not dense float arrays of the same shape and order.
     */
    static INDArray backprop(IActivation activation, INDArray z, INDArray epsilon) {
        if (enabled() && activation instanceof ActivationLReLU lrelu && leakyReluBackprop(z, epsilon, lrelu.getAlpha())) {
            JAVA.incrementAndGet();
            return z;
        }
        return activation.backprop(z, epsilon).getFirst();
    }

    private static boolean leakyReluBackprop(INDArray z, INDArray epsilon, double alpha) {
        if (z.ordering() != epsilon.ordering() || !Arrays.equals(z.shape(), epsilon.shape()) || z.length() > Integer.MAX_VALUE) {
            return false;
        }
        JavaUpdaters.Segment zs = new JavaUpdaters.Segment();
        JavaUpdaters.Segment es = new JavaUpdaters.Segment();
        if (!zs.ofDense(z) || !es.ofDense(epsilon)) {
            return false;
        }
        int n = (int) z.length();
        float[] x = new float[n];
        float[] e = new float[n];
        zs.read(x, n);
        es.read(e, n);
        float a = (float) alpha;
        for (int i = 0; i < n; i++) {
            x[i] = x[i] < 0 ? a * e[i] : e[i];
        }
        zs.write(x, n);
        return true;
    }
}
