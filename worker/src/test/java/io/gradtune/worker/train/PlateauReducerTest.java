package io.gradtune.worker.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PlateauReducerTest {

    @Test
    void reducesAfterPatienceFlatEpochsAndWaitsAgain() {
        PlateauReducer p = new PlateauReducer(2, 0.5);
        assertEquals(1.0, p.next(1.0, 1.0));
        assertEquals(1.0, p.next(1.0, 1.0));
        assertEquals(0.5, p.next(1.2, 1.0));
        assertEquals(0.5, p.next(1.0, 0.5));
        assertEquals(0.25, p.next(1.0, 0.5));
    }

    @Test
    void anImprovementResetsThePatience() {
        PlateauReducer p = new PlateauReducer(2, 0.5);
        p.next(1.0, 1.0);
        p.next(1.0, 1.0);
        assertEquals(1.0, p.next(0.9, 1.0));
        assertEquals(1.0, p.next(0.95, 1.0));
        assertEquals(0.5, p.next(0.95, 1.0));
    }

    @Test
    void aNonFiniteLossIsNoImprovement() {
        PlateauReducer p = new PlateauReducer(1, 0.1);
        assertEquals(0.1, p.next(Double.NaN, 1.0), 1e-15);
    }
}
