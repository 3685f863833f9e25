package io.gradtune.driver.calibration;

import io.gradtune.worker.protocol.DataSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The real datasets of the calibration set (data/README.md): each with the split and mini-batch size its
 * configurations use. Fashion-MNIST is subsampled by the split itself (a stratified 20 % / 10 % of the 10,000-row
 * training subset: 2,000 training and 1,000 validation rows), so the whole set trains in minutes.
 */
enum CalibrationData {

    DIGITS("digits.csv", 0.6, 0.2, 64),
    BREAST_CANCER("breast_cancer.csv", 0.6, 0.2, 32),
    WINE("wine.csv", 0.6, 0.2, 16),
    FASHION("fashion/fashion_mnist_subset_train.csv.gz", 0.2, 0.1, 64);

    /** Seed of every dataset's stratified split: the same rows for every configuration. */
    static final long SPLIT_SEED = 0L;

    private final String file;
    private final double trainFraction;
    private final double valFraction;
    private final int batchSize;

    CalibrationData(String file, double trainFraction, double valFraction, int batchSize) {
        this.file = file;
        this.trainFraction = trainFraction;
        this.valFraction = valFraction;
        this.batchSize = batchSize;
    }

    /** The file name under data/. */
    String file() {
        return file;
    }

    /** Mini-batch size of this dataset's configurations (small sets get smaller batches for enough steps). */
    int batchSize() {
        return batchSize;
    }

    /** The spec of this dataset under {@code dataDir}, standard scaling (a configuration may override it). */
    DataSpec spec(Path dataDir) {
        return new DataSpec(dataDir.resolve(file).toString(), "csv", "label", null, trainFraction, valFraction,
                "standard", SPLIT_SEED);
    }

    /** The repository's data/ directory, from the repository root or a module directory. */
    static Path dataDir() {
        for (String candidate : List.of("../data", "data")) {
            Path p = Path.of(candidate).toAbsolutePath().normalize();
            if (Files.isRegularFile(p.resolve(DIGITS.file))) {
                return p;
            }
        }
        throw new IllegalStateException("data/digits.csv not found from " + Path.of("").toAbsolutePath());
    }
}
