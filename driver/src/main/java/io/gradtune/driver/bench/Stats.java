package io.gradtune.driver.bench;

import java.util.List;

/** Order statistics for benchmark summaries. */
final class Stats {

    private Stats() {
    }

    /** The q-quantile with linear interpolation between order statistics (R's type 7, numpy's default). */
    static double quantile(List<Double> values, double q) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
