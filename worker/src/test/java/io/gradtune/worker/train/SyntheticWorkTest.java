package io.gradtune.worker.train;

import io.gradtune.worker.protocol.TrialOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Synthetic trials ({@code bench overhead}): records as a real trial's, no network, timestamps kept. */
class SyntheticWorkTest {

    @AfterEach
    void off() {
        System.clearProperty(SyntheticWork.PROPERTY);
        SyntheticWork.drain();
    }

    @Test
    void publishesOneRecordPerEpochAndKeepsTheAttemptsTimestamps(@TempDir Path dir) throws Exception {
        System.setProperty(SyntheticWork.PROPERTY, "5");
        SyntheticWork.drain();
        TinyTrial.Recording broker = new TinyTrial.Recording();
        TrialOutcome outcome = new TrialRunner(broker).run(TinyTrial.spec(dir, 3), 0, () -> false);
        assertEquals(TrialOutcome.Status.COMPLETED, outcome.status());
        assertEquals(3, broker.records.size());
        assertEquals(List.of(1, 2, 3), broker.records.stream().map(m -> m.epoch()).toList());
        assertEquals(0, outcome.numParams(), "no network was built");
        List<SyntheticWork.Timing> t = SyntheticWork.drain();
        assertEquals(1, t.size());
        assertTrue(t.get(0).endNanos() > t.get(0).firstWorkNanos() && t.get(0).firstWorkNanos() > 0);
    }

    @Test
    void aStopRequestEndsTheTrialInterrupted(@TempDir Path dir) throws Exception {
        System.setProperty(SyntheticWork.PROPERTY, "5");
        TinyTrial.Recording broker = new TinyTrial.Recording();
        TrialOutcome outcome = new TrialRunner(broker).run(TinyTrial.spec(dir, 3), 0, () -> true);
        assertEquals(TrialOutcome.Status.INTERRUPTED, outcome.status());
    }
}
