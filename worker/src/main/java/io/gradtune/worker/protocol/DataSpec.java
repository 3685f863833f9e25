package io.gradtune.worker.protocol;

/**
 * Where a trial's data lives and how to split and scale it. Every worker derives the same split from it.
 *
 * @param path          file path readable by every executor (a shared path on a cluster)
 * @param format        {@code csv}, {@code csv.gz} is read as csv; {@code idx} for MNIST-format files
 * @param labelColumn   name of the class label column (csv)
 * @param valPath       optional separate validation file; when set, no split of {@code path} happens for validation
 * @param trainFraction fraction of rows for training when splitting
 * @param valFraction   fraction of rows for validation when splitting (the rest is the test part)
 * @param scaling       {@code standard}, {@code minmax} or {@code none}; fitted on the training part only
 * @param splitSeed     seed of the stratified split
 */
public record DataSpec(
        String path,
        String format,
        String labelColumn,
        String valPath,
        double trainFraction,
        double valFraction,
        String scaling,
        long splitSeed) {
}
