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

/**
 * {@link DirectGemm} against ND4J's own products, bit for bit, for the three products of a dense layer (forward
 * {@code z = x W} into a 'c' array, backward {@code eps = W delta^T} into an 'f' array, weight gradient
 * {@code dW = x^T delta} into an 'f' view of the flat gradient), over the digits space's shapes: batch 21..256
 * (21: a last, partial mini-batch), layer widths 10..512 on both sides, K across OpenBLAS's blocking boundaries.
 */
class DirectGemmTest {

    private static final int[] ROWS = {21, 32, 64, 128, 256};
    private static final int[] WIDTHS = {10, 16, 33, 64, 100, 256, 300, 384, 385, 512};

    @BeforeAll
    static void nd4j() {
        WorkerRuntime.ensureInitialized();
        WorkerRuntime.useThreads(1);
    }

    private static INDArray random(Random r, long rows, long cols, char order) {
        float[] v = new float[(int) (rows * cols)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(5) - 2));
        }
        return Nd4j.create(v, new long[]{rows, cols}, order).castTo(DataType.FLOAT);
    }

    /** W as DL4J lays it out: an 'f' view inside a flat parameter row vector, after other parameters. */
    private static INDArray weightView(INDArray flat, long offset, long nIn, long nOut) {
        return flat.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(offset, offset + nIn * nOut))
                .reshape('f', nIn, nOut);
    }

    @Test
    void theDenseLayersThreeProductsAreBitIdenticalToNd4jsOverTheDigitsShapes() {
        Random r = new Random(7);
        int shapes = 0;
        for (int m : ROWS) {
            for (int nIn : WIDTHS) {
                for (int nOut : WIDTHS) {
                    boolean edge = nIn >= 384 || nOut >= 384 || nIn <= 16 || nOut <= 16;
                    if (m <= 32 ? !edge && (nIn * 7 + nOut * 3) % 3 != 0 : (nIn * 7 + nOut * 3 + m) % 8 != 0) {
                        continue;   // batch 21, 32: every width pair at the ends, a third inside; larger: an eighth
                    }
                    shapes++;
                    INDArray x = random(r, m, nIn, 'c');
                    INDArray params = random(r, 1, 7 + nIn * nOut + 40, 'c');
                    INDArray w = weightView(params, 7, nIn, nOut);
                    INDArray delta = random(r, m, nOut, 'c');
                    String shape = m + "x" + nIn + "x" + nOut;

                    INDArray bias = random(r, 1, 3 + nOut, 'c').get(NDArrayIndex.interval(0, 0, true),
                            NDArrayIndex.interval(3, 3 + nOut));
                    INDArray zNd4j = Nd4j.createUninitialized(DataType.FLOAT, new long[]{m, nOut}, 'c');
                    x.mmuli(w, zNd4j);
                    INDArray noBias = zNd4j.dup();
                    zNd4j.addiRowVector(bias);
                    INDArray zDirect = Nd4j.createUninitialized(DataType.FLOAT, new long[]{m, nOut}, 'c');
                    INDArray zCopy = Nd4j.createUninitialized(DataType.FLOAT, new long[]{m, nOut}, 'c');
                    long before = DirectGemm.directProducts();
                    assertEquals(true, DirectGemm.denseForward(x, w, bias, zDirect, zCopy), shape);
                    assertArrayEquals(bits(zNd4j), bits(zDirect), "forward z " + shape);
                    assertArrayEquals(bits(zNd4j), bits(zCopy), "forward z's copy " + shape);
                    assertEquals(true, DirectGemm.denseForward(x, w, null, zDirect, null), shape);
                    assertArrayEquals(bits(noBias), bits(zDirect), "forward z without bias " + shape);

                    INDArray eNd4j = Nd4j.createUninitialized(DataType.FLOAT, new long[]{nIn, m}, 'f');
                    eNd4j = w.mmuli(delta.transpose(), eNd4j);
                    INDArray eDirect = Nd4j.createUninitialized(DataType.FLOAT, new long[]{nIn, m}, 'f');
                    assertEquals(true, DirectGemm.gemm(w, delta, eDirect, false, true), shape);
                    assertArrayEquals(bits(eNd4j), bits(eDirect), "backward epsilon " + shape);

                    INDArray grads = Nd4j.zeros(DataType.FLOAT, 1, 5 + nIn * nOut);
                    INDArray gNd4j = weightView(grads, 5, nIn, nOut);
                    Nd4j.gemm(x, delta, gNd4j, true, false, 1.0, 0.0);
                    INDArray grads2 = Nd4j.zeros(DataType.FLOAT, 1, 5 + nIn * nOut);
                    INDArray gDirect = weightView(grads2, 5, nIn, nOut);
                    assertEquals(true, DirectGemm.gemm(x, delta, gDirect, true, false), shape);
                    assertArrayEquals(bits(gNd4j), bits(gDirect), "weight gradient " + shape);
                    assertArrayEquals(bits(grads), bits(grads2), "nothing outside the view written " + shape);
                    assertEquals(before + 4, DirectGemm.directProducts(), "took the direct path " + shape);
                }
            }
        }
        assertEquals(true, shapes > 100, "shapes compared: " + shapes);
    }

    @Test
    void everyOrderCombinationIntoAnFOrderedResultMatchesNd4jsGemmAndACOrderedOneIsDeclined() {
        Random r = new Random(3);
        for (char ao : new char[]{'c', 'f'}) {
            for (char bo : new char[]{'c', 'f'}) {
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0;
                    boolean tb = (t & 2) != 0;
                    int m = 37;
                    int k = 300;
                    int n = 19;
                    INDArray a = ta ? random(r, k, m, ao) : random(r, m, k, ao);
                    INDArray b = tb ? random(r, n, k, bo) : random(r, k, n, bo);
                    INDArray cNd4j = Nd4j.createUninitialized(DataType.FLOAT, new long[]{m, n}, 'f');
                    Nd4j.gemm(a, b, cNd4j, ta, tb, 1.0, 0.0);
                    INDArray cDirect = Nd4j.createUninitialized(DataType.FLOAT, new long[]{m, n}, 'f');
                    String what = "a " + ao + (ta ? "T" : "") + ", b " + bo + (tb ? "T" : "");
                    assertEquals(true, DirectGemm.gemm(a, b, cDirect, ta, tb), what);
                    assertArrayEquals(bits(cNd4j), bits(cDirect), what);
                    assertFalse(DirectGemm.gemm(a, b, Nd4j.create(DataType.FLOAT, new long[]{m, n}, 'c'), ta, tb),
                            "a 'c' result (not bit-identical as C^T = B^T A^T) " + what);
                }
            }
        }
        // x in 'f' order (a layer input ND4J could hand over) through the fused forward pass.
        INDArray x = random(r, 32, 70, 'f');
        INDArray w = random(r, 70, 20, 'f');
        INDArray expected = Nd4j.createUninitialized(DataType.FLOAT, new long[]{32, 20}, 'c');
        x.mmuli(w, expected);
        INDArray z = Nd4j.createUninitialized(DataType.FLOAT, new long[]{32, 20}, 'c');
        assertEquals(true, DirectGemm.denseForward(x, w, null, z, null));
        assertArrayEquals(bits(expected), bits(z), "x in 'f' order");
    }

    @Test
    void declinesWhatItCannotDoAndWhenSwitchedOff() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 4, 6);
        INDArray b = Nd4j.rand(DataType.FLOAT, 6, 3);
        assertFalse(DirectGemm.gemm(a.castTo(DataType.DOUBLE), b, Nd4j.create(DataType.FLOAT, 4, 3), false, false));
        assertFalse(DirectGemm.gemm(a, b, Nd4j.create(DataType.FLOAT, 4, 4), false, false), "shape mismatch");
        INDArray strided = Nd4j.rand(DataType.FLOAT, 4, 12).get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2, 12));
        assertFalse(DirectGemm.gemm(strided, b, Nd4j.create(DataType.FLOAT, 4, 3), false, false), "strided view");
        String before = System.getProperty("gradtune.directGemm");
        try {
            System.setProperty("gradtune.directGemm", "false");
            assertFalse(DirectGemm.gemm(a, b, Nd4j.create(DataType.FLOAT, 4, 3), false, false), "switched off");
        } finally {
            if (before == null) {
                System.clearProperty("gradtune.directGemm");
            } else {
                System.setProperty("gradtune.directGemm", before);
            }
        }
    }

    static int[] bits(INDArray a) {
        float[] f = a.dup(a.ordering()).data().asFloat();
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = Float.floatToRawIntBits(f[i]);
        }
        return b;
    }
}
