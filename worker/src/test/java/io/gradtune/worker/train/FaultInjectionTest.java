package io.gradtune.worker.train;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.protocol.TrialSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The test-only fault: chosen attempts fail inside the epoch loop after the chosen epoch; others train. */
class FaultInjectionTest {

    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        System.clearProperty(FaultInjection.PROPERTY);
    }

    @Test
    void theFirstAttemptFailsAfterItsSecondEpochAndTheSecondTrainsThrough() throws Exception {
        TrialSpec spec = TinyTrial.spec(dir, 3);
        System.setProperty(FaultInjection.PROPERTY, FaultInjection.fault("t0001", 1, 2) + ",t0009=5@0");
        TinyTrial.Recording first = new TinyTrial.Recording();
        TrialOutcome o0 = new TrialRunner(first).run(spec, new TaskAttempt(0, "1", "h1", 0), () -> false);
        assertEquals(TrialOutcome.Status.FAILED, o0.status());
        assertEquals(2, o0.epochsRun());
        assertTrue(o0.error().contains("injected fault: t0001 attempt 0 after epoch 2"), o0.error());
        assertEquals(List.of(1, 2), first.records.stream().map(EpochMetrics::epoch).toList());

        TinyTrial.Recording second = new TinyTrial.Recording();
        TrialOutcome o1 = new TrialRunner(second).run(spec, new TaskAttempt(1, "2", "h2", 0), () -> false);
        assertEquals(TrialOutcome.Status.COMPLETED, o1.status(), o1.error());
        assertEquals(3, second.records.size());
        assertTrue(second.records.stream().allMatch(m -> m.attempt() == 1 && m.executorId().equals("2")
                && m.host().equals("h2")), second.records.toString());
        assertTrue(first.records.stream().allMatch(m -> m.runId().equals("run-1"))
                && second.records.stream().allMatch(m -> m.runId().equals("run-1")), "the spec's run id in every record");
    }

    @Test
    void withoutThePropertyNothingIsInjected() throws Exception {
        TinyTrial.Recording r = new TinyTrial.Recording();
        TrialOutcome o = new TrialRunner(r).run(TinyTrial.spec(dir, 3), 0, () -> false);
        assertEquals(TrialOutcome.Status.COMPLETED, o.status(), o.error());
        assertEquals(3, r.records.size());
    }
}
