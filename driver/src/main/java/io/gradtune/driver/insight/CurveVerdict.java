package io.gradtune.driver.insight;

import java.util.List;
import java.util.Locale;

/**
 * The learning curve's verdicts in plain words.
 *
 * <p><b>Would more data help?</b> The step that matters is the last one: the best validation accuracy (over epochs) at
 * 100 % of the training part against the next smaller fraction's. The noise threshold is one standard error of an
 * accuracy measured on the validation split, {@code sqrt(p (1 - p) / n)} with p the 100 % fraction's accuracy and n the
 * validation rows, and never less than one row ({@code 1 / n}): a gain above it is "still rising" (more data would
 * likely help), a gain at or below it (or a loss) is "flat" (the model's capacity or the features limit it, not the
 * amount of data). Both accuracies come from the same validation rows, so the real noise of their difference is
 * smaller than this; the threshold errs towards "flat".
 *
 * <p><b>Over- or underfitting</b> (the tutorials' reading of train against validation curves), at 100 % and the last
 * epoch: overfitting when the training accuracy exceeds the validation accuracy by more than {@value #GAP_NOISE_FACTOR}
 * noise thresholds and at least {@value #MIN_GAP} (the network memorizes its rows: regularize, simplify, or add data);
 * underfitting when it does not, and the network fits less than {@value #FIT_ACCURACY} of its own training rows
 * (both curves low: more capacity, more epochs, less regularization, better features); else a good fit.
 */
public final class CurveVerdict {

    /** The overfitting gap must exceed this many noise thresholds... */
    static final double GAP_NOISE_FACTOR = 2.0;
    /** ... and at least this much accuracy. */
    static final double MIN_GAP = 0.02;
    /** A network that fits less than this share of its own training rows underfits. */
    static final double FIT_ACCURACY = 0.95;

    public static final String MORE_DATA = "more data would likely help";
    public static final String FLAT = "capacity or features limit, not data";
    public static final String OVERFITTING = "overfitting";
    public static final String UNDERFITTING = "underfitting";
    public static final String GOOD_FIT = "good fit";

    /**
     * @param data      {@link #MORE_DATA} or {@link #FLAT}
     * @param gain      the last step's gain in best validation accuracy
     * @param threshold the noise threshold it was compared with
     * @param fit       {@link #OVERFITTING}, {@link #UNDERFITTING} or {@link #GOOD_FIT}
     * @param gap       training minus validation accuracy at 100 %, last epoch
     * @param dataText  the data verdict as a sentence with its figures
     * @param fitText   the fit verdict as a sentence with its figures and the tutorials' remedy
     */
    public record Verdict(String data, double gain, double threshold, String fit, double gap, String dataText,
                          String fitText) {
    }

    private CurveVerdict() {
    }

    /** The noise threshold for an accuracy p measured on n validation rows. */
    public static double threshold(double p, int n) {
        double q = Double.isFinite(p) ? Math.min(1, Math.max(0, p)) : 0.5;
        return Math.max(Math.sqrt(q * (1 - q) / n), 1.0 / n);
    }

    /**
     * The verdicts of curves ordered by fraction (at least two; the last is the largest).
     *
     * @param validationRows the validation split's rows
     */
    public static Verdict of(List<FractionCurve> curves, int validationRows) {
        if (curves.size() < 2) {
            throw new IllegalArgumentException("a learning curve needs at least two fractions, got " + curves.size());
        }
        FractionCurve top = curves.get(curves.size() - 1);
        FractionCurve prev = curves.get(curves.size() - 2);
        double p = top.bestByAccuracy().valAccuracy();
        double before = prev.bestByAccuracy().valAccuracy();
        double gain = p - before;
        double threshold = threshold(p, validationRows);
        boolean rising = gain > threshold;
        String dataText = String.format(Locale.ROOT, "%s: best validation accuracy %.4f at %s of the training part "
                        + "against %.4f at %s (%+.4f), %s the noise threshold %.4f (one standard error of an accuracy "
                        + "on %d validation rows)", rising ? MORE_DATA : FLAT, p, percent(top.fraction()), before,
                percent(prev.fraction()), gain, rising ? "above" : "not above", threshold, validationRows);
        FractionCurve.Point last = top.last();
        double gap = last.trainAccuracy() - last.valAccuracy();
        double gapBound = Math.max(GAP_NOISE_FACTOR * threshold(last.valAccuracy(), validationRows), MIN_GAP);
        String fit;
        String fitText;
        if (gap > gapBound) {
            fit = OVERFITTING;
            fitText = String.format(Locale.ROOT, "%s: training accuracy %.4f against validation %.4f at %s, last "
                    + "epoch (gap %.4f > %.4f): the network memorizes its rows; regularize (dropout, L2), fewer "
                    + "units or layers, stop earlier, or add data", fit, last.trainAccuracy(), last.valAccuracy(),
                    percent(top.fraction()), gap, gapBound);
        } else if (last.trainAccuracy() < FIT_ACCURACY) {
            fit = UNDERFITTING;
            fitText = String.format(Locale.ROOT, "%s: the network fits only %.4f of its own training rows (validation "
                    + "%.4f, gap %.4f within %.4f): more capacity (units, layers), more epochs, less regularization "
                    + "or better features", fit, last.trainAccuracy(), last.valAccuracy(), gap, gapBound);
        } else {
            fit = GOOD_FIT;
            fitText = String.format(Locale.ROOT, "%s: training accuracy %.4f, validation %.4f at %s, last epoch (gap "
                    + "%.4f within %.4f)", fit, last.trainAccuracy(), last.valAccuracy(), percent(top.fraction()), gap,
                    gapBound);
        }
        return new Verdict(rising ? MORE_DATA : FLAT, gain, threshold, fit, gap, dataText, fitText);
    }

    static String percent(double fraction) {
        double v = fraction * 100;
        return (v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v)) + " %";
    }
}
