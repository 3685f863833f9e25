package io.gradtune.driver.space;

/**
 * An integer parameter in [low, high], sampled uniformly or (log = true) log-uniformly, then rounded.
 *
 * @param name      parameter name
 * @param low       lower bound (inclusive)
 * @param high      upper bound (inclusive)
 * @param log       sample on a log scale (requires low &gt; 0)
 * @param condition activating condition or null
 */
public record IntParameter(String name, int low, int high, boolean log, Condition condition) implements Parameter {

    public IntParameter {
        if (low > high) {
            throw new IllegalArgumentException("needs low <= high, got low=" + low + " high=" + high);
        }
        if (log && low <= 0) {
            throw new IllegalArgumentException("log scale needs low > 0, got low=" + low);
        }
    }

    /** Maps u in [0, 1] onto the integers of the range; each integer gets an equal share (of log space if log). */
    public int fromUnit(double u) {
        double lo = log ? Math.log(low - 0.5 <= 0 ? low : low - 0.5) : low - 0.5;
        double hi = log ? Math.log(high + 0.5) : high + 0.5;
        double x = lo + Math.min(Math.max(u, 0), 1) * (hi - lo);
        long v = Math.round(log ? Math.exp(x) : x);
        return (int) Math.max(low, Math.min(high, v));
    }

    /** Maps a value onto [0, 1]. */
    public double toUnit(int v) {
        double lo = log ? Math.log(low - 0.5 <= 0 ? low : low - 0.5) : low - 0.5;
        double hi = log ? Math.log(high + 0.5) : high + 0.5;
        double x = log ? Math.log(v) : v;
        return Math.min(1, Math.max(0, (x - lo) / (hi - lo)));
    }
}
