package io.gradtune.driver.distributed;

/**
 * One weight-carrying layer's change over an epoch of data-parallel training, from the averaged parameters.
 *
 * @param layer       DL4J layer name, the prefix of its parameter keys ({@code "0"} for {@code 0_W} in a
 *                    multi-layer network; the vertex name in a computation graph), as {@code TrainableNetwork.LayerInfo.key}
 * @param weightL2    L2 norm of the layer's weights ({@code _W}) after the epoch
 * @param updateRatio ||W_after - W_before|| / ||W_before||: the epoch's net change relative to the weights it
 *                    started from (0 when nothing changed; the denominator is floored at 1e-12)
 */
public record LayerUpdate(String layer, double weightL2, double updateRatio) {

    /** True when both figures are finite numbers. */
    public boolean isFinite() {
        return Double.isFinite(weightL2) && Double.isFinite(updateRatio);
    }
}
