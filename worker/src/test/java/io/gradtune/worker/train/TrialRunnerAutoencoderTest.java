package io.gradtune.worker.train;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.protocol.TrialSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real trial with an autoencoder front end: it trains, its records carry the encoder as a frozen dense layer (or a
 * training one when fine-tuned), and the same seed trains the same trial.
 */
class TrialRunnerAutoencoderTest {

    @TempDir
    Path dir;

    @Test
    void aTrialWithAFrozenEncoderStreamsItAsAFrozenDenseLayer() throws IOException {
        List<EpochMetrics> a = run(false);
        LayerStats encoder = a.get(0).layers().get(0);
        assertEquals("dense", encoder.kind());
        assertTrue(encoder.frozenLayer(), encoder.toString());
        assertEquals(List.of("dense", "dense", "output"), a.get(0).layers().stream().map(LayerStats::kind).toList());
        assertEquals(a.get(0).layers().get(0).weightL2(), a.get(a.size() - 1).layers().get(0).weightL2(),
                "a frozen encoder keeps its weights");
        List<EpochMetrics> b = run(false);
        assertEquals(a.get(a.size() - 1).valLoss(), b.get(b.size() - 1).valLoss(), "seeded");
    }

    @Test
    void aFineTunedEncoderTrainsInTheTrial() throws IOException {
        List<EpochMetrics> r = run(true);
        assertTrue(!r.get(0).layers().get(0).frozenLayer());
        assertNotEquals(r.get(0).layers().get(0).weightL2(), r.get(r.size() - 1).layers().get(0).weightL2());
    }

    private List<EpochMetrics> run(boolean finetune) throws IOException {
        TrialSpec spec = TinyTrial.spec(dir, 3, Map.of("layers", 1, "units", 4, "autoencoder_units", 3,
                "autoencoder_finetune", finetune, "batch_size", 8));
        TinyTrial.Recording publisher = new TinyTrial.Recording();
        TrialOutcome outcome = new TrialRunner(publisher).run(spec, 1, () -> false);
        assertEquals(TrialOutcome.Status.COMPLETED, outcome.status(), String.valueOf(outcome.error()));
        assertEquals(3, publisher.records.size());
        return publisher.records;
    }
}
