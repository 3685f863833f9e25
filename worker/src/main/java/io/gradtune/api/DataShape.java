package io.gradtune.api;

/**
 * The shape of a study's data as a network sees it: every row arrives as a flat vector of {@code numFeatures}
 * floats (scaled as the config says) and its label as one of {@code numClasses} classes (one-hot). Image data
 * (the IDX files, or a CSV of pixels) is flat too: a convolutional network declares
 * {@code InputType.convolutionalFlat(height, width, channels)} with {@code height * width * channels == numFeatures},
 * and DL4J reshapes the rows. Data from a {@link DataFactory} arrives the same way: its examples as the iterators gave
 * them (never scaled), rank-4 image examples flattened in C order, so {@code convolutionalFlat} reads them back.
 *
 * @param numFeatures values per row
 * @param numClasses  classes of the label (the output layer's size)
 */
public record DataShape(int numFeatures, int numClasses) {
    public DataShape {
        if (numFeatures < 1 || numClasses < 2) {
            throw new IllegalArgumentException("data shape " + numFeatures + " features, " + numClasses
                    + " classes: expected at least 1 feature and 2 classes");
        }
    }
}
