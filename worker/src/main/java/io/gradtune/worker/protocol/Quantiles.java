package io.gradtune.worker.protocol;

import java.util.Collection;
import java.util.function.IntToDoubleFunction;

/**
 * The one quantile implementation of gradtune: the benchmarks' medians and percentiles and the median stopping
 * rule all call it. It lives here because this package depends on nothing else of gradtune and every caller
 * (worker bench, driver bench, driver stopping) already imports it.
 *
 * <p><b>Definition</b> ({@link #ofSorted}): for ascending values {@code x[0..n)} and {@code 0 <= q <= 1}, let
 * {@code p = q (n - 1)}, {@code i = floor(p)}, {@code h = p - i}; the q-quantile is {@code x[i] + h (x[i+1] - x[i])},
 * linear interpolation between neighbouring order statistics (Hyndman and Fan's type 7, the default of R's
 * {@code quantile} and numpy's {@code quantile}). So the median of an even count is the mean of the two middle values,
 * and q = 0 and q = 1 are the minimum and maximum. Arithmetic details, which matter only for the last bit or for
 * infinities: at {@code h = 0} the result is {@code x[i]} itself; at {@code h = 1/2} it is computed as
 * {@code (x[i] + x[i+1]) / 2} (what the median stopping rule always computed, so its decisions are unchanged); two
 * equal neighbours give that value (so two infinities of one sign give that infinity, not NaN). An empty input gives
 * NaN.
 *
 * <p>{@link #nearestRank} is the other, conservative definition, kept for the stream benchmark's latency
 * percentiles (BENCHMARKS.md reports them nearest-rank): the smallest value with at least {@code q n} values at or
 * below it; never a value that was not observed.
 */
public final class Quantiles {

    private Quantiles() {
    }

    /**
     * The type-7 q-quantile of {@code values} (any order; a sorted copy is made). NaNs sort last, as in
     * {@link java.util.Arrays#sort(double[])}.
     *
     * @return the quantile, or NaN when {@code values} is empty
     */
    public static double of(Collection<Double> values, double q) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return ofSorted(i -> sorted[i], sorted.length, q);
    }

    /**
     * The type-7 q-quantile of {@code n} values in ascending order, read by index through {@code sorted} (at most
     * two reads, so a caller can compute order statistics lazily or without copying).
     *
     * @param sorted the i-th smallest value, for {@code 0 <= i < n}
     * @param n      the number of values
     * @param q      the probability, {@code 0 <= q <= 1}
     * @return the quantile, or NaN when {@code n == 0}
     * @throws IllegalArgumentException if {@code q} is outside [0, 1] or {@code n < 0}
     */
    public static double ofSorted(IntToDoubleFunction sorted, int n, double q) {
        check(n, q);
        if (n == 0) {
            return Double.NaN;
        }
        double p = q * (n - 1);
        int i = (int) Math.floor(p);
        double h = p - i;
        double a = sorted.applyAsDouble(i);
        if (h == 0) {
            return a;
        }
        double b = sorted.applyAsDouble(i + 1);
        if (h == 0.5) {
            return (a + b) / 2;
        }
        return a == b ? a : a + h * (b - a);
    }

    /**
     * The nearest-rank q-quantile of {@code n} values in ascending order: the value at 1-based rank
     * {@code ceil(q n)} (rank 1 for {@code q = 0}).
     *
     * @return the quantile, or NaN when {@code n == 0}
     * @throws IllegalArgumentException if {@code q} is outside [0, 1] or {@code n < 0}
     */
    public static double nearestRank(IntToDoubleFunction sorted, int n, double q) {
        check(n, q);
        if (n == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * n);
        return sorted.applyAsDouble(Math.max(0, Math.min(n - 1, rank - 1)));
    }

    private static void check(int n, double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("a quantile's q must be in [0, 1], got " + q);
        }
        if (n < 0) {
            throw new IllegalArgumentException("negative count " + n);
        }
    }
}
