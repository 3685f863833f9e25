package io.gradtune.driver.distributed;

import io.gradtune.driver.bench.DataParallelBenchmark;
import io.gradtune.driver.exec.SparkTrialExecutor;
import io.gradtune.worker.data.PreparedData;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real data-parallel training in Spark {@code local[2]} on the shipped digits (10 classes, chance 0.1), on a Spark
 * context built exactly as the driver builds a study's ({@link SparkTrialExecutor}: Java serialization). The
 * computation graph and Kryo: {@link DataParallelTrainerIT}.
 */
class DataParallelTrainerTest {

    private static final long SEED = 7;
    private static PreparedData digits;

    @BeforeAll
    static void readDigits() {
        digits = DataParallelBenchmark.prepare(Path.of("../data/digits.csv"), "label", SEED);
    }

    /**
     * Three epochs, averaging every 10 mini-batches: two averaging rounds per epoch (1078 training rows, 2 x 32 x 10
     * rows a round), to keep the test short.
     */
    @Test
    void twoWorkersTrainAnMlpOnTheStudysSparkContext() {
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
                    new DataParallelSettings(2, 32, 3, 10, SEED), (stats, averaged) -> {
                        epochs.add(stats);
                        seen.add(averaged);
                    });
            double accuracy = DataParallelBenchmark.accuracy(trained, digits.valX(), digits.valLabels());
            System.out.println("data-parallel test: validation accuracy " + accuracy + ", epochs " + epochs);
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

        }
    }

}
