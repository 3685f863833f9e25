package io.gradtune.driver.distributed;

import io.gradtune.driver.bench.DataParallelBenchmark;
import io.gradtune.driver.exec.SparkTrialExecutor;
import io.gradtune.worker.data.PreparedData;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real data-parallel training in Spark {@code local[2]} on the shipped digits (10 classes, chance 0.1), on a Spark
 * context built exactly as the driver builds a study's ({@link SparkTrialExecutor}: Java serialization), and on one
 * with Kryo and ND4J's registrator.
 */
class DataParallelTrainerTest {

    private static final long SEED = 7;
    private static PreparedData digits;

    @BeforeAll
    static void readDigits() {
        digits = DataParallelBenchmark.prepare(Path.of("../data/digits.csv"), "label", SEED);
    }

    @Test
    void twoWorkersTrainAnMlpAndAGraphOnTheStudysSparkContext() {
        try (SparkTrialExecutor spark = new SparkTrialExecutor("local[2]", "data-parallel-test", Map.of())) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            assertEquals("org.apache.spark.serializer.JavaSerializer",
                    sc.getConf().get("spark.serializer", "org.apache.spark.serializer.JavaSerializer"),
                    "the driver's context sets no serializer");

            MultiLayerNetwork mlp = DataParallelBenchmark.network(digits.numFeatures(), digits.numClasses(),
                    List.of(64), SEED);
            List<EpochStats> epochs = Collections.synchronizedList(new ArrayList<>());
            List<Model> seen = new ArrayList<>();
            MultiLayerNetwork trained = DataParallelTrainer.train(sc, mlp, digits,
                    DataParallelSettings.of(2, 32, 3, SEED), (stats, averaged) -> {
                        epochs.add(stats);
                        seen.add(averaged);
                    });
            double accuracy = DataParallelBenchmark.accuracy(trained, digits.valX(), digits.valLabels());
            assertTrue(accuracy > 0.8, "validation accuracy " + accuracy + " (chance 0.1)");
            assertEquals(List.of(1, 2, 3), epochs.stream().map(EpochStats::epoch).toList(), "one call per epoch");
            for (EpochStats s : epochs) {
                assertEquals(List.of("0", "1"), s.layers().stream().map(LayerUpdate::layer).toList());
                assertTrue(s.isFinite(), s.toString());
                assertTrue(s.layers().stream().allMatch(l -> l.weightL2() > 0 && l.updateRatio() > 0), s.toString());
            }
            assertTrue(epochs.get(0).layers().get(0).updateRatio() > epochs.get(2).layers().get(0).updateRatio(),
                    "the first epoch moves the weights most: " + epochs);
            assertEquals(trained.params(), ((MultiLayerNetwork) seen.get(2)).params(),
                    "the last epoch's averaged network is the result");

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
