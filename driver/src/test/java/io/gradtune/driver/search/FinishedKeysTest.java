package io.gradtune.driver.search;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FinishedKeysTest {

    private static Observation obs(double x) {
        return new Observation(Map.of("x", x), x, Observation.Kind.COMPLETED);
    }

    @Test
    void aGrowingHistoryIsKeyedIncrementallyAndEqualsKeyingItAnew() {
        FinishedKeys keys = new FinishedKeys();
        List<Observation> history = new ArrayList<>(List.of(obs(1), obs(2)));
        assertEquals(Set.of(AssignmentKey.of(Map.of("x", 1)), AssignmentKey.of(Map.of("x", 2.0))), keys.of(history));
        history.add(obs(3));
        Set<AssignmentKey> grown = keys.of(List.copyOf(history)); // a copy of the list, the same observations
        assertEquals(3, grown.size());
        assertTrue(grown.contains(AssignmentKey.of(Map.of("x", 3.0))));
    }

    @Test
    void anotherHistoryIsKeyedFromScratch() {
        FinishedKeys keys = new FinishedKeys();
        keys.of(List.of(obs(1), obs(2), obs(3)));
        // shorter, and a different first observation: nothing of the old keys may remain
        Set<AssignmentKey> other = keys.of(List.of(obs(4)));
        assertEquals(Set.of(AssignmentKey.of(Map.of("x", 4.0))), other);
        // same length as before but a replaced observation in the middle (equal values, another object)
        Observation a = obs(1);
        Observation b = obs(2);
        keys.of(List.of(a, b));
        Set<AssignmentKey> replaced = keys.of(List.of(a, obs(5), obs(6)));
        assertFalse(replaced.contains(AssignmentKey.of(Map.of("x", 2.0))));
        assertEquals(3, replaced.size());
    }

    @Test
    void proposalContextTakesFinishedAndPendingKeys() {
        FinishedKeys keys = new FinishedKeys();
        SearchHistory h = new SearchHistory(List.of(obs(1)), List.of(Map.of("x", 7.0)));
        ProposalContext c = ProposalContext.of(List.of(obs(0)), h, keys);
        assertTrue(c.taken().contains(AssignmentKey.of(Map.of("x", 0.0))));
        assertTrue(c.taken().contains(AssignmentKey.of(Map.of("x", 1.0))));
        assertTrue(c.taken().contains(AssignmentKey.of(Map.of("x", 7))));
        assertFalse(c.taken().contains(AssignmentKey.of(Map.of("x", 2.0))));
        assertEquals(ProposalContext.of(List.of(obs(0)), h).taken(), c.taken());
        assertEquals(3, c.taken().size());
    }
}
