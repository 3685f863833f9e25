package io.gradtune.worker.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trial's mini-batches, gathered row by row from the training arrays that every trial of the executor shares
 * into two small buffers the trial reuses: one of the batch size, and one for the shorter last batch of an epoch.
 * What {@code Nd4j.pullRows(source, 1, rows)} would allocate and fill for every batch, or for a whole epoch at
 * once, which is a per-trial copy of the training data (31 MB for the 10,000-image Fashion-MNIST subset, 188 MB
 * for all of Fashion-MNIST, per trial in flight). The batch a call returns stays valid until the next call.
 */
final class BatchGather implements AutoCloseable {

    private final INDArray features;
    private final INDArray labels;
    private final int batchSize;
    private final int[] full;
    private final int[] tail;
    private INDArray fullX;
    private INDArray fullY;
    private INDArray tailX;
    private INDArray tailY;

    /** Batches of {@code batchSize} rows of {@code features} and {@code labels} (same row count). */
    BatchGather(INDArray features, INDArray labels, int batchSize) {
        this.features = features;
        this.labels = labels;
        int n = (int) features.rows();
        this.batchSize = batchSize;
        this.full = new int[Math.min(batchSize, n)];
        this.tail = new int[batchSize < n ? n % batchSize : 0];
    }

    /**
     * The batch of rows {@code order[from]}, {@code order[from + 1]}, ... ({@code batchSize} of them, fewer at the
     * end of {@code order}) as {features, labels}.
     */
    INDArray[] batch(int[] order, int from) {
        int size = Math.min(batchSize, order.length - from);
        boolean last = size != full.length;
        int[] rows = last ? tail : full;
        System.arraycopy(order, from, rows, 0, size);
        if (last && tailX == null) {
            tailX = buffer(features, size);
            tailY = buffer(labels, size);
        } else if (!last && fullX == null) {
            fullX = buffer(features, size);
            fullY = buffer(labels, size);
        }
        INDArray x = last ? tailX : fullX;
        INDArray y = last ? tailY : fullY;
        Nd4j.pullRows(features, x, 1, rows);
        Nd4j.pullRows(labels, y, 1, rows);
        return new INDArray[]{x, y};
    }

    private static INDArray buffer(INDArray source, int rows) {
        return Nd4j.createUninitialized(source.dataType(), new long[]{rows, source.columns()}, Nd4j.order());
    }

    /** Frees the buffers. */
    @Override
    public void close() {
        for (INDArray a : new INDArray[]{fullX, fullY, tailX, tailY}) {
            if (a != null && a.closeable()) {
                a.close();
            }
        }
    }
}
