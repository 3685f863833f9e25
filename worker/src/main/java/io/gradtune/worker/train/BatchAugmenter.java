package io.gradtune.worker.train;

import io.gradtune.worker.model.AugmentParameters;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.SplittableRandom;

/**
 * Changes a training mini-batch in place, after {@link BatchGather} filled its reused buffer: for image rows a
 * horizontal flip (probability 1/2 per example) and a random shift of up to {@code augment_shift} pixels in each
 * direction with zero fill, then Gaussian noise of {@code noise_std} on every value. One random stream per trial,
 * seeded from the trial's seed, consumed batch after batch: a trial's augmented batches are the same on every run.
 * Only the trainers' mini-batch loop calls it; validation passes, refit scoring and predictions never do.
 *
 * <p>Image rows are C planes of H x W values, row major (what {@code InputType.convolutionalFlat} and the IDX reader
 * use). Zero fill is zero in the scaled values (with min-max scaling of pixels: black).
 */
final class BatchAugmenter {

    private final AugmentParameters params;
    private final int[] shape;
    private final SplittableRandom random;
    private float[] scratch;

    private BatchAugmenter(AugmentParameters params, int[] shape, long seed) {
        this.params = params;
        this.shape = shape;
        this.random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    }

    /**
     * The augmenter of a trial, or null when {@code params} changes nothing (the mini-batch path then stays exactly as
     * without augmentation).
     *
     * @throws IllegalArgumentException when image transforms are asked for on rows that are not the declared image
     */
    static BatchAugmenter of(AugmentParameters params, int numFeatures, long seed) {
        if (!params.active()) {
            return null;
        }
        int[] shape = params.imageTransforms() ? params.checkedShape(numFeatures) : null;
        return new BatchAugmenter(params, shape, seed);
    }

    /** Augments the rows of {@code x} (rows x features, C order) in place. */
    void apply(INDArray x) {
        int rows = (int) x.rows();
        int cols = (int) x.columns();
        if (x.dataType() != DataType.FLOAT || x.ordering() != 'c' || x.isView()) {
            throw new IllegalStateException("augmentation expects a float batch buffer in C order, got " + x.dataType()
                    + " " + x.ordering());
        }
        float[] v = x.data().asFloat();
        if (shape != null) {
            if (scratch == null || scratch.length != cols) {
                scratch = new float[cols];
            }
            for (int r = 0; r < rows; r++) {
                boolean flip = params.flip() && random.nextBoolean();
                int dy = params.shift() ? random.nextInt(-params.maxShift(), params.maxShift() + 1) : 0;
                int dx = params.shift() ? random.nextInt(-params.maxShift(), params.maxShift() + 1) : 0;
                transform(v, r * cols, shape, flip, dy, dx, scratch);
            }
        }
        if (params.noiseStd() > 0) {
            double std = params.noiseStd();
            for (int i = 0; i < rows * cols; i++) {
                v[i] += (float) (random.nextGaussian() * std);
            }
        }
        x.data().setData(v);
    }

    /**
     * One image row at {@code offset} of {@code v}: mirrored left-right when {@code flip}, then moved {@code dy} pixels
     * down and {@code dx} right (negative: up, left), pixels moved in from outside the image zero.
     */
    static void transform(float[] v, int offset, int[] shape, boolean flip, int dy, int dx, float[] scratch) {
        int h = shape[0];
        int w = shape[1];
        int c = shape[2];
        int n = h * w * c;
        if (!flip && dy == 0 && dx == 0) {
            return;
        }
        System.arraycopy(v, offset, scratch, 0, n);
        for (int ch = 0; ch < c; ch++) {
            int plane = ch * h * w;
            for (int y = 0; y < h; y++) {
                int sy = y - dy;
                for (int xx = 0; xx < w; xx++) {
                    int sx = xx - dx;
                    float value = 0f;
                    if (sy >= 0 && sy < h && sx >= 0 && sx < w) {
                        int col = flip ? w - 1 - sx : sx;
                        value = scratch[plane + sy * w + col];
                    }
                    v[offset + plane + y * w + xx] = value;
                }
            }
        }
    }
}
