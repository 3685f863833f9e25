package io.gradtune.worker.stopping;

import io.gradtune.worker.protocol.DataSpec;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;
import io.gradtune.worker.protocol.ProtocolCodec;
import io.gradtune.worker.protocol.TrialSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.gradtune.worker.stopping.Decision.Action.COMPLETE;
import static io.gradtune.worker.stopping.Decision.Action.PRUNE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-trial rules travel inside the trial spec and come back equal; bad values are refused with the field. */
class TrialStoppingTest {

    private static final DataSpec DATA = new DataSpec("/d.csv", "csv", "label", null, 0.6, 0.2, "standard", 0);

    @Test
    void aSpecCarriesTheRulesAndASpecWithoutThemHasNone() {
        TrialStopping rules = new TrialStopping("val_loss", false, DivergenceRule.Settings.defaults(),
                new ExplodingGradientsRule.Settings(1e-9, 2, 3), null, PlateauRule.Settings.defaults());
        TrialSpec spec = TrialSpec.of("s", "r-7f3a", "t0002", Map.of("layers", 2), 5, 43, DATA, "127.0.0.1:9092",
                "gradtune.metrics").withStopping(rules.toSpec());
        TrialSpec back = ProtocolCodec.decodeTrialSpec(ProtocolCodec.encode(spec)).value();
        assertEquals(spec, back);
        assertEquals(rules, TrialStopping.fromSpec(back.stopping()));
        TrialSpec without = ProtocolCodec.decodeTrialSpec(ProtocolCodec.encode(spec.withStopping(null))).value();
        assertNull(without.stopping());
        assertNull(TrialStopping.fromSpec(without.stopping()));
    }

    /**
     * The dataset's class prior travels inside the spec, so the worker judges losses against the same K, prior loss
     * and chance band as the driver: the same records give the same decision on both sides.
     */
    @Test
    void theClassPriorTravelsWithTheRulesAndGivesTheSameDecision() {
        ClassPrior prior = new ClassPrior(10, 2.3, 0.11);
        TrialStopping rules = new TrialStopping("val_accuracy", true, DivergenceRule.Settings.defaults(),
                ExplodingGradientsRule.Settings.defaults(), VanishingGradientsRule.Settings.defaults(),
                PlateauRule.Settings.defaults(), prior);
        TrialSpec spec = TrialSpec.of("s", "r-7f3a", "t0003", Map.of("layers", 2), 5, 43, DATA, "127.0.0.1:9092",
                "gradtune.metrics").withStopping(rules.toSpec());
        TrialStopping back = TrialStopping.fromSpec(ProtocolCodec.decodeTrialSpec(ProtocolCodec.encode(spec)).value().stopping());
        assertEquals(rules, back);
        assertEquals(prior, back.prior());
        assertNull(back.explodingGradients().maxNorm());
        List<LayerStats> stuck = List.of(layer(0, 0.01, 1e-8), layer(1, 0.01, 1e-8), layer(2, 0.02, 1e-8));
        List<EpochMetrics> curve = List.of(record(1, stuck), record(2, stuck));
        Decision d = back.evaluate(curve);
        assertEquals(PRUNE, d.action());
        assertEquals(VanishingGradientsRule.NAME, d.rule());
        assertEquals(rules.evaluate(curve), d);
        assertEquals(Decision.CONTINUE, new TrialStopping("val_accuracy", true, null, null,
                VanishingGradientsRule.Settings.defaults(), null).evaluate(curve), "without the prior");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ClassPrior(3, 1.0, 0.2));
        assertTrue(e.getMessage().startsWith("majority_rate"), e.getMessage());
    }

    private static LayerStats layer(int index, double grad, double update) {
        return new LayerStats(index, String.valueOf(index), index == 2 ? "output" : "dense", "tanh", grad, grad / 100,
                grad / 10, update, 5.0, 0, 0, null, 0.0, 0.01);
    }

    private static EpochMetrics record(int epoch, List<LayerStats> layers) {
        return EpochMetrics.of("s", "r-7f3a", "t0003", 0, "e1", "h", epoch, 2.3, 2.3, 0.1, 0.01, 100, 0, layers);
    }

    @Test
    void aValueOutOfRangeIsRefusedNamingTheField() {
        Map<String, Object> values = new java.util.LinkedHashMap<>(
                new TrialStopping("val_accuracy", true, DivergenceRule.Settings.defaults(), null, null, null).toSpec());
        values.put("divergence", Map.of("lossFactor", 0.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrialStopping.fromSpec(values));
        assertTrue(e.getMessage().contains("loss_factor"), e.getMessage());
    }

    @Test
    void rulesCombineInPolicyOrderAPruneBeatsAnEarlierComplete() {
        Decision complete = new Decision(COMPLETE, "plateau", 3, "flat", Map.of());
        Decision prune = new Decision(PRUNE, "divergence", 3, "nan", Map.of());
        assertEquals(prune, Decision.combine(List.of(complete, prune), d -> d));
        assertEquals(complete, Decision.combine(List.of(Decision.CONTINUE, complete), d -> d));
        assertEquals(Decision.CONTINUE, Decision.combine(List.of(Decision.CONTINUE), d -> d));
    }
}
