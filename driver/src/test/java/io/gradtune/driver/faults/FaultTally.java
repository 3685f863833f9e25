package io.gradtune.driver.faults;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts injected faults per family and how many of them were rejected cleanly (exit 2, a message naming the field),
 * and prints one line per family in the form the lead's RELIABILITY table reads:
 * {@code [fault] <family> | injected=<n> | survived=<n> | records_lost=0 | trials_duplicated=0}. Nothing starts in
 * these tests, so no record can be lost or duplicated.
 */
final class FaultTally {

    private final Map<String, int[]> byFamily = new TreeMap<>();

    synchronized void injected(String family) {
        byFamily.computeIfAbsent(family, f -> new int[2])[0]++;
    }

    synchronized void survived(String family) {
        byFamily.computeIfAbsent(family, f -> new int[2])[1]++;
    }

    synchronized void print() {
        byFamily.forEach((family, n) -> System.out.println("[fault] " + family + " | injected=" + n[0] + " | survived="
                + n[1] + " | records_lost=0 | trials_duplicated=0"));
    }
}
