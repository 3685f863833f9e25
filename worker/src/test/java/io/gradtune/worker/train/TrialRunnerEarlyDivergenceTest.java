package io.gradtune.worker.train;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.protocol.TrialSpec;
import io.gradtune.worker.stopping.DivergenceRule;
import io.gradtune.worker.stopping.TrialStopping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inside epoch 1, where a run at a huge rate breaks (issue 11, deliverable 2): once the training loss is no longer
 * finite the worker ends the epoch at that mini-batch rather than training the rest of it on NaN, and the divergence
 * rule stops the trial on that epoch's record.
 */
class TrialRunnerEarlyDivergenceTest {

    @TempDir
    Path dir;

    /** 36 training rows in mini-batches of 2: 18 per epoch. SGD at 1e30 overflows within the first few. */
    private TrialSpec diverging(boolean divergenceRule) throws Exception {
        TrialSpec spec = TinyTrial.spec(dir, 5, Map.of("layers", 3, "units", 8, "batch_size", 2,
                "optimizer", "sgd", "learning_rate", 1e30));
        TrialStopping rules = new TrialStopping("val_accuracy", true,
                divergenceRule ? DivergenceRule.Settings.defaults() : null, null, null, null);
        return spec.withStopping(rules.toSpec());
    }

    @Test
    void aNonFiniteLossEndsTheFirstEpochAtThatMiniBatch() throws Exception {
        TinyTrial.Recording broker = new TinyTrial.Recording();
        TrialOutcome outcome = new TrialRunner(broker).run(diverging(true), 0, () -> false);
        assertEquals(TrialOutcome.Status.COMPLETED, outcome.status(), String.valueOf(outcome.error()));
        assertEquals(1, outcome.epochsRun());
        assertEquals(1, broker.records.size());
        EpochMetrics first = broker.records.get(0);
        assertFalse(Double.isFinite(first.trainLoss()), "train loss " + first.trainLoss());
        assertEquals(18, outcome.batchesPerEpoch());
        assertTrue(first.batches() > 0 && first.batches() < 18, "mini-batches trained in epoch 1: " + first.batches());
    }

    @Test
    void withoutTheDivergenceRuleTheEpochRunsToItsEnd() throws Exception {
        TinyTrial.Recording broker = new TinyTrial.Recording();
        TrialOutcome outcome = new TrialRunner(broker).run(diverging(false), 0, () -> false);
        assertEquals(5, outcome.epochsRun());
        assertEquals(18, broker.records.get(0).batches());
    }
}
