package io.gradtune.worker.train;

import io.gradtune.worker.data.DataLoader;
import io.gradtune.worker.data.PreparedData;
import io.gradtune.worker.model.HyperParameters;
import io.gradtune.worker.model.Networks;
import io.gradtune.worker.model.TrainableNetwork;
import io.gradtune.worker.protocol.DataSpec;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.protocol.TrialSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Augmentation in a real DL4J trial: {@code noise_std: 0} trains bit for bit as without it; noise and image
 * transforms change the training batches only (the validation figures are those of a clean forward pass of the
 * trained weights); the same seed gives the same trial.
 */
class TrialRunnerAugmentTest {

    @TempDir
    Path dir;

    @Test
    void zeroNoiseTrainsExactlyAsWithoutTheParameter() throws IOException {
        List<EpochMetrics> plain = records(TinyTrial.spec(dir, 3, Map.of("layers", 1, "units", 4)));
        List<EpochMetrics> zero = records(TinyTrial.spec(dir, 3, Map.of("layers", 1, "units", 4, "noise_std", 0.0,
                "augment", "none")));
        assertSameTraining(plain, zero);
    }

    @Test
    void noiseChangesTrainingBatchesButNotTheValidationPass() throws IOException {
        Map<String, Object> params = Map.of("layers", 1, "units", 4, "noise_std", 0.8);
        TrialSpec spec = TinyTrial.spec(dir, 2, params);
        List<EpochMetrics> noisy = records(spec);
        List<EpochMetrics> clean = records(TinyTrial.spec(dir, 2, Map.of("layers", 1, "units", 4)));
        assertNotEquals(clean.get(0).trainLoss(), noisy.get(0).trainLoss(), "noise changes the training batches");

        // The same trial's weights (TrialRunner.train: the loop of run, the same augmented batches), scored on the
        // clean validation rows, give exactly the validation figures the trial reported: no noise reached them.
        HyperParameters h = Networks.trainingParameters(params, null);
        PreparedData data = DataLoader.prepared(spec.data(), h.scaling());
        try (TrainableNetwork net = TrialRunner.train(null, params, h, data, 2, spec.seed(), null, () -> false);
             TrainableNetwork.Activations pass = net.inferencePass(data.valX())) {
            String out = net.layers().get(net.layers().size() - 1).key();
            Evaluation e = TrialRunner.evaluate(pass.byKey().get(out), data, 0);
            assertEquals(e.valLoss(), noisy.get(1).valLoss());
            assertEquals(e.valAccuracy(), noisy.get(1).valAccuracy());
        }
    }

    @Test
    void augmentedTrialsAreDeterministicPerSeed() throws IOException {
        Map<String, Object> params = Map.of("layers", 1, "units", 6, "noise_std", 0.2, "augment", "shift+flip",
                "augment_shift", 1, "image_shape", "4x4");
        List<EpochMetrics> a = records(imageSpec(params, 2));
        List<EpochMetrics> b = records(imageSpec(params, 2));
        assertSameTraining(a, b);
        List<EpochMetrics> plain = records(imageSpec(Map.of("layers", 1, "units", 6), 2));
        assertNotEquals(plain.get(0).trainLoss(), a.get(0).trainLoss(), "shifts and flips change the batches");
    }

    @Test
    void imageTransformsOnRowsThatAreNotTheDeclaredImageFailTheTrialSayingWhy() throws IOException {
        TrialSpec spec = TinyTrial.spec(dir, 1, Map.of("layers", 1, "units", 4, "augment", "flip"));
        TrialOutcome outcome = new TrialRunner(new TinyTrial.Recording()).run(spec, 1, () -> false);
        assertEquals(TrialOutcome.Status.FAILED, outcome.status());
        assertTrue(outcome.error().contains("needs image data"), outcome.error());
    }

    private static void assertSameTraining(List<EpochMetrics> a, List<EpochMetrics> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).trainLoss(), b.get(i).trainLoss(), "epoch " + (i + 1));
            assertEquals(a.get(i).valLoss(), b.get(i).valLoss(), "epoch " + (i + 1));
            for (int l = 0; l < a.get(i).layers().size(); l++) {
                assertEquals(a.get(i).layers().get(l).gradL2(), b.get(i).layers().get(l).gradL2());
                assertEquals(a.get(i).layers().get(l).weightL2(), b.get(i).layers().get(l).weightL2());
            }
        }
    }

    private static List<EpochMetrics> records(TrialSpec spec) {
        TinyTrial.Recording publisher = new TinyTrial.Recording();
        TrialOutcome outcome = new TrialRunner(publisher).run(spec, 1, () -> false);
        assertEquals(TrialOutcome.Status.COMPLETED, outcome.status(), String.valueOf(outcome.error()));
        return publisher.records;
    }

    /** 120 rows of a 4x4 "image", two classes: a bright left or right half. */
    private TrialSpec imageSpec(Map<String, Object> params, int epochs) throws IOException {
        Path file = dir.resolve("img.csv");
        if (!Files.exists(file)) {
            Random r = new Random(4);
            StringBuilder csv = new StringBuilder();
            for (int f = 0; f < 16; f++) {
                csv.append("p").append(f).append(',');
            }
            csv.append("label\n");
            for (int i = 0; i < 120; i++) {
                int label = i % 2;
                for (int f = 0; f < 16; f++) {
                    boolean lit = (f % 4 < 2) == (label == 0);
                    csv.append(r.nextGaussian() * 0.2 + (lit ? 1 : 0)).append(',');
                }
                csv.append(label).append('\n');
            }
            Files.writeString(file, csv);
        }
        return TrialSpec.of("s", "run-1", "t0001", new HashMap<>(params), epochs, 5,
                new DataSpec(file.toString(), "csv", "label", null, 0.6, 0.2, "minmax", 0), "unused:9092", "unused");
    }
}
