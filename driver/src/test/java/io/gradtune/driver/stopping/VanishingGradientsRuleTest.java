package io.gradtune.driver.stopping;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;
import io.gradtune.worker.stopping.ClassPrior;
import io.gradtune.worker.stopping.Decision;
import io.gradtune.worker.stopping.VanishingGradientsRule;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.gradtune.driver.stopping.TestCurves.*;
import static org.junit.jupiter.api.Assertions.*;

class VanishingGradientsRuleTest {

    private final VanishingGradientsRule rule = new VanishingGradientsRule(VanishingGradientsRule.Settings.defaults());

    /** Figures measured on a 6-hidden-layer sigmoid MLP with N(0, 0.01) init trained by SGD (see docs/stopping.md). */
    private static List<LayerStats> deepSigmoidSmallInit() {
        return layers(7, i -> i == 6 ? 0.6 : 6e-11 * Math.pow(10, i), 2e-11);
    }

    /** Figures measured on the same MLP with ReLU and He init. */
    private static List<LayerStats> deepReluHe() {
        return layers(7, i -> i == 6 ? 0.75 : 0.6, 5e-4);
    }

    @Test
    void prunesDeepSigmoidNetWithSmallInitAfterTwoEpochs() {
        List<EpochMetrics> curve = layerCurve("t1", 2, e -> deepSigmoidSmallInit());
        Decision d = rule.evaluate(curve, emptyStudy());
        assertEquals(Decision.Action.PRUNE, d.action());
        assertEquals("vanishing_gradients", d.rule());
        assertTrue(d.reason().startsWith("layer 0 / output gradient-norm ratio 1e-10 < 1e-3 and layer-0 update ratio"
                + " 2e-11 < 1e-5 for 2 epochs"), d.reason());
        assertEquals(1e-10, d.evidence().get("grad_ratio"), 1e-12);
    }

    @Test
    void continuesAfterOnlyOneVanishingEpoch() {
        List<EpochMetrics> curve = layerCurve("t1", 2, e -> e == 1 ? deepReluHe() : deepSigmoidSmallInit());
        assertFalse(rule.evaluate(curve, emptyStudy()).stops());
    }

    @Test
    void doesNotFlagReluWithHeInit() {
        assertFalse(rule.evaluate(layerCurve("t1", 5, e -> deepReluHe()), emptyStudy()).stops());
    }

    @Test
    void doesNotFlagTinyGradientRatioWhileFirstLayerStillMoves() {
        var adamLike = layerCurve("t1", 3, e -> layers(7, i -> i == 6 ? 0.5 : 1e-9, 2e-3));
        assertFalse(rule.evaluate(adamLike, emptyStudy()).stops());
    }

    @Test
    void ignoresNetworksWithFewerThanThreeLayers() {
        var shallow = layerCurve("t1", 3, e -> layers(2, i -> i == 1 ? 1.0 : 1e-12, 1e-12));
        assertFalse(rule.evaluate(shallow, emptyStudy()).stops());
    }

    /**
     * Issue 11: a net whose gradients are all exactly zero (dead ReLU after epoch 1) learns nothing; its ratio is
     * 0/0, which used to be NaN, so no rule fired. Zero over zero counts as a ratio of 0 here.
     */
    @Test
    void prunesANetWhoseGradientsAreAllExactlyZero() {
        var dead = layerCurve("t1", 2, e -> layers(4, i -> 0.0, 0.0));
        assertEquals(0.0, VanishingGradientsRule.gradientRatio(dead.get(0)));
        Decision d = rule.evaluate(dead, emptyStudy());
        assertEquals(Decision.Action.PRUNE, d.action());
        assertEquals(0.0, d.evidence().get("grad_ratio"));
    }

    @Test
    void aZeroOutputGradientWithAMovingFirstLayerIsNoRatio() {
        var m = epoch("t1", 1, 1, 1, 0.5, layers(4, i -> i == 3 ? 0.0 : 0.5, 1e-3));
        assertTrue(Double.isNaN(VanishingGradientsRule.gradientRatio(m)));
    }

    @Test
    void gradientRatioUsesLayerZeroOverOutputLayer() {
        var m = epoch("t1", 1, 1, 1, 0.5, layers(4, i -> i == 0 ? 0.002 : i == 3 ? 4.0 : 100.0, 1e-3));
        assertEquals(5e-4, VanishingGradientsRule.gradientRatio(m), 1e-12);
    }

    /** Ten balanced classes: prior loss ln 10 = 2.303, chance band 0.19. */
    private static final ClassPrior TEN = new ClassPrior(10, Math.log(10), 0.1);

    private final VanishingGradientsRule shipped = new VanishingGradientsRule(VanishingGradientsRule.Settings.defaults(), TEN);

    /**
     * Issue 11, "whole signal small": tanh with N(0, 0.01) init and Nesterov 0.01, 6 hidden layers, digits (calibration
     * set v03). The output layer's gradient is tiny too (0.006-0.008), so the layer-0 / output ratio is 3.5e-3..4.8e-3
     * and never below min_ratio, although layer 0 moves by 5e-8 of its weights per step and the loss stays at ln 10.
     */
    private static List<EpochMetrics> smallSignal(int epochs) {
        double[] out = {0.00559, 0.00762, 0.00943, 0.0127};
        double[] update = {3.47e-8, 5.22e-8, 5.56e-8, 5.6e-8};
        List<EpochMetrics> curve = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            double o = out[e - 1];
            List<LayerStats> layers = new ArrayList<>(layers(7, i -> i == 6 ? o : 2.7e-5, update[e - 1]));
            curve.add(epoch("t1", e, 2.3030, 2.3026, e % 2 == 0 ? 0.1 : 0.103, layers));
        }
        return curve;
    }

    @Test
    void aNetWhoseWholeSignalIsSmallIsPrunedAfterTwoEpochsAsNothingLearns() {
        var curve = smallSignal(3);
        assertTrue(VanishingGradientsRule.gradientRatio(curve.get(0)) > 1e-3, "the ratio test cannot see it");
        assertFalse(rule.evaluate(curve, emptyStudy()).stops(), "without the prior only the ratio test runs");
        assertFalse(shipped.evaluate(curve.subList(0, 1), emptyStudy()).stops());
        Decision d = shipped.evaluate(curve.subList(0, 2), emptyStudy());
        assertEquals(Decision.Action.PRUNE, d.action());
        assertEquals("vanishing_gradients", d.rule());
        assertEquals(2, d.epoch());
        assertEquals("nothing learns: layer-0 update ratio 5.22e-8 < stuck_update_ratio 1e-4, layer-0 gradient/weight"
                + " norm ratio 5.4e-6 < stuck_grad_ratio 0.05 and train loss 2.3 still >= 0.95 x the prior loss 2.3"
                + " (= 2.19) for 2 epochs, best validation accuracy 0.103 within chance (<= 0.19)", d.reason());
        assertEquals(Math.log(10), d.evidence().get("prior_loss"), 1e-12);
    }

    @Test
    void aSlowNetWhoseLossLeavesThePriorOrWhoseAccuracyLeavesChanceIsNotNothingLearns() {
        List<EpochMetrics> falling = new ArrayList<>();
        List<EpochMetrics> learning = new ArrayList<>();
        for (int e = 1; e <= 3; e++) {
            falling.add(epoch("t1", e, 2.3 - 0.15 * e, 2.3, 0.1, layers(3, i -> 1e-3, 5e-5)));
            learning.add(epoch("t1", e, 2.3, 2.3, 0.1 + 0.1 * e, layers(3, i -> 1e-3, 5e-5)));
        }
        assertFalse(shipped.evaluate(falling, emptyStudy()).stops(), "loss below 0.95 x the prior loss");
        assertFalse(shipped.evaluate(learning, emptyStudy()).stops(), "accuracy left the chance band");
    }

    /**
     * A learning rate that is merely too small (measured on digits: ReLU + He, SGD 1e-4: layer-0 update ratio 1.4e-5,
     * train loss above the prior loss, accuracy at chance after 2 epochs) looks like "nothing learns", but its
     * gradient is normal (gradient/weight norm ratio 8.6, against 1e-13 to 7e-3 for the vanishing nets): it is not
     * a vanished gradient and is left to the comparative rules.
     */
    @Test
    void aLearningRateThatIsOnlyTooSmallIsNotAVanishingGradient() {
        List<EpochMetrics> slow = new ArrayList<>();
        for (int e = 1; e <= 3; e++) {
            slow.add(epoch("t1", e, 3.18, 3.15, 0.117, layers(4, i -> 43.0, 1.36e-5)));
        }
        assertEquals(8.6, VanishingGradientsRule.layer0GradientToWeight(slow.get(0)), 1e-9);
        assertFalse(shipped.evaluate(slow, emptyStudy()).stops());
    }

    /**
     * Issue 11, zero-gradient layers: a net whose gradients are all exactly zero on zero weights reports update
     * ratios of 0/0 = NaN. That counts as 0 (nothing moves), so a two-layer dead net at the prior loss, which the
     * ratio test (three layers or more) cannot judge, is pruned too.
     */
    @Test
    void zeroOverZeroUpdateRatiosCountAsNoMovement() {
        var dead = layerCurve("t1", 2, e -> layers(2, i -> 0.0, Double.NaN));
        List<EpochMetrics> atPrior = new ArrayList<>();
        for (EpochMetrics m : dead) {
            atPrior.add(epoch("t1", m.epoch(), Math.log(10), Math.log(10), 0.1, m.layers()));
        }
        assertEquals(0.0, VanishingGradientsRule.layer0UpdateRatio(atPrior.get(0)));
        assertFalse(rule.evaluate(atPrior, emptyStudy()).stops());
        Decision d = shipped.evaluate(atPrior, emptyStudy());
        assertEquals(Decision.Action.PRUNE, d.action());
        assertEquals(0.0, d.evidence().get("update_ratio"));
        // a NaN update ratio with a non-zero gradient is not "no movement"
        var nanMoving = epoch("t1", 1, 1, 1, 0.1, layers(3, i -> 1.0, Double.NaN));
        assertTrue(Double.isNaN(VanishingGradientsRule.layer0UpdateRatio(nanMoving)));
    }

    /**
     * Tanh + Nesterov 3 on wine (calibration set, HEALTHY: best accuracy 0.72): its first layer's gradient is 0 from
     * epoch 3 on while the deeper layers learn, and the ratio test pruned it after epoch 15. With the prior, the
     * ratio test also asks that the accuracy never left chance.
     */
    @Test
    void aFrozenFirstLayerInANetThatLearnsAboveChanceIsNotPruned() {
        var wine = new ClassPrior(3, 1.09, 0.389);
        var curve = List.of(epoch("t1", 1, 10.1, 10.5, 0.611, layers(7, i -> 40.0, 0.4)),
                epoch("t1", 2, 10.4, 16.9, 0.389, layers(7, i -> i == 0 ? 0.0 : 60.0, 5e-6)),
                epoch("t1", 3, 10.2, 10.7, 0.611, layers(7, i -> i == 0 ? 0.0 : 70.0, 5e-6)));
        assertTrue(rule.evaluate(curve, emptyStudy()).stops(), "without the prior the ratio test fires");
        assertFalse(new VanishingGradientsRule(VanishingGradientsRule.Settings.defaults(), wine)
                .evaluate(curve, emptyStudy()).stops());
    }

    @Test
    void settingsRejectAStuckLossMarginOutsideZeroToOneNamingField() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new VanishingGradientsRule.Settings(1e-3, 1e-5, 2, 1e-4, 1.0, 0.05));
        assertTrue(e.getMessage().startsWith("stuck_loss_margin"), e.getMessage());
        var u = assertThrows(IllegalArgumentException.class,
                () -> new VanishingGradientsRule.Settings(1e-3, 1e-5, 2, 0, 0.05, 0.05));
        assertTrue(u.getMessage().startsWith("stuck_update_ratio"), u.getMessage());
        var g = assertThrows(IllegalArgumentException.class,
                () -> new VanishingGradientsRule.Settings(1e-3, 1e-5, 2, 1e-4, 0.05, -1));
        assertTrue(g.getMessage().startsWith("stuck_grad_ratio"), g.getMessage());
    }

    @Test
    void settingsRejectNonPositiveMinRatioNamingField() {
        var e = assertThrows(IllegalArgumentException.class, () -> new VanishingGradientsRule.Settings(0, 1e-5, 2));
        assertTrue(e.getMessage().startsWith("min_ratio"), e.getMessage());
    }
}
