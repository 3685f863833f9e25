package io.gradtune.worker.model;

import io.gradtune.worker.train.WorkerRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link JavaBiasGradient} against ND4J's {@code delta.sum(view, 0)}, bit for bit, into a view of a flat gradient
 * as DL4J's bias gradient is, over mini-batch sizes 1..333 and widths 1..512, values spread over seven decades and
 * signs (so the order of the additions shows), zeros and negative zeros included.
 */
class JavaBiasGradientTest {

    @BeforeAll
    static void nd4j() {
        WorkerRuntime.ensureInitialized();
        WorkerRuntime.useThreads(1);
    }

    @Test
    void columnSumsAreBitIdenticalToNd4jsReduction() {
        Random r = new Random(1);
        int compared = 0;
        for (int m : new int[]{1, 2, 5, 21, 32, 64, 128, 256, 333}) {
            for (int n : new int[]{1, 10, 16, 33, 64, 100, 256, 384, 512}) {
                if (m == 1 && n == 1) {
                    continue;   // a 1 x 1 view is not a plain vector to ND4J; the caller's op runs
                }
                float[] v = new float[m * n];
                for (int i = 0; i < v.length; i++) {
                    v[i] = i % 17 == 3 ? (i % 2 == 0 ? 0f : -0f)
                            : (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3));
                }
                INDArray delta = Nd4j.create(v, new long[]{m, n}, 'c').castTo(DataType.FLOAT);
                INDArray flatNd4j = Nd4j.zeros(DataType.FLOAT, 1, n + 9);
                INDArray flatJava = Nd4j.zeros(DataType.FLOAT, 1, n + 9);
                delta.sum(flatNd4j.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(4, 4 + n)), 0);
                long before = JavaBiasGradient.javaSums();
                assertTrue(JavaBiasGradient.sumRows(delta,
                        flatJava.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(4, 4 + n))),
                        "took the Java loop at " + m + " x " + n);
                assertEquals(before + 1, JavaBiasGradient.javaSums());
                assertArrayEquals(DirectGemmTest.bits(flatNd4j), DirectGemmTest.bits(flatJava), m + " x " + n);
                compared++;
            }
        }
        assertEquals(80, compared);
    }

    @Test
    void aColumnOfNegativeZerosSumsToNegativeZeroAsNd4jsDoes() {
        for (int m : new int[]{1, 2, 3, 32}) {
            INDArray delta = Nd4j.zeros(DataType.FLOAT, m, 4).negi();
            delta.putScalar(0, 1, 0f);
            INDArray nd4j = Nd4j.zeros(DataType.FLOAT, 1, 4);
            delta.sum(nd4j, 0);
            INDArray java = Nd4j.zeros(DataType.FLOAT, 1, 4);
            assertTrue(JavaBiasGradient.sumRows(delta, java));
            assertArrayEquals(DirectGemmTest.bits(nd4j), DirectGemmTest.bits(java), "rows " + m);
        }
    }

    @Test
    void declinesWhatItCannotDoAndWhenSwitchedOff() {
        INDArray delta = Nd4j.rand(DataType.FLOAT, 4, 3);
        assertFalse(JavaBiasGradient.sumRows(delta.dup('f'), Nd4j.create(DataType.FLOAT, 1, 3)), "'f' order");
        assertFalse(JavaBiasGradient.sumRows(delta, Nd4j.create(DataType.FLOAT, 1, 4)), "length mismatch");
        String before = System.getProperty("gradtune.javaBiasGradient");
        try {
            System.setProperty("gradtune.javaBiasGradient", "false");
            assertFalse(JavaBiasGradient.sumRows(delta, Nd4j.create(DataType.FLOAT, 1, 3)), "switched off");
        } finally {
            if (before == null) {
                System.clearProperty("gradtune.javaBiasGradient");
            } else {
                System.setProperty("gradtune.javaBiasGradient", before);
            }
        }
    }
}
