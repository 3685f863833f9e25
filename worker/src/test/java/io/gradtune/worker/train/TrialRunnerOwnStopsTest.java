package io.gradtune.worker.train;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.protocol.TrialSpec;
import io.gradtune.worker.stopping.ExplodingGradientsRule;
import io.gradtune.worker.stopping.PlateauRule;
import io.gradtune.worker.stopping.TrialStopping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The worker applies the study's per-trial rules to its own curve and ends the trial at the epoch a rule fires: not
 * one mini-batch later, and without waiting for the driver (issue 11: a stop decided at epoch 2 took effect at
 * epoch 6 on a tiny dataset, while the record travelled to the driver and the cancel came back).
 */
class TrialRunnerOwnStopsTest {

    @TempDir
    Path dir;

    private TrialSpec spec(int epochs, TrialStopping stopping) throws Exception {
        TrialSpec spec = TinyTrial.spec(dir, epochs);
        return stopping == null ? spec : spec.withStopping(stopping.toSpec());
    }

    private static TrialStopping only(ExplodingGradientsRule.Settings exploding, PlateauRule.Settings plateau) {
        return new TrialStopping("val_accuracy", true, null, exploding, null, plateau);
    }

    @Test
    void aPlateauEndsTheTrialAtTheEpochItIsDecided() throws Exception {
        TinyTrial.Recording broker = new TinyTrial.Recording();
        // no gain of more than a whole accuracy point is possible: the plateau fires as soon as it can, at epoch 3
        TrialOutcome outcome = new TrialRunner(broker).run(spec(30, only(null, new PlateauRule.Settings(2, 1.0))), 0,
                () -> false);
        assertEquals(TrialOutcome.Status.COMPLETED, outcome.status(), String.valueOf(outcome.error()));
        assertEquals(3, outcome.epochsRun());
        assertEquals(List.of(1, 2, 3), broker.records.stream().map(EpochMetrics::epoch).toList());
    }

    @Test
    void aGradientPruneEndsTheTrialAfterItsFirstEpoch() throws Exception {
        TinyTrial.Recording broker = new TinyTrial.Recording();
        TrialOutcome outcome = new TrialRunner(broker).run(
                spec(30, only(new ExplodingGradientsRule.Settings(1e-12, 2, 3), null)), 0, () -> false);
        assertEquals(TrialOutcome.Status.COMPLETED, outcome.status(), String.valueOf(outcome.error()));
        assertEquals(1, outcome.epochsRun());
        assertEquals(1, broker.records.size());
    }

    @Test
    void withoutRulesTheTrialRunsItsBudget() throws Exception {
        TinyTrial.Recording broker = new TinyTrial.Recording();
        TrialOutcome outcome = new TrialRunner(broker).run(spec(4, null), 0, () -> false);
        assertEquals(TrialOutcome.Status.COMPLETED, outcome.status(), String.valueOf(outcome.error()));
        assertEquals(4, outcome.epochsRun());
        assertEquals(4, broker.records.size());
    }
}
