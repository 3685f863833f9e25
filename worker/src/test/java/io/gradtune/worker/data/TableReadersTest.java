package io.gradtune.worker.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableReadersTest {

    @TempDir
    Path dir;

    @Test
    void readsGzippedIdxImagesWithTheirLabelsFile() throws IOException {
        byte[] pixels = {0, 10, (byte) 200, (byte) 255, 1, 2, 3, 4, 5, 6, 7, 8};   // 3 images of 2x2
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        writeIdx(images, true, 2051, new int[]{3, 2, 2}, pixels);
        writeIdx(dir.resolve("train-labels-idx1-ubyte.gz"), true, 2049, new int[]{3}, new byte[]{2, 0, 1});

        Table t = DataLoader.read(images, "idx", null);

        assertEquals(3, t.rows());
        assertEquals(4, t.columns());
        assertEquals("pixel_1_1", t.featureNames().get(3));
        assertArrayEquals(new int[]{2, 0, 1}, t.labels());
        assertEquals(3, t.numClasses());
        assertEquals(200f, t.features()[2]);   // unsigned bytes
        assertEquals(255f, t.features()[3]);
        assertEquals(8f, t.features()[11]);
    }

    @Test
    void idxErrorsNameTheFileAndTheProblem() throws IOException {
        Path images = dir.resolve("x-images-idx3-ubyte");
        writeIdx(images, false, 2051, new int[]{2, 1, 1}, new byte[]{1, 2});
        writeIdx(dir.resolve("x-labels-idx1-ubyte"), false, 2049, new int[]{3}, new byte[]{0, 1, 1});
        DataFormatException mismatch = assertThrows(DataFormatException.class, () -> IdxTableReader.read(images));
        assertTrue(mismatch.getMessage().contains("3 labels for 2 images"), mismatch.getMessage());

        Path bad = dir.resolve("y-images-idx3-ubyte");
        writeIdx(bad, false, 2049, new int[]{1, 1, 1}, new byte[]{1});
        writeIdx(dir.resolve("y-labels-idx1-ubyte"), false, 2049, new int[]{1}, new byte[]{0});
        DataFormatException magic = assertThrows(DataFormatException.class, () -> IdxTableReader.read(bad));
        assertTrue(magic.getMessage().contains("expected 2051"), magic.getMessage());

        DataFormatException name = assertThrows(DataFormatException.class,
                () -> IdxTableReader.read(dir.resolve("pictures.bin")));
        assertTrue(name.getMessage().contains("images-idx3"), name.getMessage());
    }

    @Test
    void readsTheShippedGzippedFashionValidationCsv() {
        Path val = Path.of("..", "data", "fashion", "fashion_mnist_subset_val.csv.gz");
        Table t = DataLoader.read(val, "csv", "label");

        assertEquals(2000, t.rows());
        assertEquals(784, t.columns());
        assertEquals(10, t.numClasses());
        int[] counts = new int[10];
        for (int label : t.labels()) {
            counts[label]++;
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(200, counts[c], "class " + c);
        }
        float max = 0;
        for (float f : t.features()) {
            max = Math.max(max, f);
        }
        assertTrue(max > 200 && max <= 255, "pixel range 0..255, max " + max);
    }

    @Test
    void stratifiedSplitIsSeededAndKeepsClassProportions() {
        Table digits = DataLoader.read(Path.of("..", "data", "digits.csv"), "csv", "label");
        StratifiedSplit.Parts a = StratifiedSplit.split(digits, 0.6, 0.2, 0);
        StratifiedSplit.Parts b = StratifiedSplit.split(digits, 0.6, 0.2, 0);
        StratifiedSplit.Parts c = StratifiedSplit.split(digits, 0.6, 0.2, 1);

        assertEquals(digits.rows(), a.train().rows() + a.validation().rows() + a.test().rows());
        assertEquals(0.6, a.train().rows() / (double) digits.rows(), 0.01);
        assertEquals(0.2, a.validation().rows() / (double) digits.rows(), 0.01);
        assertArrayEquals(a.validation().labels(), b.validation().labels());
        assertArrayEquals(a.validation().features(), b.validation().features());
        assertTrue(!java.util.Arrays.equals(a.validation().features(), c.validation().features()),
                "another seed gives another split");
        int[] perClass = new int[10];
        for (int label : a.validation().labels()) {
            perClass[label]++;
        }
        for (int k = 0; k < 10; k++) {
            assertTrue(perClass[k] >= 34 && perClass[k] <= 38, "class " + k + " has " + perClass[k]);
        }
    }

    private static void writeIdx(Path file, boolean gzip, int magic, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file))
                : Files.newOutputStream(file)) {
            out.write(bytes.toByteArray());
        }
    }
}
