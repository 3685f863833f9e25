package io.gradtune.driver.insight;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeatureGroupsTest {

    private static List<String> names(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("f" + i);
        }
        return out;
    }

    /** Every column in exactly one group. */
    private static void coversOnce(List<FeatureGroups.Group> groups, int n) {
        int[] seen = new int[n];
        groups.forEach(g -> {
            for (int c : g.columns()) {
                seen[c]++;
            }
        });
        for (int i = 0; i < n; i++) {
            assertEquals(1, seen[i], "column " + i);
        }
    }

    @Test
    void fewFeaturesAreScoredOneByOne() {
        List<FeatureGroups.Group> g = FeatureGroups.of(names(64));
        assertEquals(64, g.size());
        assertEquals("f5", g.get(5).name());
    }

    @Test
    void aSquareImageIsGroupedInPatches() {
        List<FeatureGroups.Group> g = FeatureGroups.of(names(784));
        assertEquals(49, g.size());
        coversOnce(g, 784);
        assertEquals("rows 0-3, cols 4-7", g.get(1).name());
        assertEquals(16, g.get(1).columns().length);
        assertTrue(g.get(1).columns()[0] == 4 && g.get(1).columns()[4] == 32, "row-major patch");
    }

    @Test
    void otherWideDataIsGroupedInRunsOfColumns() {
        List<FeatureGroups.Group> g = FeatureGroups.of(names(200));
        assertTrue(g.size() <= FeatureGroups.MAX_GROUPS, "groups: " + g.size());
        coversOnce(g, 200);
        assertEquals("f0..f3", g.get(0).name());
    }
}
