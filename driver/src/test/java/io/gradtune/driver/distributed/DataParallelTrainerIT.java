package io.gradtune.driver.distributed;

import io.gradtune.driver.bench.DataParallelBenchmark;
import io.gradtune.driver.exec.SparkTrialExecutor;
import io.gradtune.worker.data.PreparedData;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data-parallel training in Spark {@code local[2]} on digits beyond {@link DataParallelTrainerTest}: a computation
 * graph ({@code SparkComputationGraph}) on the driver's own context, and a multi-layer network on a context with
 * Kryo and ND4J's registrator ({@link DataParallelTrainer#KRYO_PROPERTIES}). One epoch each: that they train.
 */
class DataParallelTrainerIT {

    private static final long SEED = 7;
    private static PreparedData digits;

    @BeforeAll
    static void readDigits() {
        digits = DataParallelBenchmark.prepare(Path.of("../data/digits.csv"), "label", SEED);
    }

    @Test
    void aComputationGraphTrainsDataParallel() {
        try (SparkTrialExecutor spark = new SparkTrialExecutor("local[2]", "data-parallel-graph-test", Map.of())) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            ComputationGraph graph = graph(digits.numFeatures(), digits.numClasses());
            INDArray initial = graph.params().dup();
            List<EpochStats> graphEpochs = new ArrayList<>();
            ComputationGraph trainedGraph = DataParallelTrainer.train(sc, graph, digits.trainX(), digits.trainY(),
                    DataParallelSettings.of(2, 32, 1, SEED), (stats, averaged) -> graphEpochs.add(stats));
            assertNotEquals(initial, trainedGraph.params());
            assertEquals(1, graphEpochs.size());
            assertEquals(List.of("hidden", "out"), graphEpochs.get(0).layers().stream().map(LayerUpdate::layer).toList(),
                    "graph layers by vertex name");
            double graphAccuracy = accuracy(trainedGraph.outputSingle(digits.valX()), digits.valLabels());
            assertTrue(graphAccuracy > 0.5, "graph validation accuracy " + graphAccuracy);
        }
    }

    @Test
    void kryoWithNd4jsRegistratorWorks() {
        Map<String, String> kryo = new HashMap<>(DataParallelTrainer.KRYO_PROPERTIES);
        try (SparkTrialExecutor spark = new SparkTrialExecutor("local[2]", "data-parallel-kryo-test", kryo)) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            MultiLayerNetwork trained = DataParallelTrainer.train(sc,
                    DataParallelBenchmark.network(digits.numFeatures(), digits.numClasses(), List.of(64), SEED),
                    digits, DataParallelSettings.of(2, 32, 1, SEED), DataParallelTrainer.EpochListener.NONE);
            double accuracy = DataParallelBenchmark.accuracy(trained, digits.valX(), digits.valLabels());
            assertTrue(accuracy > 0.5, "validation accuracy " + accuracy);
        }
    }

    private static ComputationGraph graph(int inputs, int classes) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED).updater(new Adam(5e-3))
                .weightInit(WeightInit.XAVIER).graphBuilder()
                .addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(inputs).nOut(64).activation(Activation.RELU).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(64).nOut(classes)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("out").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    private static double accuracy(INDArray output, int[] labels) {
        INDArray predicted = output.argMax(1);
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            right += predicted.getInt(i) == labels[i] ? 1 : 0;
        }
        return (double) right / labels.length;
    }
}
