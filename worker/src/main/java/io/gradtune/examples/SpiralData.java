package io.gradtune.examples;

import io.gradtune.api.DataFactory;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

/**
 * The data class of {@code configs/own-data.yaml} (README, "Your own data"): three interleaved spiral arms in the
 * plane, generated from a documented formula, so it needs no file. Example {@code i} of {@code n} in arm
 * {@code k} (of 3) has radius {@code r = (i + 0.5) / n} and angle {@code t = 4 r + 2 pi k / 3 + 0.25 e}, with
 * {@code e} standard normal noise; its features are {@code (r cos t, r sin t)} and its label is {@code k} (one-hot).
 * Every arm has 600 training, 200 validation and 200 test examples; each split draws its noise from its own
 * {@code java.util.Random} seeded by the study's {@code data.seed} and the split, and comes in batches of 100
 * (gradtune re-batches with each trial's {@code batch_size}). A linear model scores about 50 %; a small MLP can
 * separate the arms.
 */
public final class SpiralData implements DataFactory {

    /** Arms, i.e. classes. */
    public static final int ARMS = 3;

    @Override
    public DataSetIterator train(long seed) {
        return spiral(600, seed * 3 + 1);
    }

    @Override
    public DataSetIterator validation(long seed) {
        return spiral(200, seed * 3 + 2);
    }

    @Override
    public DataSetIterator test(long seed) {
        return spiral(200, seed * 3 + 3);
    }

    /** {@code perArm} examples of each arm, arm after arm, in batches of 100. */
    static DataSetIterator spiral(int perArm, long seed) {
        Random random = new Random(seed);
        int n = perArm * ARMS;
        float[][] x = new float[n][2];
        float[][] y = new float[n][ARMS];
        for (int k = 0; k < ARMS; k++) {
            for (int i = 0; i < perArm; i++) {
                double r = (i + 0.5) / perArm;
                double t = 4 * r + 2 * Math.PI * k / ARMS + 0.25 * random.nextGaussian();
                int row = k * perArm + i;
                x[row][0] = (float) (r * Math.cos(t));
                x[row][1] = (float) (r * Math.sin(t));
                y[row][k] = 1f;
            }
        }
        DataSet all = new DataSet(Nd4j.create(x), Nd4j.create(y));
        return new ViewIterator(all, 100);
    }
}
