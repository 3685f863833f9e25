package io.gradtune.worker.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Gradient and activation health of one weight-carrying layer over one epoch.
 *
 * <p>Gradient figures are averaged over the epoch's mini-batches (the maximum is the epoch maximum), so a
 * single noisy batch does not decide a diagnosis. Activation figures come from a fixed probe batch evaluated
 * at the end of the epoch; they are {@code null} where they do not apply (dead units only for ReLU-family
 * activations, saturation only for sigmoid and tanh).
 *
 * @param index          position of the layer in the network, 0 = first hidden layer
 * @param name           the layer's parameter prefix in DL4J (for example {@code "0"} or {@code "dense_2"})
 * @param kind           {@code dense} or {@code output}
 * @param activation     activation function name in lower case
 * @param gradL2         mean over mini-batches of the L2 norm of the raw weight gradient
 * @param gradMeanAbs    mean over mini-batches of the mean absolute gradient entry
 * @param gradMaxAbs     largest absolute gradient entry seen in the epoch
 * @param updateRatio    mean over mini-batches of ||applied update|| / ||weights||
 * @param weightL2       L2 norm of the weights at the end of the epoch
 * @param nanCount       NaN entries seen in gradients during the epoch
 * @param infCount       infinite entries seen in gradients during the epoch
 * @param deadFraction   fraction of units that output 0 for every probe row (ReLU family), else null
 * @param saturatedFraction fraction of unit outputs in saturation (sigmoid &lt; 0.01 or &gt; 0.99, tanh |a| &gt; 0.99), else null
 * @param activationStd  standard deviation of the layer's outputs on the probe batch
 * @param frozen         true for a layer fine-tuning froze ({@code model.freeze_layers}): it gets no updates, so its
 *                       update ratio is 0 by design; absent (null) for every layer that trains. The first-layer
 *                       tests of the vanishing-gradients rule and diagnosis read the first layer that is not frozen.
 * @param averaged       true for a layer of a data-parallel trial ({@code training.workers} &ge; 2): its figures come
 *                       from the averaged parameters once per epoch, on the driver. Gradients are not observable
 *                       under parameter averaging, so {@code gradL2}, {@code gradMeanAbs} and {@code gradMaxAbs}
 *                       are NaN and {@link #gradientsObserved()} is false (the gradient tests of the rules and the
 *                       diagnosis skip such a layer); {@code updateRatio} is the epoch's ||ΔW|| / ||W|| divided by
 *                       the mini-batches each worker fitted in the epoch (a per-step estimate, low where steps
 *                       cancel); {@code nanCount}/{@code infCount} count NaN/infinite entries of the averaged
 *                       weights. Absent (null) for every layer a worker measured.
 */
public record LayerStats(
        int index,
        String name,
        String kind,
        String activation,
        double gradL2,
        double gradMeanAbs,
        double gradMaxAbs,
        double updateRatio,
        double weightL2,
        long nanCount,
        long infCount,
        Double deadFraction,
        Double saturatedFraction,
        Double activationStd,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean frozen,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean averaged) {

    public LayerStats {
        frozen = Boolean.TRUE.equals(frozen) ? Boolean.TRUE : null;
        averaged = Boolean.TRUE.equals(averaged) ? Boolean.TRUE : null;
    }

    /** A layer a worker measured (the form before {@link #averaged} existed). */
    public LayerStats(int index, String name, String kind, String activation, double gradL2, double gradMeanAbs,
                      double gradMaxAbs, double updateRatio, double weightL2, long nanCount, long infCount,
                      Double deadFraction, Double saturatedFraction, Double activationStd, Boolean frozen) {
        this(index, name, kind, activation, gradL2, gradMeanAbs, gradMaxAbs, updateRatio, weightL2, nanCount, infCount,
                deadFraction, saturatedFraction, activationStd, frozen, null);
    }

    /** A layer that trains (the form before {@link #frozen} existed). */
    public LayerStats(int index, String name, String kind, String activation, double gradL2, double gradMeanAbs,
                      double gradMaxAbs, double updateRatio, double weightL2, long nanCount, long infCount,
                      Double deadFraction, Double saturatedFraction, Double activationStd) {
        this(index, name, kind, activation, gradL2, gradMeanAbs, gradMaxAbs, updateRatio, weightL2, nanCount, infCount,
                deadFraction, saturatedFraction, activationStd, null, null);
    }

    /**
     * A data-parallel trial's layer ({@link #averaged} true): no gradient figures (NaN), the update ratio and weight
     * figures from the averaged parameters.
     */
    public static LayerStats averaged(int index, String name, String kind, String activation, double updateRatio,
                                      double weightL2, long nanCount, long infCount, Double deadFraction,
                                      Double saturatedFraction, Double activationStd) {
        return new LayerStats(index, name, kind, activation, Double.NaN, Double.NaN, Double.NaN, updateRatio, weightL2,
                nanCount, infCount, deadFraction, saturatedFraction, activationStd, null, Boolean.TRUE);
    }

    /** Whether the gradient figures were measured: false for a data-parallel trial's layer ({@link #averaged}). */
    public boolean gradientsObserved() {
        return !Boolean.TRUE.equals(averaged);
    }

    /** Whether fine-tuning froze this layer ({@link #frozen} true). */
    public boolean frozenLayer() {
        return Boolean.TRUE.equals(frozen);
    }

    /**
     * True when every gradient and weight figure is a finite number and no NaN/Inf was counted; for a layer without
     * observed gradients ({@link #gradientsObserved()} false) the gradient figures are not looked at.
     */
    public boolean allFinite() {
        if (!gradientsObserved()) {
            return Double.isFinite(updateRatio) && Double.isFinite(weightL2) && nanCount == 0 && infCount == 0;
        }
        return Double.isFinite(gradL2) && Double.isFinite(gradMeanAbs) && Double.isFinite(gradMaxAbs)
                && Double.isFinite(updateRatio) && Double.isFinite(weightL2) && nanCount == 0 && infCount == 0;
    }
}
