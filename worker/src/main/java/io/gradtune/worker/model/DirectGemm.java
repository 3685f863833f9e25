package io.gradtune.worker.model;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Matrix products of float matrices by one direct call of OpenBLAS's {@code cblas_sgemm} (the library and function
 * libnd4j's {@code matmul} op calls itself, with the operand roles and layout that reproduce its result), instead of
 * ND4J's {@code Mmul} custom op: no op context, shape buffers or JNI round trips per array. Used by
 * {@link FastLayers}' dense and output layers unless {@code -Dgradtune.directGemm=false}.
 *
 * <p>Bit-identity: libnd4j computes every product column-major ('f'); a 'c'-ordered result ({@code z = x W} of the
 * forward pass) is computed into an 'f' temporary and copied. Computing the 'c' result directly as its column-major
 * transpose {@code C^T = W^T x^T} is <em>not</em> bit-identical (OpenBLAS's kernels are not symmetric in their two
 * operands: many elements differ in the last bits), so {@link #gemm} takes only 'f' results, with libnd4j's
 * operand roles, and {@link #denseForward} computes the 'f' product into a scratch buffer and transposes it into
 * the 'c' result in Java, adding the bias on the way (one IEEE float addition per element, as ND4J's broadcast
 * add). {@code DirectGemmTest} compares all three products of a dense layer bit for bit with ND4J's over the
 * digits space's shapes; {@code FastLayersTest} compares whole training runs with DL4J's own layers.
 *
 * <p>Only for 2-d float arrays whose elements are a contiguous run of their buffer in their own order ('c' or 'f',
 * default strides; views into the network's flat parameter and gradient arrays included); anything else returns
 * {@code false} and the caller takes ND4J's path.
 */
final class DirectGemm {

    private static final AtomicLong DIRECT = new AtomicLong();
    private static final int COL_MAJOR = openblas_nolapack.CblasColMajor;
    private static final int NO_TRANS = openblas_nolapack.CblasNoTrans;
    private static final int TRANS = openblas_nolapack.CblasTrans;

    private DirectGemm() {
    }

    /** Whether direct products are on ({@code -Dgradtune.directGemm}, default true). */
    static boolean enabled() {
        return !"false".equals(System.getProperty("gradtune.directGemm"));
    }

    /** Products computed here in this JVM (tests check the path is taken). */
    static long directProducts() {
        return DIRECT.get();
    }

    /**
     * {@code c = op(a) op(b)} (op: transpose if the flag is set), overwriting {@code c}; what
     * {@code Nd4j.gemm(a, b, c, transposeA, transposeB, 1.0, 0.0)} and, without transposes, {@code a.mmuli(b, c)}
     * compute. Returns false, computing nothing, where the arrays do not qualify (see the class comment).
     */
    static boolean gemm(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB) {
        if (!enabled() || !plain(a) || !plain(b) || !plain(c)) {
            return false;
        }
        // op(a) is m x k, op(b) is k x n, c is m x n.
        long m = c.size(0);
        long n = c.size(1);
        long k = transposeA ? a.size(0) : a.size(1);
        if ((transposeA ? a.size(1) : a.size(0)) != m || (transposeB ? b.size(0) : b.size(1)) != n
                || (transposeB ? b.size(1) : b.size(0)) != k || m > Integer.MAX_VALUE || n > Integer.MAX_VALUE
                || k > Integer.MAX_VALUE || c == a || c == b) {
            return false;
        }
        if (c.ordering() != 'f') {
            return false;
        }
        // In column-major terms an array stored in 'c' order is its own transpose stored in 'f' order.
        boolean aCol = (a.ordering() == 'f') != transposeA;    // op(a) as stored column-major
        boolean bCol = (b.ordering() == 'f') != transposeB;
        int lda = (int) (a.ordering() == 'f' ? a.size(0) : a.size(1));
        int ldb = (int) (b.ordering() == 'f' ? b.size(0) : b.size(1));
        openblas_nolapack.cblas_sgemm(COL_MAJOR, aCol ? NO_TRANS : TRANS, bCol ? NO_TRANS : TRANS,
                (int) m, (int) n, (int) k, 1.0f, pointer(a), Math.max(1, lda), pointer(b), Math.max(1, ldb), 0.0f,
                pointer(c), (int) Math.max(1, m));
        DIRECT.incrementAndGet();
        return true;
    }

    /**
     * DL4J's training pre-activation of a dense layer, {@code z = x W} then {@code z.addiRowVector(b)}, into the
     * 'c'-ordered {@code z}, and the same values into {@code copy} (a 'c' array of {@code z}'s shape, or null): the
     * product by {@code cblas_sgemm} into an 'f' scratch buffer exactly as libnd4j's {@code matmul} computes its 'f'
     * temporary, then one Java pass that transposes it into {@code z} adding the bias (skipped, not added as zero,
     * when {@code bias} is null: {@code -0f + 0f} is {@code +0f}). Returns false, writing nothing, where the arrays
     * do not qualify.
     */
    static boolean denseForward(INDArray x, INDArray w, INDArray bias, INDArray z, INDArray copy) {
        if (!enabled() || !plain(x) || !plain(w) || !plain(z) || z.ordering() != 'c'
                || (copy != null && (!plain(copy) || copy.ordering() != 'c' || copy.size(0) != z.size(0)
                || copy.size(1) != z.size(1)))) {
            return false;
        }
        long m = z.size(0);
        long n = z.size(1);
        long k = x.size(1);
        if (x.size(0) != m || w.size(0) != k || w.size(1) != n || m * n > Integer.MAX_VALUE / 2
                || k > Integer.MAX_VALUE || z == x || copy == x || copy == z) {
            return false;
        }
        JavaUpdaters.Segment zs = new JavaUpdaters.Segment();
        JavaUpdaters.Segment cs = copy == null ? null : new JavaUpdaters.Segment();
        JavaUpdaters.Segment bs = bias == null ? null : new JavaUpdaters.Segment();
        if (!zs.ofDense(z) || (cs != null && !cs.ofDense(copy))
                || (bs != null && (bias.length() != n || !bs.of(bias)))) {
            return false;
        }
        int mi = (int) m;
        int ni = (int) n;
        int size = mi * ni;
        Scratch scratch = SCRATCH.get();
        scratch.ensure(size, ni);
        int lda = (int) (x.ordering() == 'f' ? m : k);
        int ldb = (int) (w.ordering() == 'f' ? k : n);
        openblas_nolapack.cblas_sgemm(COL_MAJOR, x.ordering() == 'f' ? NO_TRANS : TRANS,
                w.ordering() == 'f' ? NO_TRANS : TRANS, mi, ni, (int) k, 1.0f, pointer(x), Math.max(1, lda),
                pointer(w), Math.max(1, ldb), 0.0f, scratch.pointer, mi);
        float[] t = scratch.product;
        float[] out = scratch.out;
        scratch.buffer.get(0, t, 0, size);
        if (bs != null) {
            float[] b = scratch.bias;
            bs.read(b, ni);
            for (int j = 0; j < ni; j++) {
                float bj = b[j];
                for (int i = 0, from = j * mi, to = j; i < mi; i++, to += ni) {
                    out[to] = t[from + i] + bj;
                }
            }
        } else {
            for (int j = 0; j < ni; j++) {
                for (int i = 0, from = j * mi, to = j; i < mi; i++, to += ni) {
                    out[to] = t[from + i];
                }
            }
        }
        zs.write(out, size);
        if (cs != null) {
            cs.write(out, size);
        }
        DIRECT.incrementAndGet();
        return true;
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Per-thread buffers of {@link #denseForward}, grown as needed and kept for the thread's next layers. */
    private static final class Scratch {
        FloatPointer pointer;
        java.nio.FloatBuffer buffer;
        float[] product = new float[0];
        float[] out = new float[0];
        float[] bias = new float[0];

        void ensure(int size, int columns) {
            if (product.length < size) {
                int capacity = Math.max(size, product.length * 2);
                if (pointer != null) {
                    pointer.close();
                }
                pointer = new FloatPointer(capacity);
                buffer = pointer.asBuffer();
                product = new float[capacity];
                out = new float[capacity];
            }
            if (bias.length < columns) {
                bias = new float[Math.max(columns, bias.length * 2)];
            }
        }
    }

    /** A 2-d float matrix laid out as a contiguous run of its buffer in its own order. */
    private static boolean plain(INDArray x) {
        if (x.rank() != 2 || x.dataType() != DataType.FLOAT || x.isEmpty() || x.length() <= 0) {
            return false;
        }
        // Default strides for the order, ignoring the stride of a dimension of size 1 (ND4J's views of an
        // n x 1 weight matrix carry a stride there that its own default-strides check rejects).
        long r = x.size(0);
        long c = x.size(1);
        boolean dense = x.ordering() == 'f'
                ? (r == 1 || x.stride(0) == 1) && (c == 1 || x.stride(1) == r)
                : x.ordering() == 'c' && (c == 1 || x.stride(1) == 1) && (r == 1 || x.stride(0) == c);
        return dense
                && x.data().dataType() == DataType.FLOAT && x.offset() == x.data().offset()
                && x.data().length() >= x.length();
    }

    /**
     * The address of {@code x}'s first element: its buffer's address, which for a view buffer (a parameter or
     * gradient view) already includes the view's offset, as ND4J's {@code offset()} of such an array reports.
     */
    private static FloatPointer pointer(INDArray x) {
        return new FloatPointer(x.data().addressPointer());
    }
}
