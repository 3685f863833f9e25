package io.gradtune.worker.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads MNIST-format IDX files (images magic 2051, labels magic 2049, optionally gzipped) into a {@link Table}.
 * The images path names the image file; the labels file is found by replacing {@code images-idx3} with
 * {@code labels-idx1} in its name, the layout of the original MNIST and Fashion-MNIST downloads.
 */
public final class IdxTableReader {

    private IdxTableReader() {
    }

    /** The labels file that belongs to an images file. */
    public static Path labelsFileFor(Path images) {
        String name = images.getFileName().toString();
        if (!name.contains("images-idx3")) {
            throw new DataFormatException(images + ": an IDX images file name must contain 'images-idx3' so the "
                    + "labels file ('labels-idx1') can be found next to it");
        }
        return images.resolveSibling(name.replace("images-idx3", "labels-idx1"));
    }

    public static Table read(Path images) {
        Path labelsFile = labelsFileFor(images);
        try (DataInputStream img = open(images); DataInputStream lab = open(labelsFile)) {
            int magic = img.readInt();
            if (magic != 2051) {
                throw new DataFormatException(images + ": IDX image magic is " + magic + ", expected 2051");
            }
            int n = img.readInt();
            int h = img.readInt();
            int w = img.readInt();
            if (n < 1 || h < 1 || w < 1 || (long) n * h * w > Integer.MAX_VALUE - 8) {
                throw new DataFormatException(images + ": the IDX header says " + n + " images of " + h + " x " + w
                        + " pixels, not a size gradtune can read (a corrupt file, or not an IDX images file)");
            }
            int labelMagic = lab.readInt();
            if (labelMagic != 2049) {
                throw new DataFormatException(labelsFile + ": IDX label magic is " + labelMagic + ", expected 2049");
            }
            int nl = lab.readInt();
            if (nl != n) {
                throw new DataFormatException(labelsFile + ": " + nl + " labels for " + n + " images in " + images);
            }
            int cols = h * w;
            byte[] pixels = new byte[n * cols];
            img.readFully(pixels);
            byte[] labelBytes = new byte[n];
            lab.readFully(labelBytes);
            float[] features = new float[pixels.length];
            for (int i = 0; i < pixels.length; i++) {
                features[i] = pixels[i] & 0xFF;
            }
            int[] labels = new int[n];
            int max = 0;
            for (int i = 0; i < n; i++) {
                labels[i] = labelBytes[i] & 0xFF;
                max = Math.max(max, labels[i]);
            }
            List<String> names = new ArrayList<>(cols);
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < w; c++) {
                    names.add("pixel_" + r + "_" + c);
                }
            }
            return new Table(names, features, labels, max + 1);
        } catch (IOException e) {
            throw new DataFormatException(images + ": cannot read IDX data: " + e.getMessage(), e);
        }
    }

    /**
     * The image size an IDX images file's header declares, {height, width}, without reading the pixels (the config
     * loader's {@code image_shape} for augmentation).
     */
    public static int[] imageSize(Path images) {
        try (DataInputStream img = open(images)) {
            int magic = img.readInt();
            if (magic != 2051) {
                throw new DataFormatException(images + ": IDX image magic is " + magic + ", expected 2051");
            }
            img.readInt();
            return new int[]{img.readInt(), img.readInt()};
        } catch (IOException e) {
            throw new DataFormatException(images + ": cannot read the IDX header: " + e.getMessage(), e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        if (file.toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new DataInputStream(in);
    }
}
