package io.gradtune.worker.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerMinMaxScaler;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A fitted {@link Scaling} as DL4J's equivalent normalizer, the form a saved model carries
 * ({@code ModelSerializer.addNormalizerToModel}): standard as {@link NormalizerStandardize} (mean, standard
 * deviation), min-max as {@link NormalizerMinMaxScaler} to [0, 1] (minimum, minimum + range). The statistics are
 * gradtune's own, fitted the same way (a constant column: divisor 1).
 *
 * <p>DL4J's arithmetic is not quite gradtune's (min-max divides by {@code max - min} recomputed in float; a standard
 * deviation under 1e-5 counts as 1), so the refit scales its every row, training and test, with this normalizer
 * rather than with {@link Scaling.Fitted#apply}: what the saved model is scored on is exactly what it was trained on.
 */
public final class Normalizers {

    private Normalizers() {
    }

    /** The normalizer for {@code fitted}, or null for {@link Scaling#NONE} (no scaling, nothing to save). */
    public static DataNormalization of(Scaling scaling, Scaling.Fitted fitted) {
        int c = fitted.offset().length;
        switch (scaling) {
            case STANDARD:
                return new NormalizerStandardize(row(fitted.offset()), row(fitted.scale()));
            case MINMAX: {
                float[] upper = new float[c];
                for (int i = 0; i < c; i++) {
                    upper[i] = fitted.offset()[i] + fitted.scale()[i];
                }
                NormalizerMinMaxScaler n = new NormalizerMinMaxScaler(0, 1);
                n.setFeatureStats(row(fitted.offset()), row(upper));
                return n;
            }
            default:
                return null;
        }
    }

    private static org.nd4j.linalg.api.ndarray.INDArray row(float[] values) {
        return Nd4j.create(values, new long[]{1, values.length}, DataType.FLOAT);
    }
}
