package io.gradtune.driver.distributed;

import io.gradtune.worker.data.PreparedData;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Trains one DL4J network data-parallel on a Spark context with dl4j-spark: the training rows are cut into
 * mini-batches on the driver, spread over {@link DataParallelSettings#workers()} partitions, and trained by a
 * {@link ParameterAveragingTrainingMaster} ({@link RDDTrainingApproach#Direct}: the mini-batches travel in Spark's
 * own RDD, no export directory, so no shared file system is needed). Each worker fits
 * {@link DataParallelSettings#averagingFrequency()} mini-batches on its copy of the network, then the driver
 * averages the copies' parameters and updater state and broadcasts the average for the next round.
 *
 * <p>Parameter averaging rather than dl4j-spark's shared-gradients {@code SharedTrainingMaster}: that one needs the
 * parameter-server module (another dependency, at M2 only), a UDP port on every executor reachable from every
 * other, and a network mask to pick the interface, none of which a study's cluster is asked to provide today; its
 * advantage (less traffic per step on large networks) does not show on the networks gradtune trains. See
 * docs/data-parallel.md.
 *
 * <p>Works with the study's Spark context as the driver builds it (Java serialization: gradtune sets no
 * {@code spark.serializer}) and with Kryo, provided Kryo has ND4J's registrator ({@link #KRYO_PROPERTIES}).
 *
 * <p>After each epoch the listener gets the averaged network and {@link EpochStats} from the parameters before
 * and after the epoch. The network passed in is the starting point and is trained in place; the returned network
 * is the trained one (the same object for a multi-layer network in dl4j-spark M2; use the return value).
 */
public final class DataParallelTrainer {

    /** The Spark properties for Kryo with ND4J's arrays (dl4j-spark's own requirement when Kryo is on). */
    public static final Map<String, String> KRYO_PROPERTIES = Map.of(
            "spark.serializer", "org.apache.spark.serializer.KryoSerializer",
            "spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator");

    /**
     * How the training master keeps the mini-batches between epochs and rounds: serialized in memory (dl4j-spark's
     * default), a fraction of deserialized ND4J objects' footprint on the executors' heaps.
     */
    static final StorageLevel STORAGE_LEVEL = StorageLevel.MEMORY_ONLY_SER();

    /** Told after every epoch; called on the thread that called {@code train}. */
    @FunctionalInterface
    public interface EpochListener {
        /**
         * @param stats    the epoch's per-layer statistics
         * @param averaged the network holding the averaged parameters after the epoch; read it, do not train it
         */
        void epochEnded(EpochStats stats, Model averaged);

        /** A listener that does nothing. */
        EpochListener NONE = (stats, averaged) -> { };
    }

    private DataParallelTrainer() {
    }

    /** As {@link #train(JavaSparkContext, MultiLayerNetwork, INDArray, INDArray, DataParallelSettings, EpochListener)} on the training part of {@code data}. */
    public static MultiLayerNetwork train(JavaSparkContext sc, MultiLayerNetwork network, PreparedData data,
                                          DataParallelSettings settings, EpochListener listener) {
        return train(sc, network, data.trainX(), data.trainY(), settings, listener);
    }

    /**
     * Trains a multi-layer network data-parallel ({@link SparkDl4jMultiLayer}).
     *
     * @param features rows x features
     * @param labels   rows x outputs (one-hot for classification)
     * @return the trained network
     */
    public static MultiLayerNetwork train(JavaSparkContext sc, MultiLayerNetwork network, INDArray features,
                                          INDArray labels, DataParallelSettings settings, EpochListener listener) {
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, network, trainingMaster(settings));
        return (MultiLayerNetwork) run(sc, features, labels, settings, listener, spark::fit, spark::getNetwork,
                () -> spark.getTrainingMaster().deleteTempFiles(sc));
    }

    /** Trains a computation graph (one input, one output) data-parallel ({@link SparkComputationGraph}). */
    public static ComputationGraph train(JavaSparkContext sc, ComputationGraph network, INDArray features,
                                         INDArray labels, DataParallelSettings settings, EpochListener listener) {
        SparkComputationGraph spark = new SparkComputationGraph(sc, network, trainingMaster(settings));
        return (ComputationGraph) run(sc, features, labels, settings, listener, spark::fit, spark::getNetwork,
                () -> spark.getTrainingMaster().deleteTempFiles(sc));
    }

    private static Model run(JavaSparkContext sc, INDArray features, INDArray labels, DataParallelSettings settings,
                             EpochListener listener, Function<JavaRDD<DataSet>, Model> fit,
                             Supplier<Model> current, Runnable cleanUp) {
        if (features.rows() != labels.rows()) {
            throw new IllegalArgumentException("features have " + features.rows() + " rows but labels "
                    + labels.rows());
        }
        JavaRDD<DataSet> batches = miniBatches(sc, features, labels, settings.batchSizePerWorker(),
                settings.workers());
        try {
            Model model = current.get();
            for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
                Map<String, INDArray> before = EpochStats.snapshot(model.paramTable());
                long start = System.nanoTime();
                model = fit.apply(batches);
                double seconds = (System.nanoTime() - start) / 1e9;
                listener.epochEnded(EpochStats.between(epoch, before, model.paramTable(), seconds), model);
            }
            return model;
        } finally {
            batches.unpersist(false);
            cleanUp.run();
        }
    }

    /**
     * The training rows as one {@link DataSet} per mini-batch of {@code batchSize} rows (the last may be
     * smaller), in row order, over {@code partitions} partitions. Not persisted here: the training master
     * persists its input itself (at {@link #STORAGE_LEVEL}) and rejects an RDD persisted at another level.
     */
    static JavaRDD<DataSet> miniBatches(JavaSparkContext sc, INDArray features, INDArray labels, int batchSize,
                                        int partitions) {
        long rows = features.rows();
        List<DataSet> out = new ArrayList<>();
        for (long from = 0; from < rows; from += batchSize) {
            long to = Math.min(rows, from + batchSize);
            out.add(new DataSet(features.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup(),
                    labels.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup()));
        }
        return sc.parallelize(out, partitions);
    }

    /** dl4j-spark's parameter-averaging master for the settings: Direct RDD training, no training statistics. */
    static ParameterAveragingTrainingMaster trainingMaster(DataParallelSettings s) {
        return new ParameterAveragingTrainingMaster.Builder(s.workers(), s.batchSizePerWorker())
                .batchSizePerWorker(s.batchSizePerWorker())
                .averagingFrequency(s.averagingFrequency())
                .workerPrefetchNumBatches(0)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .rngSeed(s.seed())
                .storageLevel(STORAGE_LEVEL)
                .collectTrainingStats(false)
                .build();
    }
}
