package io.gradtune.driver.distributed;

import io.gradtune.driver.exec.SparkTrialExecutor;
import io.gradtune.driver.testing.TestModels;
import io.gradtune.worker.protocol.DataSpec;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.protocol.TrialSpec;
import io.gradtune.worker.telemetry.MetricsPublisher;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DataParallelTrial} on real dl4j-spark (Spark local[2]) with users' model classes: a convolutional network
 * with batch normalization (conv activations flattened per example for the activation figures) and a computation
 * graph ({@code SparkComputationGraph}); a stop flag ends the trial INTERRUPTED after the epoch it is raised in. The
 * records go to an in-memory publisher here (the Kafka path is {@code DataParallelTrialIT}'s).
 */
class DataParallelTrialTest {

    @TempDir
    Path dir;

    /** Every record sent, in order. */
    private static final class Recorded implements MetricsPublisher {
        final List<EpochMetrics> records = new CopyOnWriteArrayList<>();

        @Override
        public void publish(EpochMetrics metrics) {
            records.add(metrics);
        }

        @Override
        public void flush() {
        }
    }

    private TrialSpec spec(String modelClass, Map<String, Object> params, int epochs) throws IOException {
        Path images = TestModels.images(dir.resolve("img.csv"), 60);
        return TrialSpec.of("s", "r", "t0001", params, epochs, 5,
                new DataSpec(images.toString(), "csv", "label", null, 0.6, 0.2, "standard", 0), null, null)
                .withModelClass(modelClass);
    }

    @Test
    void userModelsTrainDataParallelAndReportEveryWeightLayer() throws IOException {
        try (SparkTrialExecutor spark = new SparkTrialExecutor("local[2]", "data-parallel-trial-test", Map.of())) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());

            Recorded cnn = new Recorded();
            TrialOutcome o = new DataParallelTrial(sc, 2, 5, cnn, null).run(spec(TestModels.TinyCnn.class.getName(),
                    Map.of("filters", 2, "lr", 1e-2, "batch_size", 12), 2), () -> false);
            assertEquals(TrialOutcome.Status.COMPLETED, o.status(), String.valueOf(o.error()));
            assertEquals(2, o.epochsRun());
            assertEquals(2, cnn.records.size());
            EpochMetrics last = cnn.records.get(1);
            assertEquals(List.of("conv", "batchnorm", "dense", "output"),
                    last.layers().stream().map(LayerStats::kind).toList(), last.toString());
            for (LayerStats l : last.layers()) {
                assertTrue(l.allFinite() && l.weightL2() > 0 && l.updateRatio() > 0, l.toString());
                assertNotNull(l.activationStd(), "activation figures for every layer: " + l);
            }
            assertNotNull(last.layers().get(0).deadFraction(), "relu conv: dead units counted per flattened output");
            assertEquals(DataParallelTrial.EXECUTOR_ID, last.executorId());

            Recorded graph = new Recorded();
            TrialOutcome g = new DataParallelTrial(sc, 2, 5, graph, null).run(spec(TestModels.TinyGraph.class.getName(),
                    Map.of("units", 8, "batch_size", 12), 1), () -> false);
            assertEquals(TrialOutcome.Status.COMPLETED, g.status(), String.valueOf(g.error()));
            assertEquals(List.of("hidden", "bn", "out"),
                    graph.records.get(0).layers().stream().map(LayerStats::name).toList());

            Recorded stopped = new Recorded();
            TrialOutcome s = new DataParallelTrial(sc, 2, 5, stopped, null).run(spec(TestModels.TinyGraph.class.getName(),
                    Map.of("units", 8, "batch_size", 12), 3), () -> !stopped.records.isEmpty());
            assertEquals(TrialOutcome.Status.INTERRUPTED, s.status());
            assertEquals(1, s.epochsRun());
            assertEquals(1, stopped.records.size(), "no epoch after the stop");
        }
    }
}
