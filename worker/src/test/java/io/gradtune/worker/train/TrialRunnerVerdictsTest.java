package io.gradtune.worker.train;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.protocol.TrialSpec;
import io.gradtune.worker.protocol.Verdict;
import io.gradtune.worker.telemetry.Verdicts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * At its decision epochs, and only there, a trial waits for the driver's verdict on that epoch's record: a stop
 * verdict ends it before another mini-batch; no verdict, and it trains on.
 */
class TrialRunnerVerdictsTest {

    @TempDir
    Path dir;

    /** Answers from a script, by epoch; remembers which epochs were asked about. */
    private static final class Scripted implements Verdicts {
        final List<Integer> asked = new ArrayList<>();
        final int stopAt;

        Scripted(int stopAt) {
            this.stopAt = stopAt;
        }

        @Override
        public Verdict await(String runId, String trialId, int attempt, int epoch, Duration max, BooleanSupplier stop) {
            asked.add(epoch);
            if (stopAt < 0) {
                return null; // none came in time
            }
            return Verdict.of("s", runId, trialId, attempt, epoch, epoch == stopAt, epoch == stopAt ? "asha" : null);
        }
    }

    private TrialSpec spec() throws Exception {
        return TinyTrial.spec(dir, 10).withVerdicts("s.control", List.of(1, 3, 9));
    }

    @Test
    void aStopVerdictEndsTheTrialAtItsEpochBeforeAnotherMiniBatch() throws Exception {
        TinyTrial.Recording broker = new TinyTrial.Recording();
        Scripted verdicts = new Scripted(3);
        TrialOutcome o = new TrialRunner(broker).withVerdicts(verdicts).run(spec(), 0, () -> false);
        assertEquals(TrialOutcome.Status.INTERRUPTED, o.status(), String.valueOf(o.error()));
        assertEquals(List.of(1, 3), verdicts.asked);
        assertEquals(3, o.epochsRun());
        assertEquals(0, o.partialBatches(), "no mini-batch of epoch 4");
        assertTrue(o.batchesPerEpoch() > 0);
        assertEquals(List.of(1, 2, 3), broker.records.stream().map(EpochMetrics::epoch).toList());
    }

    @Test
    void withoutAVerdictTheTrialTrainsOnAndIsNeverAskedOutsideItsDecisionEpochs() throws Exception {
        TinyTrial.Recording broker = new TinyTrial.Recording();
        Scripted verdicts = new Scripted(-1);
        TrialOutcome o = new TrialRunner(broker).withVerdicts(verdicts).run(spec(), 0, () -> false);
        assertEquals(TrialOutcome.Status.COMPLETED, o.status(), String.valueOf(o.error()));
        assertEquals(List.of(1, 3, 9), verdicts.asked);
        assertEquals(10, o.epochsRun());
    }

    @Test
    void goOnVerdictsLetTheTrialRunItsBudget() throws Exception {
        TinyTrial.Recording broker = new TinyTrial.Recording();
        Scripted verdicts = new Scripted(0); // never stops: no decision epoch 0
        TrialOutcome o = new TrialRunner(broker).withVerdicts(verdicts).run(spec(), 0, () -> false);
        assertEquals(TrialOutcome.Status.COMPLETED, o.status(), String.valueOf(o.error()));
        assertEquals(10, broker.records.size());
    }
}
