package io.gradtune.api;

/**
 * Your own network, tuned by gradtune: name the implementing class in a study's config
 * ({@code model: {class: com.acme.MyNet}}) or pass it to the driver's Java builder ({@code StudyBuilder.model}), and
 * every trial builds its network through {@link #build}. The class needs a public no-arg constructor and must be on the
 * classpath of the driver and of the executors (on a cluster: in a jar passed with {@code --jars}). Naming a class
 * is an explicit choice to run its code; gradtune never loads a class named in a Kafka record or a run directory.
 *
 * <p>gradtune trains the network with DL4J's standard {@code fit} on mini-batches of {@code training.batch_size}
 * rows for {@code training.epochs} epochs, applies its stopping rules, and streams per-layer gradient, update and
 * activation statistics of every weight-carrying layer (dense, convolution, LSTM, batch normalization, output). The
 * updater, learning rate, regularization and everything else about the network are the factory's: read them from
 * {@code params}.
 *
 * <p>Implementations must be deterministic for a given {@code params} and {@code seed} (pass the seed to
 * {@code NeuralNetConfiguration.Builder.seed}) and thread-safe (an executor builds several trials' networks at once;
 * a stateless class is).
 */
public interface ModelFactory {

    /**
     * The network of one trial.
     *
     * @param params the trial's parameter assignment
     * @param shape  the data's shape: the input layer takes {@code shape.numFeatures()} values per row (for images
     *               use {@code InputType.convolutionalFlat}), the output layer has {@code shape.numClasses()} units
     * @param seed   the trial's seed, for the network's initial weights
     */
    NetworkConfig build(Params params, DataShape shape, long seed);
}
