package io.gradtune.worker.model;

import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.DropOutInverted;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * DL4J's inverted dropout ({@link Dropout} with a fixed retain probability) with the element-wise parts in Java
 * loops over the arrays' float buffers instead of libnd4j ops: filling the mask with ones, applying it
 * ({@code output = input * mask}) and its backward pass ({@code gradIn = gradOut * mask}). Each is one IEEE float
 * operation per element (or none), so the results are bit-identical to DL4J's ops by construction; the mask itself
 * is still drawn by libnd4j's {@code DropOutInverted} random op from ND4J's generator, so the same units drop. This
 * saves three native ops (their per-op fixed cost dominates on a digits network's small arrays) per dropout layer
 * and mini-batch. Where the arrays are not dense float arrays of one shape and order, DL4J's own ops run.
 *
 * <p>Used in {@link FastLayers}' dense layers (so only where fast layers are on) unless
 * {@code -Dgradtune.javaDropout=false}; an exported model ({@link FastLayers#standard}) holds DL4J's plain
 * {@link Dropout}. {@code FastLayersTest} compares whole training runs with DL4J's own layers.
 */
public final class JavaDropout extends Dropout {

    /** Mask applications (forward) and mask backward passes this class computed in Java (tests). */
    static final AtomicLong JAVA = new AtomicLong();

    /** Forward or backward passes that fell back to DL4J's ops (tests). */
    static final AtomicLong FALLBACK = new AtomicLong();

    /** The retain probability, as DL4J's {@link Dropout#Dropout(double)}. */
    public JavaDropout(@JsonProperty("p") double activationRetainProbability) {
        super(activationRetainProbability);
    }

    /** Whether Java dropout is on ({@code -Dgradtune.javaDropout}, default true). */
    static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty("gradtune.javaDropout"));
    }

    /** {@code dropout} as a {@link JavaDropout} if it is DL4J's plain fixed-probability {@link Dropout}; else as is. */
    static org.deeplearning4j.nn.conf.dropout.IDropout of(org.deeplearning4j.nn.conf.dropout.IDropout dropout) {
        if (dropout != null && dropout.getClass() == Dropout.class && ((Dropout) dropout).getPSchedule() == null
                && enabled()) {
            return new JavaDropout(((Dropout) dropout).getP());
        }
        return dropout;
    }

    /** {@code dropout} as DL4J's own {@link Dropout} (for exported models); any other dropout as it is. */
    static org.deeplearning4j.nn.conf.dropout.IDropout standard(org.deeplearning4j.nn.conf.dropout.IDropout dropout) {
        return dropout instanceof JavaDropout j ? new Dropout(j.getP()) : dropout;
    }

    @Override
    public INDArray applyDropout(INDArray inputActivations, INDArray output, int iteration, int epoch,
                                 LayerWorkspaceMgr workspaceMgr) {
        if (getHelper() != null || !sameDenseFloat(inputActivations, output)) {
            FALLBACK.incrementAndGet();
            return super.applyDropout(inputActivations, output, iteration, epoch, workspaceMgr);
        }
        // Dropout.applyDropout: mask = ones, DropOutInverted(mask, mask, p), output = input * mask.
        INDArray mask = workspaceMgr.createUninitialized(ArrayType.INPUT, output.dataType(), output.shape(),
                output.ordering());
        JavaUpdaters.Segment ms = new JavaUpdaters.Segment();
        if (!ms.ofDense(mask)) {
            FALLBACK.incrementAndGet();
            return super.applyDropout(inputActivations, output, iteration, epoch, workspaceMgr);
        }
        int n = (int) output.length();
        float[] m = new float[n];
        Arrays.fill(m, 1.0f);
        ms.write(m, n);
        Nd4j.getExecutioner().exec(new DropOutInverted(mask, mask, getP()));
        setMask(mask);
        ms.read(m, n);
        JavaUpdaters.Segment in = new JavaUpdaters.Segment();
        JavaUpdaters.Segment out = new JavaUpdaters.Segment();
        in.ofDense(inputActivations);
        out.ofDense(output);
        float[] x = new float[n];
        in.read(x, n);
        for (int i = 0; i < n; i++) {
            x[i] = x[i] * m[i];
        }
        out.write(x, n);
        JAVA.incrementAndGet();
        return output;
    }

    @Override
    public INDArray backprop(INDArray gradAtOutput, INDArray gradAtInput, int iteration, int epoch) {
        INDArray mask = getMask();
        if (getHelper() != null || mask == null || !sameDenseFloat(gradAtOutput, gradAtInput)
                || !sameDenseFloat(gradAtOutput, mask)) {
            FALLBACK.incrementAndGet();
            return super.backprop(gradAtOutput, gradAtInput, iteration, epoch);
        }
        // Dropout.backprop: gradAtInput = gradAtOutput * mask, then the mask is dropped.
        JavaUpdaters.Segment gs = new JavaUpdaters.Segment();
        JavaUpdaters.Segment ms = new JavaUpdaters.Segment();
        JavaUpdaters.Segment is = new JavaUpdaters.Segment();
        gs.ofDense(gradAtOutput);
        ms.ofDense(mask);
        is.ofDense(gradAtInput);
        int n = (int) gradAtOutput.length();
        float[] g = new float[n];
        float[] m = new float[n];
        gs.read(g, n);
        ms.read(m, n);
        for (int i = 0; i < n; i++) {
            g[i] = g[i] * m[i];
        }
        is.write(g, n);
        setMask(null);
        JAVA.incrementAndGet();
        return gradAtInput;
    }

    @Override
    public JavaDropout clone() {
        return new JavaDropout(getP());
    }

    /** Both dense float arrays (default strides, buffer from offset 0) of the same shape and order. */
    private static boolean sameDenseFloat(INDArray a, INDArray b) {
        if (a.dataType() != DataType.FLOAT || b.dataType() != DataType.FLOAT || a.ordering() != b.ordering()
                || !Arrays.equals(a.shape(), b.shape()) || a.length() > Integer.MAX_VALUE) {
            return false;
        }
        return new JavaUpdaters.Segment().ofDense(a) && new JavaUpdaters.Segment().ofDense(b);
    }
}
