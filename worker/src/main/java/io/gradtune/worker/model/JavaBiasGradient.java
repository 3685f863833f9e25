package io.gradtune.worker.model;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A dense layer's bias gradient, DL4J's {@code delta.sum(biasGradView, 0)}, as a Java loop over the float buffers
 * instead of one libnd4j reduction op (op set-up, TAD shape buffers) per layer and mini-batch. libnd4j sums each
 * column of the 'c'-ordered {@code delta} from {@code 0f}, adding the rows in order, one float addition at a time
 * (its {@code Sum} reduction along a dimension on one thread; a single row is copied instead, so its {@code -0f}
 * stays {@code -0f}), which the loop reproduces exactly;
 * {@code JavaBiasGradientTest} compares it bit for bit with ND4J's op over the digits space's shapes, and
 * {@code FastLayersTest} whole training runs with DL4J's own layers. Used by {@link FastLayers}' dense and output
 * layers unless {@code -Dgradtune.javaBiasGradient=false}.
 */
final class JavaBiasGradient {

    private static final AtomicLong JAVA = new AtomicLong();
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

    private JavaBiasGradient() {
    }

    /** Whether the Java bias gradient is on ({@code -Dgradtune.javaBiasGradient}, default true). */
    static boolean enabled() {
        return !"false".equals(System.getProperty("gradtune.javaBiasGradient"));
    }

    /** Bias gradients computed here in this JVM (tests check the path is taken). */
    static long javaSums() {
        return JAVA.get();
    }

    /**
     * The column sums of {@code delta} (rows x columns, 'c' order, dense float) into {@code into} (a contiguous
     * float vector of {@code columns} elements, e.g. the bias gradient view); false, nothing written, where the
     * arrays do not qualify and ND4J's op must run.
     */
    static boolean sumRows(INDArray delta, INDArray into) {
        if (!enabled() || delta.rank() != 2 || delta.ordering() != 'c' || delta.length() > Integer.MAX_VALUE / 2) {
            return false;
        }
        int m = (int) delta.size(0);
        int n = (int) delta.size(1);
        JavaUpdaters.Segment ds = new JavaUpdaters.Segment();
        JavaUpdaters.Segment bs = new JavaUpdaters.Segment();
        if (into.length() != n || !ds.ofDense(delta) || !bs.of(into)) {
            return false;
        }
        float[][] scratch = SCRATCH.get();
        if (scratch[0].length < m * n) {
            scratch[0] = new float[m * n];
        }
        if (scratch[1].length < n) {
            scratch[1] = new float[n];
        }
        float[] v = scratch[0];
        float[] acc = scratch[1];
        ds.read(v, m * n);
        if (m == 1) {
            System.arraycopy(v, 0, acc, 0, n);     // libnd4j copies a single row (a -0f stays -0f)
        } else {
            java.util.Arrays.fill(acc, 0, n, 0f);
        }
        for (int i = m == 1 ? 1 : 0, row = i * n; i < m; i++, row += n) {
            for (int j = 0; j < n; j++) {
                acc[j] += v[row + j];
            }
        }
        bs.write(acc, n);
        JAVA.incrementAndGet();
        return true;
    }
}
