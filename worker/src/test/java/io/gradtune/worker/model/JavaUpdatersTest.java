package io.gradtune.worker.model;

import io.gradtune.worker.train.WorkerRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java updaters compute exactly (bit for bit) what libnd4j's updater ops compute: on awkward single updates
 * (zeros, subnormals, huge and tiny values, both signs) at iterations where {@code Math.pow} and glibc's
 * {@code powf} disagree, and over whole training runs for every option of {@link TrainingEquivalence}.
 */
class JavaUpdatersTest {

    private static final int[] ITERATIONS = {0, 1, 2, 56, 57, 683, 684, 871, 872, 1023, 1024, 2357, 2956, 5000,
            65_000, 104_000, 250_000, 16_777_216, 30_000_000};

    @BeforeAll
    static void nd4j() {
        WorkerRuntime.ensureInitialized();
    }

    static List<IUpdater> configs() {
        return List.of(new Adam(1e-3), new Adam(0.05), new Adam(new StepSchedule(ScheduleType.ITERATION, 0.01, 0.5, 3)),
                new Nadam(1e-3), new Nadam(0.02), new RmsProp(1e-3), new RmsProp(0.1, 0.9, 1e-6),
                new Nesterovs(0.01, 0.9), new Nesterovs(0.1, 0.5));
    }

    @ParameterizedTest
    @MethodSource("configs")
    void singleUpdatesAreBitIdenticalToLibnd4j(IUpdater config) {
        Random r = new Random(7);
        int n = 4099;
        int states = (int) config.stateSize(n) / n;
        for (int iteration : ITERATIONS) {
            float[] g = values(r, n);
            float[] state = new float[states * n];
            for (int i = 0; i < state.length; i++) {
                float x = values(r, 1)[0];
                state[i] = i >= n && states == 2 ? Math.abs(x) : x; // v (second half for Adam/Nadam) is non-negative
            }
            if (config instanceof RmsProp) {
                for (int i = 0; i < n; i++) {
                    state[i] = Math.abs(state[i]);
                }
            }
            float[][] own = apply(config, false, g, state, iteration);
            float[][] java = apply(config, true, g, state, iteration);
            assertArrayEquals(own[0], java[0], "update of " + config + " at iteration " + iteration);
            assertArrayEquals(own[1], java[1], "state of " + config + " at iteration " + iteration);
        }
    }

    /**
     * The bias correction: with gradient, m and v all 1 (so m and v stay exactly 1 and sqrt(v) + 1e-8 rounds to 1),
     * libnd4j's Adam update is its {@code epsilonT = lr * sqrt(1 - beta2^t) / (1 - beta1^t)} itself; the Java
     * updater reproduces it at every iteration below 4000 and every 7th up to 110k (0.999^t underflows near 104k);
     * {@code (float) Math.pow} would not (it differs from glibc's powf by one ulp for 2075 of the non-zero powers of
     * 0.999f, e.g. the 873rd, and the step size then differs at iteration 3605).
     */
    @Test
    void adamBiasCorrectionMatchesLibnd4jAtEveryIteration() {
        Adam config = new Adam(1e-3);
        int mismatches = 0;
        int first = -1;
        for (int iteration = 0; iteration < 110_000; iteration += iteration < 4000 ? 1 : 7) {
            float[] one = {1f};
            float own = apply(config, false, one, new float[]{1f, 1f}, iteration)[0][0];
            float java = apply(config, true, one, new float[]{1f, 1f}, iteration)[0][0];
            if (Float.floatToRawIntBits(own) != Float.floatToRawIntBits(java)) {
                mismatches++;
                first = first < 0 ? iteration : first;
            }
        }
        assertEquals(0, mismatches, "first mismatch at iteration " + first);
    }

    @ParameterizedTest
    @MethodSource("io.gradtune.worker.model.TrainingEquivalence#options")
    void trainsBitIdenticallyToLibnd4jsUpdaterOps(Map<String, Object> option) {
        Map<String, Object> p = new HashMap<>(Map.of("layers", 2, "units", 16, "learning_rate", 0.01));
        p.putAll(option);
        HyperParameters h = HyperParameters.from(p);

        TrainingEquivalence.Run own = TrainingEquivalence.train(NetworkBuilder.build(h, TrainingEquivalence.FEATURES,
                TrainingEquivalence.CLASSES, 11L, new TrainingStep(true, true, false)));
        long before = JavaUpdaters.javaUpdates();
        TrainingEquivalence.Run java = TrainingEquivalence.train(NetworkBuilder.build(h, TrainingEquivalence.FEATURES,
                TrainingEquivalence.CLASSES, 11L, TrainingStep.GRADTUNE));
        long taken = JavaUpdaters.javaUpdates() - before;

        if (!"sgd".equals(h.optimizer())) {
            assertTrue(taken >= TrainingEquivalence.BATCHES, "the Java updater ran on every mini-batch: " + taken);
        }
        assertArrayEquals(own.params(), java.params(), "parameters after the mini-batches of " + option);
        assertArrayEquals(own.scores(), java.scores(), "training score of every mini-batch of " + option);
        assertArrayEquals(own.activations(), java.activations(), "inference activations of " + option);
        assertTrue(Math.abs(own.params()[0]) > 0, "trained something");
    }

    /** Applies {@code config}'s updater (DL4J's, or its Java counterpart) to copies; returns update and state. */
    /**
     * The minibatch division (DL4J's {@code divi(batchSize)}) in Java against ND4J's scalar op, bit for bit, on a view
     * into a flat gradient (as the updater's division subsets are), for every batch size the digits space can hand
     * it (full and partial last mini-batches: powers of two and not), special values included.
     */
    @Test
    void minibatchDivisionIsBitIdenticalToNd4jsScalarOp() {
        Random r = new Random(5);
        float[] special = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
                -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 1e-38f, 3f, 1f / 3};
        for (int batchSize : new int[]{1, 3, 5, 7, 17, 21, 32, 45, 64, 100, 128, 229, 256, 1077}) {
            float[] g = values(r, 3000);
            System.arraycopy(special, 0, g, 10, special.length);
            INDArray flat = Nd4j.create(g, new long[]{1, g.length}, 'c').castTo(DataType.FLOAT);
            INDArray nd4j = flat.dup();
            INDArray viewJava = flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 0, true),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(7, 2990));
            INDArray viewNd4j = nd4j.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 0, true),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(7, 2990));
            long before = JavaUpdaters.javaDivisions();
            assertTrue(JavaUpdaters.divideByMinibatch(viewJava, batchSize));
            viewNd4j.divi(batchSize);
            assertEquals(before + 1, JavaUpdaters.javaDivisions());
            assertArrayEquals(bitsOf(nd4j), bitsOf(flat), "batch size " + batchSize);
        }
    }

    private static int[] bitsOf(INDArray a) {
        float[] f = a.data().asFloat();
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = Float.floatToRawIntBits(f[i]);
        }
        return b;
    }

    private static float[][] apply(IUpdater config, boolean java, float[] g, float[] state, int iteration) {
        INDArray view = Nd4j.create(state.clone(), new long[]{1, state.length}, DataType.FLOAT);
        INDArray gradient = Nd4j.create(g.clone(), new long[]{1, g.length}, DataType.FLOAT);
        GradientUpdater<?> u = config.instantiate(view, false);
        if (java) {
            GradientUpdater<?> wrapped = JavaUpdaters.wrap(u);
            assertNotSame(u, wrapped);
            u = wrapped;
        }
        long before = JavaUpdaters.javaUpdates();
        u.applyUpdater(gradient, iteration, iteration / 100);
        if (java) {
            assertEquals(before + 1, JavaUpdaters.javaUpdates(), "took the Java loop");
        }
        return new float[][]{gradient.data().asFloat(), view.data().asFloat()};
    }

    /** Gradients and states of every kind: zeros, subnormals, tiny, typical, huge, both signs. */
    private static float[] values(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            float x = switch (r.nextInt(8)) {
                case 0 -> 0f;
                case 1 -> Float.MIN_VALUE * (1 + r.nextInt(1 << 20));
                case 2 -> (float) (r.nextGaussian() * 1e-20);
                case 3 -> (float) (r.nextGaussian() * 1e3);
                case 4 -> (float) (r.nextGaussian() * 1e18);
                default -> (float) (r.nextGaussian() * 0.01);
            };
            v[i] = r.nextBoolean() ? x : -x;
        }
        return v;
    }
}
