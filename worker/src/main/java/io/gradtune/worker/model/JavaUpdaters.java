package io.gradtune.worker.model;

import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.PowPairwise;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.NadamUpdater;
import org.nd4j.linalg.learning.NesterovsUpdater;
import org.nd4j.linalg.learning.RmsPropUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Adam, Nadam, RmsProp and Nesterovs updates computed by a Java loop over the network's flat native buffers
 * instead of one libnd4j custom op ({@code adam_updater} etc.) per mini-batch, with the same float arithmetic in
 * the same order, so the parameters are bit-identical (see {@code JavaUpdatersTest}).
 *
 * <p>What bit-identity rests on (nd4j-native 1.0.0-M2.1 linux-x86_64, checked against its disassembly): the
 * updater helpers run plain scalar SSE float operations (no FMA anywhere in {@code libnd4jcpu.so}, no reciprocal
 * or rsqrt approximations, no flush-to-zero), which Java float arithmetic reproduces exactly; the bias corrections
 * {@code beta^(t+1)} come from glibc's {@code powf}, which is <em>not</em> always the correctly rounded value
 * (e.g. {@code powf(0.999f, 873f)} is one ulp above {@code (float) Math.pow(0.999f, 873)}; 2075 of the first 104k
 * powers of 0.999 differ), so they are taken from libnd4j itself: ND4J's {@code PowPairwise} op calls the same
 * {@code powf}, once per 1024 iterations ({@link BetaPowers}).
 *
 * <p>Anything not laid out as contiguous float vectors falls back to DL4J's own updater op. Installed into the
 * {@link UpdaterBlock}s of a {@link DirectUpdaters} updater; {@code -Dgradtune.javaUpdater=false} turns it off.
 */
final class JavaUpdaters {

    private static final AtomicLong JAVA = new AtomicLong();

    private JavaUpdaters() {
    }


    /** Updates, in this JVM, computed by the Java loops (for tests and diagnostics). */
    static long javaUpdates() {
        return JAVA.get();
    }

    private static final AtomicLong DIVISIONS = new AtomicLong();
    private static final ThreadLocal<float[][]> DIVISION_SCRATCH = ThreadLocal.withInitial(() -> new float[1][0]);

    /** Minibatch divisions, in this JVM, computed by {@link #divideByMinibatch} (tests check the path is taken). */
    static long javaDivisions() {
        return DIVISIONS.get();
    }

    /**
     * DL4J's {@code gradient.divi(batchSize)} of {@code BaseMultiLayerUpdater.divideByMinibatch} (libnd4j's
     * scalar {@code Divide}: {@code x / (float) batchSize} per element, one IEEE division, no reciprocal) in a Java
     * loop over the float buffer; false, nothing done, where {@code gradient} is not a contiguous float vector.
     */
    static boolean divideByMinibatch(INDArray gradient, int batchSize) {
        Segment seg = new Segment();
        if (gradient.length() > Integer.MAX_VALUE || !seg.of(gradient)) {
            return false;
        }
        int n = (int) gradient.length();
        float[][] holder = DIVISION_SCRATCH.get();
        if (holder[0].length < n) {
            holder[0] = new float[n];
        }
        float[] v = holder[0];
        seg.read(v, n);
        float d = batchSize;
        for (int i = 0; i < n; i++) {
            v[i] = v[i] / d;
        }
        seg.write(v, n);
        DIVISIONS.incrementAndGet();
        return true;
    }

    /** Replaces the gradient updater of every block with its Java counterpart, where there is one. */
    static void install(List<UpdaterBlock> blocks) {
        for (UpdaterBlock block : blocks) {
            if (block.getGradientUpdater() == null) {
                block.init();
            }
            GradientUpdater<?> u = block.getGradientUpdater();
            GradientUpdater<?> java = wrap(u);
            if (java != u) {
                block.setGradientUpdater(java);
            }
        }
    }

    /** The Java counterpart of {@code u}, or {@code u} itself. */
    static GradientUpdater<?> wrap(GradientUpdater<?> u) {
        if (u instanceof AdamUpdater a) {
            return new JavaAdam(a);
        }
        if (u instanceof NadamUpdater n) {
            return new JavaNadam(n);
        }
        if (u instanceof RmsPropUpdater r) {
            return new JavaRmsProp(r);
        }
        if (u instanceof NesterovsUpdater n) {
            return new JavaNesterovs(n);
        }
        return u;
    }

    /** Delegates everything but the arithmetic (state layout, configuration) to DL4J's updater. */
    abstract static class Base<T extends IUpdater, U extends GradientUpdater<T>> implements GradientUpdater<T> {
        final U delegate;
        private final Segment[] segments;
        float[] g = new float[0];
        float[] s1 = new float[0];
        float[] s2 = new float[0];

        Base(U delegate, int states) {
            this.delegate = delegate;
            this.segments = new Segment[1 + states];
            for (int i = 0; i < segments.length; i++) {
                segments[i] = new Segment();
            }
        }

        @Override
        public T getConfig() {
            return delegate.getConfig();
        }

        @Override
        public void setState(Map<String, INDArray> stateMap, boolean initialize) {
            delegate.setState(stateMap, initialize);
        }

        @Override
        public Map<String, INDArray> getState() {
            return delegate.getState();
        }

        @Override
        public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
            delegate.setStateViewArray(viewArray, gradientShape, gradientOrder, initialize);
        }

        /** The state arrays of the delegate, in the order the subclass loop expects them. */
        abstract INDArray[] states();

        /** The loop over {@code n} entries of {@link #g} and the state copies; writes the update into {@link #g}. */
        abstract void compute(int n, int iteration, int epoch);

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            INDArray[] st = states();
            int n = resolve(gradient, st);
            if (n < 0) {
                delegate.applyUpdater(gradient, iteration, epoch);
                return;
            }
            if (g.length < n) {
                g = new float[n];
                s1 = new float[st.length > 0 ? n : 0];
                s2 = new float[st.length > 1 ? n : 0];
            }
            segments[0].read(g, n);
            if (st.length > 0) {
                segments[1].read(s1, n);
            }
            if (st.length > 1) {
                segments[2].read(s2, n);
            }
            compute(n, iteration, epoch);
            segments[0].write(g, n);
            if (st.length > 0) {
                segments[1].write(s1, n);
            }
            if (st.length > 1) {
                segments[2].write(s2, n);
            }
            JAVA.incrementAndGet();
        }

        /** Points the segments at the arrays; their common length, or -1 if any is not a contiguous float vector. */
        private int resolve(INDArray gradient, INDArray[] st) {
            long n = gradient.length();
            if (n > Integer.MAX_VALUE || !segments[0].of(gradient)) {
                return -1;
            }
            for (int i = 0; i < st.length; i++) {
                if (st[i] == null || st[i].length() != n || !segments[i + 1].of(st[i])) {
                    return -1;
                }
            }
            return (int) n;
        }
    }

    /** A contiguous run of a float buffer, read and written in bulk. */
    static final class Segment {
        private DataBuffer root;
        private FloatBuffer buffer;
        private int offset;

        boolean of(INDArray a) {
            if (a.dataType() != DataType.FLOAT || !a.isVectorOrScalar() || a.elementWiseStride() != 1) {
                return false;
            }
            return ofBuffer(a);
        }

        /**
         * Like {@link #of} for an array of any rank whose elements are its buffer's run in its own order (default
         * strides for its shape and ordering); element {@code i} of the run is element {@code i} in that order.
         */
        boolean ofDense(INDArray a) {
            if (a.dataType() != DataType.FLOAT || a.offset() != 0 || a.data().offset() != 0
                    || !org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(a)) {
                return false;
            }
            return ofBuffer(a);
        }

        private boolean ofBuffer(INDArray a) {
            DataBuffer d = a.data();
            DataBuffer r = d;
            while (r.originalDataBuffer() != null && r.originalDataBuffer() != r) {
                r = r.originalDataBuffer();
            }
            if (r.dataType() != DataType.FLOAT || r.offset() != 0 || r.length() > Integer.MAX_VALUE
                    || d.length() != a.length() || d.offset() < 0 || d.offset() + a.length() > r.length()) {
                return false;
            }
            if (r != root) {
                FloatBuffer b = r.asNioFloat();
                if (b.capacity() < r.length()) {
                    return false;
                }
                root = r;
                buffer = b;
            }
            offset = (int) d.offset();
            return true;
        }

        void read(float[] into, int n) {
            buffer.get(offset, into, 0, n);
        }

        void write(float[] from, int n) {
            buffer.put(offset, from, 0, n);
        }
    }

    /**
     * {@code powf(base, (float) t + 1)} for iteration {@code t}, as libnd4j's updater ops compute it: from glibc's
     * {@code powf} via ND4J's {@code PowPairwise} op, 1024 iterations at a time.
     */
    static final class BetaPowers {
        static final int CHUNK = 1024;
        private final float base;
        private long start = -1;
        private final float[] values = new float[CHUNK];

        BetaPowers(float base) {
            this.base = base;
        }

        float at(int iteration) {
            if (start < 0 || iteration < start || iteration >= start + CHUNK) {
                fill(iteration - Math.floorMod(iteration, CHUNK));
            }
            return values[(int) (iteration - start)];
        }

        private void fill(int from) {
            float[] exponents = new float[CHUNK];
            for (int k = 0; k < CHUNK; k++) {
                exponents[k] = (float) (from + k) + 1f;
            }
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                INDArray x = Nd4j.valueArrayOf(new long[]{CHUNK}, base, DataType.FLOAT);
                INDArray y = Nd4j.create(exponents, new long[]{CHUNK}, DataType.FLOAT);
                INDArray z = Nd4j.createUninitialized(DataType.FLOAT, CHUNK);
                Nd4j.exec(new PowPairwise(x, y, z));
                float[] r = z.data().asFloat();
                System.arraycopy(r, 0, values, 0, CHUNK);
            }
            start = from;
        }
    }

    /** libnd4j's {@code adamUpdater_<float>}: state 1 is v (stateU), state 2 is m. */
    static final class JavaAdam extends Base<Adam, AdamUpdater> {
        private BetaPowers beta1T;
        private BetaPowers beta2T;

        JavaAdam(AdamUpdater delegate) {
            super(delegate, 2);
        }

        @Override
        INDArray[] states() {
            return new INDArray[]{delegate.getV(), delegate.getM()};
        }

        @Override
        void compute(int n, int iteration, int epoch) {
            Adam c = delegate.getConfig();
            float lr = (float) c.getLearningRate(iteration, epoch);
            float beta1 = (float) c.getBeta1();
            float beta2 = (float) c.getBeta2();
            float epsilon = (float) c.getEpsilon();
            beta1T = powers(beta1T, beta1);
            beta2T = powers(beta2T, beta2);
            float b1T = beta1T.at(iteration);
            float b2T = beta2T.at(iteration);
            // lr * sqrt(1 - b2T) in float, divided in double by (1 - b1T), rounded to float (as the C++ mixes them)
            float epsilonT = (float) ((double) (lr * (float) Math.sqrt(1f - b2T)) / (1.0 - (double) b1T));
            if (Float.isNaN(epsilonT) || epsilonT == 0 || Float.isInfinite(epsilonT)) {
                epsilonT = epsilon;
            }
            float oneMinusBeta1 = 1f - beta1;
            float oneMinusBeta2 = 1f - beta2;
            float[] grad = g;
            float[] u = s1;
            float[] m = s2;
            for (int i = 0; i < n; i++) {
                float gi = grad[i];
                float mi = beta1 * m[i] + gi * oneMinusBeta1;
                float ui = beta2 * u[i] + gi * gi * oneMinusBeta2;
                m[i] = mi;
                u[i] = ui;
                grad[i] = (mi * epsilonT) / ((float) Math.sqrt(ui) + epsilon);
            }
        }
    }

    /** libnd4j's {@code nadamUpdater_<float>}: state 1 is v, state 2 is m. */
    static final class JavaNadam extends Base<Nadam, NadamUpdater> {
        private BetaPowers beta1T;

        JavaNadam(NadamUpdater delegate) {
            super(delegate, 2);
        }

        @Override
        INDArray[] states() {
            return new INDArray[]{delegate.getV(), delegate.getM()};
        }

        @Override
        void compute(int n, int iteration, int epoch) {
            Nadam c = delegate.getConfig();
            float lr = (float) c.getLearningRate(iteration, epoch);
            float beta1 = (float) c.getBeta1();
            float beta2 = (float) c.getBeta2();
            float epsilon = (float) c.getEpsilon();
            beta1T = powers(beta1T, beta1);
            float mbeta1T = (float) (1.0 - (double) beta1T.at(iteration));
            float mbeta1 = 1f - beta1;
            float mbeta2 = 1f - beta2;
            float[] grad = g;
            float[] v = s1;
            float[] m = s2;
            for (int i = 0; i < n; i++) {
                float gi = grad[i];
                float oneMinusBeta1Grad = gi * mbeta1;
                float mi = beta1 * m[i] + oneMinusBeta1Grad;
                float vi = beta2 * v[i] + gi * gi * mbeta2;
                m[i] = mi;
                v[i] = vi;
                grad[i] = (lr * ((mi * beta1 + oneMinusBeta1Grad) / mbeta1T)) / ((float) Math.sqrt(vi) + epsilon);
            }
        }
    }

    /** libnd4j's {@code rmsPropUpdater_<float>}: state 1 is the running mean of squared gradients. */
    static final class JavaRmsProp extends Base<RmsProp, RmsPropUpdater> {
        JavaRmsProp(RmsPropUpdater delegate) {
            super(delegate, 1);
        }

        @Override
        INDArray[] states() {
            return new INDArray[]{delegate.getLastGradient()};
        }

        @Override
        void compute(int n, int iteration, int epoch) {
            RmsProp c = delegate.getConfig();
            float lr = (float) c.getLearningRate(iteration, epoch);
            float decay = (float) c.getRmsDecay();
            float epsilon = (float) c.getEpsilon();
            float oneMinusDecay = 1f - decay;
            float[] grad = g;
            float[] st = s1;
            for (int i = 0; i < n; i++) {
                float gi = grad[i];
                float si = st[i] * decay + gi * gi * oneMinusDecay;
                st[i] = si;
                grad[i] = (lr * gi) / ((float) Math.sqrt(si) + epsilon);
            }
        }
    }

    /** libnd4j's {@code nesterovsUpdater_<float>}: state 1 is the velocity. */
    static final class JavaNesterovs extends Base<Nesterovs, NesterovsUpdater> {
        JavaNesterovs(NesterovsUpdater delegate) {
            super(delegate, 1);
        }

        @Override
        INDArray[] states() {
            return new INDArray[]{delegate.getV()};
        }

        @Override
        void compute(int n, int iteration, int epoch) {
            Nesterovs c = delegate.getConfig();
            float momentum = (float) c.currentMomentum(iteration, epoch);
            float lr = (float) c.getLearningRate(iteration, epoch);
            float momentumT = -momentum - 1f;
            float[] grad = g;
            float[] v = s1;
            for (int i = 0; i < n; i++) {
                float prev = momentum * v[i];
                float vi = prev - lr * grad[i];
                v[i] = vi;
                grad[i] = prev + momentumT * vi;
            }
        }
    }

    private static BetaPowers powers(BetaPowers current, float base) {
        return current != null && Float.floatToRawIntBits(current.base) == Float.floatToRawIntBits(base)
                ? current : new BetaPowers(base);
    }
}
