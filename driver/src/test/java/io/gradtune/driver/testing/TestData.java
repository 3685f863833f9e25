package io.gradtune.driver.testing;

import io.gradtune.api.DataFactory;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

/** User data classes for the driver's tests (good and bad): {@code io.gradtune.api.DataFactory} implementations. */
public final class TestData {

    private TestData() {
    }

    /** {@code n} examples of 3 well separated Gaussian blobs in 4 dimensions, one-hot labels, batches of 32. */
    public static DataSetIterator blobs(int n, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[n][4];
        float[][] y = new float[n][3];
        for (int i = 0; i < n; i++) {
            int k = i % 3;
            for (int j = 0; j < 4; j++) {
                x[i][j] = (float) ((j == k ? 2.0 : 0.0) + 0.4 * r.nextGaussian());
            }
            y[i][k] = 1f;
        }
        return new ViewIterator(new DataSet(Nd4j.create(x), Nd4j.create(y)), 32);
    }

    /** Three blobs: 240 train, 90 validation, 90 test examples. */
    public static final class Blobs implements DataFactory {
        @Override
        public DataSetIterator train(long seed) {
            return blobs(240, seed + 1);
        }

        @Override
        public DataSetIterator validation(long seed) {
            return blobs(90, seed + 2);
        }

        @Override
        public DataSetIterator test(long seed) {
            return blobs(90, seed + 3);
        }
    }

    /** Its validation iterator is empty. */
    public static final class EmptyValidation implements DataFactory {
        @Override
        public DataSetIterator train(long seed) {
            return blobs(30, seed);
        }

        @Override
        public DataSetIterator validation(long seed) {
            DataSetIterator it = blobs(3, seed);
            while (it.hasNext()) {
                it.next();
            }
            return it;
        }
    }

    /** Its train method throws. */
    public static final class Throwing implements DataFactory {
        @Override
        public DataSetIterator train(long seed) {
            throw new IllegalStateException("the warehouse is closed");
        }

        @Override
        public DataSetIterator validation(long seed) {
            return blobs(3, seed);
        }
    }

    /** A regression: y = 2 x0 - x1 + 1 on 2 uniform features; one target column; 60 train, 20 validation. */
    public static final class Line implements DataFactory {
        @Override
        public DataSetIterator train(long seed) {
            return line(60, seed + 1);
        }

        @Override
        public DataSetIterator validation(long seed) {
            return line(20, seed + 2);
        }

        private static DataSetIterator line(int n, long seed) {
            Random r = new Random(seed);
            float[][] x = new float[n][2];
            float[][] y = new float[n][1];
            for (int i = 0; i < n; i++) {
                x[i][0] = r.nextFloat();
                x[i][1] = r.nextFloat();
                y[i][0] = 2 * x[i][0] - x[i][1] + 1;
            }
            return new ViewIterator(new DataSet(Nd4j.create(x), Nd4j.create(y)), 16);
        }
    }

    /**
     * Rank-4 images {@code [n, 1, 6, 6]}: class k (of 3) is a bright horizontal band on rows 2k and 2k + 1, plus
     * Gaussian noise of 0.2; 120 train, 60 validation, 60 test examples.
     */
    public static final class Bands implements DataFactory {
        @Override
        public DataSetIterator train(long seed) {
            return bands(120, seed + 1);
        }

        @Override
        public DataSetIterator validation(long seed) {
            return bands(60, seed + 2);
        }

        @Override
        public DataSetIterator test(long seed) {
            return bands(60, seed + 3);
        }

        private static DataSetIterator bands(int n, long seed) {
            Random r = new Random(seed);
            float[] x = new float[n * 36];
            float[][] y = new float[n][3];
            for (int i = 0; i < n; i++) {
                int k = i % 3;
                for (int row = 0; row < 6; row++) {
                    for (int col = 0; col < 6; col++) {
                        x[i * 36 + row * 6 + col] = (float) ((row / 2 == k ? 1.0 : 0.0) + 0.2 * r.nextGaussian());
                    }
                }
                y[i][k] = 1f;
            }
            return new ViewIterator(new DataSet(Nd4j.create(x, new long[]{n, 1, 6, 6}, 'c'), Nd4j.create(y)), 25);
        }
    }
}
