package io.gradtune.worker.model;

import io.gradtune.worker.train.WorkerRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** {@link JavaActivations} against DL4J's own op, bit for bit, special values included. */
class JavaActivationsTest {

    @BeforeAll
    static void nd4j() {
        WorkerRuntime.ensureInitialized();
    }

    private static final float[] SPECIAL = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 1e-38f, -1e-38f, 3.5f, -3.5f};

    private static float[] values(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i < SPECIAL.length ? SPECIAL[i] : (float) (r.nextGaussian() * Math.pow(10, r.nextInt(9) - 4));
        }
        return v;
    }

    @Test
    void leakyReluDerivativeIsBitIdenticalToDl4jsInBothOrders() {
        for (char order : new char[]{'c', 'f'}) {
            for (double alpha : new double[]{0.01, 0.2, 1.0 / 3}) {
                float[] z = values(32 * 27, 1);
                float[] eps = values(32 * 27, 2);
                // Gradient values against every special pre-activation, and the reverse.
                System.arraycopy(SPECIAL, 0, eps, 100, SPECIAL.length);
                INDArray zJava = Nd4j.create(z, new long[]{32, 27}, order).castTo(DataType.FLOAT);
                INDArray zDl4j = zJava.dup(order);
                INDArray e = Nd4j.create(eps, new long[]{32, 27}, order).castTo(DataType.FLOAT);
                ActivationLReLU lrelu = new ActivationLReLU(alpha);
                long before = JavaActivations.JAVA.get();
                INDArray java = JavaActivations.backprop(lrelu, zJava, e.dup(order));
                INDArray dl4j = lrelu.backprop(zDl4j, e.dup(order)).getFirst();
                assertEquals(before + 1, JavaActivations.JAVA.get(), "took the Java loop");
                assertSame(zJava, java, "written into z, as DL4J's op does");
                assertArrayEquals(bits(dl4j), bits(java), "order " + order + ", alpha " + alpha);
            }
        }
    }

    @Test
    void otherActivationsAndMixedOrdersUseDl4jsOp() {
        INDArray z = Nd4j.create(values(12, 3), new long[]{3, 4}, 'c');
        INDArray e = Nd4j.create(values(12, 4), new long[]{3, 4}, 'f');
        long before = JavaActivations.JAVA.get();
        INDArray viaDl4j = new ActivationLReLU().backprop(z.dup('c'), e.dup('f')).getFirst();
        assertArrayEquals(bits(viaDl4j), bits(JavaActivations.backprop(new ActivationLReLU(), z.dup('c'), e.dup('f'))));
        JavaActivations.backprop(new ActivationTanH(), z.dup('c'), e.dup('c'));
        assertEquals(before, JavaActivations.JAVA.get());
    }

    private static int[] bits(INDArray a) {
        float[] f = a.dup('c').data().asFloat();
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = Float.floatToRawIntBits(f[i]);
        }
        return b;
    }
}
