package io.gradtune.driver.study;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** How far past its stop decision a trial trained, counted from the worker's outcome. */
class StopLatencyTest {

    @Test
    void aTrialThatEndedAtItsDecisionTrainedNothingAfterIt() {
        assertEquals(new TrialResult.StopLatency(0, 0), TrialResult.StopLatency.of(2, 2, 4, 0));
    }

    @Test
    void wholeEpochsAndTheUnfinishedOneCountInMiniBatches() {
        // decided after epoch 2, stopped 3 mini-batches into epoch 7 with 4 per epoch: epochs 3..6 and 3 more
        assertEquals(new TrialResult.StopLatency(4, 19), TrialResult.StopLatency.of(2, 6, 4, 3));
    }

    @Test
    void withoutTheWorkersCountsThereIsNoFigure() {
        assertNull(TrialResult.StopLatency.of(2, 6, 0, 0));
        assertNull(TrialResult.StopLatency.of(3, 2, 4, 0));
    }
}
