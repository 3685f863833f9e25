package io.gradtune.driver.space;

/**
 * A real-valued parameter in [low, high], sampled uniformly or (log = true) log-uniformly.
 *
 * @param name      parameter name
 * @param low       lower bound (inclusive)
 * @param high      upper bound (inclusive)
 * @param log       sample on a log scale (requires low &gt; 0)
 * @param condition activating condition or null
 */
public record FloatParameter(String name, double low, double high, boolean log, Condition condition)
        implements Parameter {

    public FloatParameter {
        if (!(low < high) || !Double.isFinite(low) || !Double.isFinite(high)) {
            throw new IllegalArgumentException("needs finite low < high, got low=" + low + " high=" + high);
        }
        if (log && low <= 0) {
            throw new IllegalArgumentException("log scale needs low > 0, got low=" + low);
        }
    }

    /**
     * Maps u in [0, 1] onto the range, respecting the scale. The result is clamped to [low, high]: on a log range
     * {@code exp(log(x))} need not be {@code x} (1e-5 comes back 3 ulps lower), so the ends could otherwise fall
     * outside.
     */
    public double fromUnit(double u) {
        double v = log ? Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low))) : low + u * (high - low);
        return Math.max(low, Math.min(high, v));
    }

    /** Maps a value onto [0, 1], respecting the scale. */
    public double toUnit(double v) {
        return log ? (Math.log(v) - Math.log(low)) / (Math.log(high) - Math.log(low)) : (v - low) / (high - low);
    }
}
