package io.gradtune.worker.train;

import io.gradtune.worker.model.UserModelFixtures;
import io.gradtune.worker.protocol.DataSpec;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.protocol.TrialSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A trial of a user's model class trains on DL4J's standard path and reports every weight-carrying layer. */
class TrialRunnerUserModelTest {

    @TempDir
    Path dir;

    @Test
    void aUserCnnStreamsStatisticsOfItsConvBatchNormDenseAndOutputLayers() throws IOException {
        List<EpochMetrics> records = run(UserModelFixtures.TinyCnn.class.getName(), Map.of("filters", 4, "lr", 0.01,
                "batch_size", 16));
        LayerStats conv = records.get(records.size() - 1).layers().get(0);
        assertNotNull(conv.deadFraction(), "relu convolution: dead units counted per channel and position");
        assertEquals(List.of("conv", "batchnorm", "dense", "output"), kinds(records));
    }

    @Test
    void aUserGraphStreamsStatisticsOfItsLayers() throws IOException {
        List<EpochMetrics> records = run(UserModelFixtures.TinyGraph.class.getName(), Map.of("units", 6));
        assertEquals(List.of("dense", "batchnorm", "output"), kinds(records));
    }

    private List<EpochMetrics> run(String modelClass, Map<String, Object> params) throws IOException {
        TrialSpec spec = TrialSpec.of("s", "run-1", "t0001", params, 3, 5,
                new DataSpec(data().toString(), "csv", "label", null, 0.6, 0.2, "standard", 0), "unused:9092", "unused")
                .withModelClass(modelClass);
        TinyTrial.Recording publisher = new TinyTrial.Recording();
        TrialOutcome outcome = new TrialRunner(publisher).run(spec, 1, () -> false);
        assertEquals(TrialOutcome.Status.COMPLETED, outcome.status(), String.valueOf(outcome.error()));
        assertEquals(3, publisher.records.size());
        for (EpochMetrics r : publisher.records) {
            for (LayerStats l : r.layers()) {
                assertTrue(l.gradL2() > 0 && Double.isFinite(l.gradL2()), l.toString());
                assertTrue(l.updateRatio() > 0 && Double.isFinite(l.updateRatio()), l.toString());
                assertTrue(l.weightL2() > 0, l.toString());
                assertTrue(l.activationStd() >= 0, l.toString());
            }
        }
        assertTrue(outcome.valAccuracy() > 0.5, "three well separated classes: " + outcome.valAccuracy());
        return publisher.records;
    }

    private static List<String> kinds(List<EpochMetrics> records) {
        return records.get(0).layers().stream().map(LayerStats::kind).toList();
    }

    /** 150 rows of 16 "pixels" (a 4x4 image), three classes that light up different quarters. */
    private Path data() throws IOException {
        Random r = new Random(3);
        StringBuilder csv = new StringBuilder();
        for (int f = 0; f < 16; f++) {
            csv.append("p").append(f).append(',');
        }
        csv.append("label\n");
        for (int i = 0; i < 150; i++) {
            int label = i % 3;
            for (int f = 0; f < 16; f++) {
                boolean lit = (f / 4 < 2) == (label == 0) && (f % 4 < 2) == (label != 2);
                csv.append(r.nextGaussian() * 0.3 + (lit ? 1 : 0)).append(',');
            }
            csv.append(label).append('\n');
        }
        Path data = dir.resolve("img.csv");
        Files.writeString(data, csv);
        return data;
    }

}
