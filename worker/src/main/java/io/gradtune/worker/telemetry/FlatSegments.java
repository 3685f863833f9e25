package io.gradtune.worker.telemetry;

import io.gradtune.worker.model.TrainableNetwork;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;

/**
 * Where each layer's weight matrix lies inside the network's flat parameter and gradient arrays, so gradient
 * statistics can be read straight from native memory in one Java pass per layer instead of several ND4J
 * reductions (each a JNI call that allocates shape buffers and a result array, tens of microseconds even for
 * a few thousand entries).
 *
 * <p>DL4J keeps all parameters in one flat float array and all gradients in another with the same layout; each
 * layer's weight matrix is a contiguous segment of both (column-major, which does not matter for norms, sums and
 * counts). {@link #resolve} checks that this holds for every layer and returns null otherwise, so callers fall
 * back to ND4J reductions rather than read the wrong memory.
 */
final class FlatSegments {

    private final DataBuffer paramRoot;
    private final DataBuffer gradientRoot;
    private final FloatBuffer params;
    private final FloatBuffer gradients;
    private final int[] paramOffset;
    private final int[] gradientOffset;
    private final int[] length;

    private FlatSegments(DataBuffer paramRoot, DataBuffer gradientRoot, int[] paramOffset, int[] gradientOffset,
                         int[] length) {
        this.paramRoot = paramRoot;
        this.gradientRoot = gradientRoot;
        this.params = paramRoot.asNioFloat();
        this.gradients = gradientRoot.asNioFloat();
        this.paramOffset = paramOffset;
        this.gradientOffset = gradientOffset;
        this.length = length;
    }

    /**
     * The layout of {@code layers}' weight matrices in the network's flat arrays, or null when any of them is not
     * a contiguous float segment of the buffer behind them (the caller then uses ND4J reductions).
     */
    static FlatSegments resolve(TrainableNetwork network, List<TrainableNetwork.LayerInfo> layers,
                                Map<String, INDArray> gradientViews) {
        DataBuffer pRoot = root(network.flatParams());
        DataBuffer gRoot = root(network.flatGradients());
        if (pRoot == null || gRoot == null) {
            return null;
        }
        int n = layers.size();
        int[] pOffset = new int[n];
        int[] gOffset = new int[n];
        int[] length = new int[n];
        for (int i = 0; i < n; i++) {
            TrainableNetwork.LayerInfo layer = layers.get(i);
            INDArray w = network.weights(layer);
            INDArray g = gradientViews.get(layer.weightKey());
            if (w == null || g == null || w.length() != g.length() || !isSegmentOf(w, pRoot) || !isSegmentOf(g, gRoot)) {
                return null;
            }
            pOffset[i] = (int) w.data().offset();
            gOffset[i] = (int) g.data().offset();
            length[i] = (int) w.length();
        }
        FlatSegments s = new FlatSegments(pRoot, gRoot, pOffset, gOffset, length);
        return s.params.capacity() >= pRoot.length() && s.gradients.capacity() >= gRoot.length() ? s : null;
    }

    /** Whether this layout still describes the buffers behind the network's flat arrays. */
    boolean isCurrent(TrainableNetwork network) {
        return root(network.flatParams()) == paramRoot && root(network.flatGradients()) == gradientRoot;
    }

    /** Writes sum of squares, sum of absolute values and largest absolute value of layer {@code i}'s gradient. */
    void gradientSums(int i, double[] out) {
        sums(gradients, gradientOffset[i], length[i], out);
    }

    /**
     * Sums of squares of layer {@code i}'s segment of the gradient array (the update, after the updater ran) and
     * of its weights, in one pass: {@code out[0]} update, {@code out[1]} weights.
     */
    void updateAndWeightSumsOfSquares(int i, double[] out) {
        FloatBuffer u = gradients;
        FloatBuffer w = params;
        int gu = gradientOffset[i];
        int pw = paramOffset[i];
        int n = length[i];
        double u0 = 0;
        double u1 = 0;
        double w0 = 0;
        double w1 = 0;
        int k = 0;
        for (; k + 1 < n; k += 2) {
            float a0 = u.get(gu + k);
            float a1 = u.get(gu + k + 1);
            float b0 = w.get(pw + k);
            float b1 = w.get(pw + k + 1);
            u0 += (double) a0 * a0;
            u1 += (double) a1 * a1;
            w0 += (double) b0 * b0;
            w1 += (double) b1 * b1;
        }
        for (; k < n; k++) {
            float a = u.get(gu + k);
            float b = w.get(pw + k);
            u0 += (double) a * a;
            w0 += (double) b * b;
        }
        out[0] = u0 + u1;
        out[1] = w0 + w1;
    }

    /** Sum of squares of layer {@code i}'s weights. */
    double weightSumOfSquares(int i) {
        return sumOfSquares(params, paramOffset[i], length[i]);
    }

    /** Adds the NaN and infinite entries of layer {@code i}'s gradient to {@code counts[0]} and {@code counts[1]}. */
    void countNonFinite(int i, long[] counts) {
        for (int k = gradientOffset[i], end = gradientOffset[i] + length[i]; k < end; k++) {
            float v = gradients.get(k);
            if (Float.isNaN(v)) {
                counts[0]++;
            } else if (Float.isInfinite(v)) {
                counts[1]++;
            }
        }
    }

    int length(int i) {
        return length[i];
    }

    /**
     * Sum of squares, sum of absolute values and maximum absolute value of {@code b[from, from + n)}, accumulated
     * in double (finite floats cannot overflow them, so a non-finite sum means a NaN or infinite entry). The
     * maximum is NaN if any entry is NaN.
     */
    static void sums(FloatBuffer b, int from, int n, double[] out) {
        double sq0 = 0;
        double sq1 = 0;
        double sq2 = 0;
        double sq3 = 0;
        double abs0 = 0;
        double abs1 = 0;
        double abs2 = 0;
        double abs3 = 0;
        float max0 = 0;
        float max1 = 0;
        int end = from + n;
        int k = from;
        for (; k + 3 < end; k += 4) {
            float v0 = b.get(k);
            float v1 = b.get(k + 1);
            float v2 = b.get(k + 2);
            float v3 = b.get(k + 3);
            sq0 += (double) v0 * v0;
            sq1 += (double) v1 * v1;
            sq2 += (double) v2 * v2;
            sq3 += (double) v3 * v3;
            float a0 = Math.abs(v0);
            float a1 = Math.abs(v1);
            float a2 = Math.abs(v2);
            float a3 = Math.abs(v3);
            abs0 += a0;
            abs1 += a1;
            abs2 += a2;
            abs3 += a3;
            // Comparisons skip NaN (restored below) and are cheaper than Math.max's NaN/-0 handling.
            if (a0 > max0) {
                max0 = a0;
            }
            if (a1 > max1) {
                max1 = a1;
            }
            if (a2 > max0) {
                max0 = a2;
            }
            if (a3 > max1) {
                max1 = a3;
            }
        }
        for (; k < end; k++) {
            float v = b.get(k);
            sq0 += (double) v * v;
            float a = Math.abs(v);
            abs0 += a;
            if (a > max0) {
                max0 = a;
            }
        }
        out[0] = (sq0 + sq1) + (sq2 + sq3);
        out[1] = (abs0 + abs1) + (abs2 + abs3);
        out[2] = Double.isNaN(out[1]) ? Double.NaN : Math.max(max0, max1);
    }

    static double sumOfSquares(FloatBuffer b, int from, int n) {
        double s0 = 0;
        double s1 = 0;
        int end = from + n;
        int k = from;
        for (; k + 1 < end; k += 2) {
            float v0 = b.get(k);
            float v1 = b.get(k + 1);
            s0 += (double) v0 * v0;
            s1 += (double) v1 * v1;
        }
        for (; k < end; k++) {
            float v = b.get(k);
            s0 += (double) v * v;
        }
        return s0 + s1;
    }

    /** The float buffer that owns {@code a}'s memory (a view's original buffer), or null. */
    private static DataBuffer root(INDArray a) {
        if (a == null || a.dataType() != DataType.FLOAT) {
            return null;
        }
        DataBuffer d = a.data();
        while (d.originalDataBuffer() != null && d.originalDataBuffer() != d) {
            d = d.originalDataBuffer();
        }
        return d.dataType() == DataType.FLOAT && d.offset() == 0 && d.length() <= Integer.MAX_VALUE ? d : null;
    }

    /** A view covering one contiguous run of {@code root}'s memory. */
    private static boolean isSegmentOf(INDArray view, DataBuffer root) {
        DataBuffer d = view.data();
        return view.dataType() == DataType.FLOAT && root(view) == root && view.elementWiseStride() == 1
                && d.length() == view.length() && d.offset() >= 0 && d.offset() + view.length() <= root.length();
    }
}
