package io.gradtune.api;

import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Your own data, instead of a file gradtune reads: name the implementing class in a study's config
 * ({@code data: {class: com.acme.MyData}}) or pass it to the driver's Java builder ({@code StudyBuilder.data}). The
 * class needs a public no-arg constructor and must be on the driver's classpath (only the driver calls it). Naming a
 * class is an explicit choice to run its code; gradtune never loads a class named in a Kafka record or a run
 * directory ({@code resume} and {@code refit} ask for {@code --data-class} again).
 *
 * <p><b>What gradtune does with it.</b> The driver calls the factory once per study (and once more for
 * {@code validate}, {@code refit RUN_DIR}) and drains each split's iterator into in-memory arrays: those are the
 * study's data from then on, exactly like rows read from a file. They are broadcast once to each executor JVM; every
 * trial takes mini-batches of its own {@code batch_size} from them with its own seed. So:
 * <ul>
 *   <li>the iterator's own batch size only decides how the driver drains it: any size works;</li>
 *   <li>an iterator's pre-processor is applied by the iterator itself as it returns each {@code DataSet} (DL4J's
 *       iterators do this in {@code next()}): gradtune takes what {@code next()} returns as prepared data and never
 *       scales it ({@code data.scaling} must be absent or {@code none}, and {@code scaling} cannot be tuned);</li>
 *   <li>the data must fit in memory: at most {@code StudyData.MAX_VALUES} (100 million) feature values over the
 *       three splits.</li>
 * </ul>
 *
 * <p><b>Contract of every iterator.</b>
 * <ul>
 *   <li>Features of rank 2, {@code [examples, features]}, or rank 4, {@code [examples, channels, height, width]}
 *       (images): rank 4 examples are flattened in C order, so a network reads them with
 *       {@code InputType.convolutionalFlat(height, width, channels)} and {@link DataShape#numFeatures()} is
 *       {@code channels * height * width}. Rank 3 (sequences) is not supported yet. Every example of every split
 *       has the same shape. No NaN or infinite values. No feature or label masks.</li>
 *   <li>Labels one-hot, {@code [examples, classes]} with exactly one 1 per row (a classification; at least two
 *       classes, the same width in every split), or a single column {@code [examples, 1]} of numeric targets for
 *       {@code data.task: regression}.</li>
 *   <li>Deterministic: the same {@code seed} gives the same examples in the same order (gradtune records a SHA-256 of
 *       the drained arrays as the study's data provenance, so resume and nightly runs see when data changed).</li>
 *   <li>Train and validation must give at least one example each.</li>
 * </ul>
 */
public interface DataFactory {

    /**
     * The training examples.
     *
     * @param seed {@code data.seed} of the config (0 by default), for any shuffling or generation
     */
    DataSetIterator train(long seed);

    /** The validation examples: what every trial is scored on, epoch by epoch. */
    DataSetIterator validation(long seed);

    /**
     * Held-out test examples, scored once by the refit of the best trial after the search; {@code null} (the
     * default) when there are none, and then the study ends without a test figure.
     */
    default DataSetIterator test(long seed) {
        return null;
    }
}
