package io.gradtune.worker.stopping;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Number formatting for decision reasons and diagnosis summaries: three significant digits, plain between 0.01 and
 * 1e5 and compact scientific ({@code 2.1e-5}) outside, so people can compare a value with its threshold at a glance.
 */
public final class Format {

    private Format() {
    }

    /** The value with three significant digits, for example {@code 0.25}, {@code 1500} or {@code 2.1e-5}. */
    public static String num(double v) {
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "NaN" : (v > 0 ? "Infinity" : "-Infinity");
        }
        if (v == 0) {
            return "0";
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(3));
        double abs = Math.abs(v);
        if (abs >= 1e-2 && abs < 1e5) {
            return d.stripTrailingZeros().toPlainString();
        }
        int exp = d.precision() - d.scale() - 1;
        BigDecimal mantissa = d.movePointLeft(exp).stripTrailingZeros();
        return mantissa.toPlainString() + "e" + exp;
    }
}
