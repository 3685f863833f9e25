package io.gradtune.driver.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bench samplers --pending N}: the trials in flight are evaluated by the end, later than sequentially. */
class SamplerBenchmarkPendingTest {

    @Test
    void everyProposalIsEvaluatedByTheEndButCheckpointsSeeOnlyTheFinishedOnes() {
        // random search ignores the history, so both runs propose the same points; with 20 in flight the
        // checkpoint at 25 has seen 5 evaluations, the sequential run 25, and the end has seen all 60 in both
        BenchmarkResult sequential = SamplerBenchmark.run("branin", "random", 60, 4, 0);
        BenchmarkResult inFlight = SamplerBenchmark.run("branin", "random", 60, 4, 20);
        assertEquals(sequential.bestAt().get(60), inFlight.bestAt().get(60));
        for (int seed = 0; seed < 4; seed++) {
            assertTrue(inFlight.bestAt().get(25).get(seed) >= sequential.bestAt().get(25).get(seed));
        }
        assertTrue(!sequential.bestAt().get(25).equals(inFlight.bestAt().get(25)), "5 of 25 evaluated");
        assertEquals(sequential.bestAt(), SamplerBenchmark.run("branin", "random", 60, 4).bestAt());
    }

    @Test
    void rejectsNegativePending() {
        assertThrows(IllegalArgumentException.class, () -> SamplerBenchmark.run("branin", "random", 10, 1, -1));
    }
}
