package io.gradtune.driver.config;

import io.gradtune.driver.space.CategoricalParameter;
import io.gradtune.driver.space.FixedParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Augmentation and autoencoder keys at config load: lists read as the parameters' string forms, image transforms
 * only on image data (the IDX header's size, or a training.image_shape that fits the rows), bad values an error
 * naming the field and the allowed range (exit 2 before anything starts).
 */
class AugmentConfigTest {

    @TempDir
    Path dir;

    private static final String HEAD = """
            study: aug
            data: {source: data.csv, label_column: label}
            search: {algorithm: random, max_trials: 2, seed: 1}
            """;

    private Path write(String yaml) throws IOException {
        Files.writeString(dir.resolve("data.csv"), "p0,p1,p2,p3,p4,p5,label\n1,2,3,4,5,6,0\n3,4,5,6,7,8,1\n");
        Path f = dir.resolve("study.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private ConfigException failure(String yaml) throws IOException {
        Path f = write(yaml);
        return assertThrows(ConfigException.class, () -> StudyConfigLoader.load(f));
    }

    @Test
    void listsAreReadAsTheParametersStringForms() throws IOException {
        StudyConfig c = StudyConfigLoader.load(write(HEAD + """
                space:
                  noise_std: {type: float, low: 0.0, high: 0.2}
                  augment: {type: categorical, values: [none, flip, [shift, flip]]}
                training: {image_shape: [2, 3], augment_shift: 1, autoencoder_units: 4, autoencoder_finetune: true}
                """));
        assertEquals(List.of("none", "flip", "shift+flip"),
                assertInstanceOf(CategoricalParameter.class, c.space().get("augment")).choices());
        assertEquals("2x3", assertInstanceOf(FixedParameter.class, c.space().get("image_shape")).value());
        assertEquals(4, assertInstanceOf(FixedParameter.class, c.space().get("autoencoder_units")).value());
    }

    @Test
    void idxDataGivesTheImageShapeFromItsHeader() throws IOException {
        writeIdx(dir.resolve("train-images-idx3-ubyte"), dir.resolve("train-labels-idx1-ubyte"), 4, 3, 5);
        StudyConfig c = StudyConfigLoader.load(write("""
                study: aug
                data: {source: train-images-idx3-ubyte, format: idx}
                search: {algorithm: random, max_trials: 2, seed: 1}
                space:
                  learning_rate: {type: float, low: 0.001, high: 0.01}
                training: {augment: [shift, flip]}
                """));
        assertEquals("shift+flip", ((FixedParameter) c.space().get("augment")).value());
        assertEquals("3x5", ((FixedParameter) c.space().get("image_shape")).value());
    }

    @Test
    void imageTransformsOnDataThatIsNotAnImageAreAnError() throws IOException {
        ConfigException e = failure(HEAD + """
                space:
                  augment: {type: categorical, values: [none, shift]}
                """);
        assertEquals("space.augment", e.field());
        assertTrue(e.getMessage().contains("image transforms need image data: set training.image_shape"),
                e.getMessage());
        e = failure(HEAD + """
                space:
                  learning_rate: {type: float, low: 0.001, high: 0.01}
                training: {augment: [flip], image_shape: [2, 2]}
                """);
        assertEquals("training.image_shape", e.field());
        assertTrue(e.getMessage().contains("the image has 4 values per row (height x width x channels), the data 6 "
                + "features"), e.getMessage());
    }

    @Test
    void badValuesNameTheFieldAndTheAllowedRange() throws IOException {
        ConfigException e = failure(HEAD + """
                space:
                  noise_std: {type: float, low: -0.1, high: 0.2}
                """);
        assertEquals("space.noise_std", e.field());
        assertTrue(e.getMessage().contains("expected a finite number >= 0"), e.getMessage());
        e = failure(HEAD + """
                space:
                  augment: {type: categorical, values: [none, rotate]}
                training: {image_shape: [2, 3]}
                """);
        assertTrue(e.getMessage().contains("unknown transform 'rotate', expected none or a list of [shift, flip]"),
                e.getMessage());
        e = failure(HEAD + """
                space:
                  autoencoder_units: {type: int, low: 0, high: 8}
                """);
        assertEquals("space.autoencoder_units", e.field());
        assertTrue(e.getMessage().contains("expected an integer 1..4096"), e.getMessage());
        e = failure(HEAD + """
                space:
                  learning_rate: {type: float, low: 0.001, high: 0.01}
                training: {augment_shift: 40}
                """);
        assertTrue(e.getMessage().contains("'augment_shift' = 40, expected an integer 1..16"), e.getMessage());
    }

    @Test
    void augmentationWithDataParallelTrialsIsNotSupportedYet() throws IOException {
        ConfigException e = failure(HEAD + """
                space:
                  noise_std: {type: float, low: 0.0, high: 0.2}
                training: {workers: 2}
                spark: {master: "local[2]"}
                """);
        assertEquals("space.noise_std", e.field());
        assertTrue(e.getMessage().contains("not supported yet"), e.getMessage());
        e = failure(HEAD + """
                space:
                  autoencoder_units: {type: int, low: 2, high: 4}
                refit: {mode: spark}
                """);
        assertEquals("space.autoencoder_units", e.field());
        assertTrue(e.getMessage().contains("with a data-parallel refit (refit.mode: spark) they are not supported yet"),
                e.getMessage());
    }

    @Test
    void shippedAugmentConfigIsValid() {
        StudyConfig c = StudyConfigLoader.load(Path.of("../configs/augment.yaml"));
        assertEquals("8x8", ((FixedParameter) c.space().get("image_shape")).value());
        assertEquals(List.of("none", "shift", "shift+flip"),
                ((CategoricalParameter) c.space().get("augment")).choices());
    }

    @Test
    void shippedCnnAugmentConfigIsValid() {
        StudyConfig c = StudyConfigLoader.load(Path.of("../configs/fashion-cnn-augment.yaml"));
        assertEquals("28x28", ((FixedParameter) c.space().get("image_shape")).value());
        assertEquals(List.of("none", "flip", "shift+flip"),
                ((CategoricalParameter) c.space().get("augment")).choices());
    }

    /** An IDX images file of n h x w images and its labels file. */
    private static void writeIdx(Path images, Path labels, int n, int h, int w) throws IOException {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(images))) {
            out.writeInt(2051);
            out.writeInt(n);
            out.writeInt(h);
            out.writeInt(w);
            out.write(new byte[n * h * w]);
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(labels))) {
            out.writeInt(2049);
            out.writeInt(n);
            for (int i = 0; i < n; i++) {
                out.writeByte(i % 2);
            }
        }
    }
}
