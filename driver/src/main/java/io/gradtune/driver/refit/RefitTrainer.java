package io.gradtune.driver.refit;

import io.gradtune.driver.distributed.DataParallelSettings;
import io.gradtune.driver.distributed.DataParallelTrainer;
import io.gradtune.worker.data.PreparedData;
import io.gradtune.worker.model.HyperParameters;
import io.gradtune.worker.model.PortableModel;
import io.gradtune.worker.model.TrainableNetwork;
import io.gradtune.worker.protocol.FineTuneSpec;
import io.gradtune.worker.train.TrialRunner;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * How a refit trains the best trial's network on train + validation ({@code refit.mode}): in this JVM with the
 * workers' own loop ({@link #LOCAL}), or data-parallel over the Spark application's executors with dl4j-spark
 * ({@link #spark}). Either way the result is a plain DL4J model ({@link PortableModel}: DL4J's own layer classes).
 */
@FunctionalInterface
public interface RefitTrainer {

    /**
     * @param modelClass the user's model factory, or null for gradtune's network
     * @param fineTune   the study's fine-tuning ({@code model.init_from}), or null
     * @param params     the trial's parameters
     * @param h          gradtune's reading of them ({@code Networks.trainingParameters})
     * @param rates learning rate per epoch the trial trained with (replayed under {@code lr_schedule: plateau} by the
     *              local trainer); may be null
     * @param stop  polled between epochs
     * @return the trained network as a plain DL4J model
     */
    Model train(String modelClass, FineTuneSpec fineTune, Map<String, ?> params, HyperParameters h, PreparedData data, int epochs, long seed,
                double[] rates, BooleanSupplier stop);

    /** {@code refit.mode: local}: {@link TrialRunner#train}, the mini-batch order and updates a trial would take. */
    RefitTrainer LOCAL = (modelClass, fineTune, params, h, data, epochs, seed, rates, stop) -> {
        TrainableNetwork net = TrialRunner.train(modelClass, fineTune, params, h, data, epochs, seed, rates,
                stop);
        try {
            return PortableModel.of(net);
        } finally {
            net.close();
        }
    };

    /**
     * {@code refit.mode: spark}: the trial's network, with the same initial weights, trained by
     * {@link DataParallelTrainer} (parameter averaging): {@code workers} partitions of the rows, each fitting mini-batches
     * of the trial's batch size, averaged every {@code averagingFrequency} mini-batches. Not the local loop's updates
     * (the effective batch is {@code workers} times larger and the updater state is averaged), so the figure differs
     * from a local refit's; reduce-on-plateau keeps its first rate (no validation loss to reduce on).
     */
    static RefitTrainer spark(JavaSparkContext sc, int workers, int averagingFrequency) {
        return (modelClass, fineTune, params, h, data, epochs, seed, rates, stop) -> {
            Model initial;
            TrainableNetwork net = TrialRunner.untrained(modelClass, fineTune, params, h, data, seed);
            try {
                initial = PortableModel.of(net);
            } finally {
                net.close();
            }
            DataParallelSettings settings = new DataParallelSettings(workers, h.batchSize(), epochs,
                    averagingFrequency, seed);
            DataParallelTrainer.EpochListener listener = (stats, averaged) -> {
                if (stop.getAsBoolean()) {
                    throw new IllegalStateException("refit stopped after epoch " + stats.epoch() + " of " + epochs);
                }
            };
            if (initial instanceof MultiLayerNetwork mln) {
                return DataParallelTrainer.train(sc, mln, data.trainX(), data.trainY(), settings, listener);
            }
            return DataParallelTrainer.train(sc, (ComputationGraph) initial, data.trainX(), data.trainY(), settings,
                    listener);
        };
    }
}
