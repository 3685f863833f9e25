package io.gradtune.worker.stopping;

import io.gradtune.worker.protocol.Decoded;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;
import io.gradtune.worker.protocol.ProtocolCodec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A data-parallel trial's layers ({@link LayerStats#averaged}): no gradient figures (NaN). The gradient tests of the
 * rules must not read that as an overflow, a growth or a vanished gradient, while the loss tests and the averaged
 * weights' NaN counts still stop a diverging trial. The field survives the protocol's round trip.
 */
class AveragedLayersRulesTest {

    private static final Objective ACCURACY = new Objective() {
        @Override
        public String objectiveMetric() {
            return "val_accuracy";
        }

        @Override
        public boolean maximize() {
            return true;
        }
    };
    private static final ClassPrior PRIOR = new ClassPrior(10, Math.log(10), 0.1);

    private static LayerStats layer(int index, double updateRatio, double weightL2, long nan) {
        return LayerStats.averaged(index, String.valueOf(index), index == 2 ? "output" : "dense", "relu", updateRatio,
                weightL2, nan, 0, 0.1, null, 0.5);
    }

    private static EpochMetrics epoch(int epoch, double trainLoss, double accuracy, List<LayerStats> layers) {
        return EpochMetrics.of("s", "r", "t0001", 0, "driver", "h", epoch, trainLoss, trainLoss, accuracy, 0.01, 10, 0,
                layers);
    }

    /** Healthy epochs of a learning net, three layers. */
    private static List<EpochMetrics> learning(int epochs) {
        List<EpochMetrics> curve = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            curve.add(epoch(e, 2.0 / e, 0.5 + 0.05 * e, List.of(layer(0, 1e-3, 5, 0), layer(1, 1e-3, 4, 0),
                    layer(2, 1e-3, 3, 0))));
        }
        return curve;
    }

    @Test
    void noGradientRuleFiresOnRecordsWithoutGradients() {
        List<EpochMetrics> curve = learning(6);
        assertFalse(new DivergenceRule(DivergenceRule.Settings.defaults(), PRIOR).evaluate(curve, ACCURACY).stops(),
                "NaN gradient norms of averaged layers are not an overflow");
        assertFalse(new ExplodingGradientsRule(new ExplodingGradientsRule.Settings(1e-9, 2, 1), PRIOR)
                .evaluate(curve, ACCURACY).stops(), "max_norm does not apply to unobserved gradients");
        assertTrue(Double.isNaN(ExplodingGradientsRule.maxGradL2(curve.get(0))));
        assertFalse(new VanishingGradientsRule(VanishingGradientsRule.Settings.defaults(), PRIOR)
                .evaluate(curve, ACCURACY).stops());
        curve.get(0).layers().forEach(l -> {
            assertFalse(l.gradientsObserved());
            assertTrue(l.allFinite(), "finite weights and update ratio: " + l);
        });
    }

    @Test
    void nanAveragedWeightsAndLossesStillStopADivergingTrial() {
        List<EpochMetrics> curve = learning(1);
        curve.add(epoch(2, 1.0, 0.6, List.of(layer(0, Double.NaN, Double.NaN, 7), layer(1, 1e-3, 4, 0),
                layer(2, 1e-3, 3, 0))));
        Decision d = new DivergenceRule(DivergenceRule.Settings.defaults(), PRIOR).evaluate(curve, ACCURACY);
        assertEquals(Decision.Action.PRUNE, d.action());
        assertTrue(d.reason().contains("averaged weights have 7 NaN"), d.reason());
        assertFalse(curve.get(1).layers().get(0).allFinite());
        List<EpochMetrics> nanLoss = learning(1);
        nanLoss.add(epoch(2, Double.NaN, 0.1, learning(1).get(0).layers()));
        assertTrue(new DivergenceRule(DivergenceRule.Settings.defaults(), PRIOR).evaluate(nanLoss, ACCURACY).stops());
    }

    @Test
    void theAveragedMarkSurvivesTheProtocolAndIsAbsentForWorkerLayers() {
        EpochMetrics m = learning(1).get(0);
        String json = ProtocolCodec.encode(m);
        assertTrue(json.contains("\"averaged\":true"), json);
        Decoded<EpochMetrics> back = ProtocolCodec.decodeEpochMetrics(json);
        assertTrue(back.isAccepted(), back.reason());
        LayerStats l = back.value().layers().get(0);
        assertFalse(l.gradientsObserved());
        assertTrue(Double.isNaN(l.gradL2()));
        LayerStats worker = new LayerStats(0, "0", "dense", "relu", 1, 1, 1, 1e-3, 5, 0, 0, 0.1, null, 0.5);
        assertNull(worker.averaged());
        assertTrue(worker.gradientsObserved());
        assertFalse(ProtocolCodec.encode(epoch(1, 1, 0.5, List.of(worker))).contains("averaged"));
    }
}
