package io.gradtune.worker.data;

import io.gradtune.worker.protocol.DataSpec;
import io.gradtune.worker.protocol.Preprocessing;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A trial's prepared arrays follow its own {@code missing}, {@code outliers} and {@code pca_components} parameters,
 * and are shared between trials that pick the same ones.
 */
class DataLoaderCleaningTest {

    private static final DataSpec SPEC = new DataSpec(
            Path.of("../data/wine-missing.csv").toAbsolutePath().normalize().toString(), "csv", "label", null, 0.6,
            0.2, "standard", 0).withPreprocessing(new Preprocessing("median", false, "none", 0.01, 0.99, 0, 0, true));

    @Test
    void theTrialsParametersPickTheCleaningAndEqualPicksShareTheArrays() {
        StratifiedSplit.Parts parts = DataLoader.parts(SPEC);
        PreparedData median = DataLoader.prepared(SPEC, null, Map.of("learning_rate", 0.1));
        assertEquals(13, median.numFeatures());
        assertEquals(parts.train().rows(), median.trainX().rows());
        assertFalse(Double.isNaN(median.trainX().sumNumber().doubleValue()), "every missing cell filled");
        assertSame(median, DataLoader.prepared(SPEC, null, Map.of("learning_rate", 0.5)));

        PreparedData dropped = DataLoader.prepared(SPEC, null, Map.of("missing", "drop"));
        assertTrue(dropped.trainX().rows() < parts.train().rows(), "training rows with a missing cell dropped");
        assertEquals(parts.validation().rows(), dropped.valX().rows(), "validation rows never dropped");
        assertFalse(Double.isNaN(dropped.valX().sumNumber().doubleValue()), "validation cells filled");

        PreparedData outliers = DataLoader.prepared(SPEC, null, Map.of("outliers", "drop"));
        assertTrue(outliers.trainX().rows() < parts.train().rows());
        assertEquals(parts.validation().rows(), outliers.valX().rows());

        PreparedData pca = DataLoader.prepared(SPEC, "minmax", Map.of("pca_components", 4));
        assertEquals(4, pca.numFeatures());
        assertEquals(4, pca.valX().columns());
        PreparedData fraction = DataLoader.prepared(SPEC, null, Map.of("pca_components", 0.8));
        assertTrue(fraction.numFeatures() > 1 && fraction.numFeatures() < 13, "" + fraction.numFeatures());
        assertNotSame(pca, fraction);
    }
}
