package io.gradtune.driver.stopping;

import io.gradtune.driver.diagnose.ChanceLevel;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.stopping.Decision;
import io.gradtune.worker.stopping.DivergenceRule;
import io.gradtune.worker.stopping.ExplodingGradientsRule;
import io.gradtune.worker.stopping.InvalidSettingException;
import io.gradtune.worker.stopping.PlateauRule;
import io.gradtune.worker.stopping.TrialStopping;
import io.gradtune.worker.stopping.VanishingGradientsRule;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The settings and the policy they build. Reading the YAML section (unknown rules and fields, types, ranges at their
 * field paths) is {@code config.StoppingSectionTest}'s, since the config reader reads it through {@code ConfigNode}.
 */
class StoppingSettingsTest {

    @Test
    void defaultsEnableAllRulesButMedian() {
        var d = StoppingSettings.defaults();
        assertNull(d.median());
        assertNotNull(d.asha());
        assertEquals(10, d.plateau().patience());
        assertEquals(5, d.toPolicy(30).rules().size());
    }

    @Test
    void policyKeepsTheRuleOrder() {
        var all = new StoppingSettings(DivergenceRule.Settings.defaults(), ExplodingGradientsRule.Settings.defaults(),
                VanishingGradientsRule.Settings.defaults(), PlateauRule.Settings.defaults(),
                MedianStoppingRule.Settings.defaults(), AshaRule.Settings.defaults());
        assertEquals(List.of(DivergenceRule.class, ExplodingGradientsRule.class, VanishingGradientsRule.class,
                        PlateauRule.class, MedianStoppingRule.class, AshaRule.class),
                all.toPolicy(30).rules().stream().map(TestCurves::ruleClass).toList());
    }

    /**
     * The worker and the driver reach the same decision from the same records: the spec the driver sends (with the
     * validation split's prior) and the driver's own policy built with that prior agree on a curve of each failure
     * kind of issue 11 and on a healthy one.
     */
    @Test
    void theWorkersRulesAndTheDriversPolicyDecideAlikeWithThePrior() {
        ChanceLevel chance = ChanceLevel.ofCounts(100, 100, 100, 100, 100, 100, 100, 100, 100, 100);
        var settings = StoppingSettings.defaults();
        TrialStopping worker = TrialStopping.fromSpec(
                settings.perTrial("val_accuracy", true, chance.prior()).toSpec());
        StoppingPolicy driver = new StoppingSettings(settings.divergence(), settings.explodingGradients(),
                settings.vanishingGradients(), settings.plateau(), null, null).toPolicy(30, chance.prior());
        double ln10 = Math.log(10);
        Map<String, List<EpochMetrics>> curves = new LinkedHashMap<>();
        curves.put("blow-up", List.of(TestCurves.epoch("t", 1, 16.3, 19.5, 0.1, TestCurves.layers(4, i -> 200.0, 0.18)),
                TestCurves.epoch("t", 2, 15.7, 15.9, 0.103, TestCurves.layers(4, i -> 200.0, 0.03))));
        curves.put("small-signal", List.of(
                TestCurves.epoch("t", 1, ln10, ln10, 0.103, TestCurves.layers(7, i -> i == 6 ? 0.006 : 2.7e-5, 3.5e-8)),
                TestCurves.epoch("t", 2, ln10, ln10, 0.1, TestCurves.layers(7, i -> i == 6 ? 0.008 : 2.7e-5, 5.2e-8))));
        curves.put("unscaled-healthy", List.of(
                TestCurves.epoch("t", 1, 11.4, 7.1, 0.57, TestCurves.layers(3, i -> 2.25e4, 5e-3)),
                TestCurves.epoch("t", 2, 5.4, 5.0, 0.59, TestCurves.layers(3, i -> 8.6e3, 2e-3))));
        curves.put("overflow", List.of(TestCurves.epoch("t", 1, 20.5, 24.9, 0.1,
                TestCurves.layers(3, i -> i == 1 ? Double.POSITIVE_INFINITY : 1e15, 0.07))));
        Map<String, String> expected = Map.of("blow-up", ExplodingGradientsRule.NAME,
                "small-signal", VanishingGradientsRule.NAME, "unscaled-healthy", "", "overflow", DivergenceRule.NAME);
        curves.forEach((kind, curve) -> {
            Decision w = worker.evaluate(curve);
            Decision d = driver.evaluate(curve, new StudyCurves("val_accuracy", true, Map.of("t", curve)));
            assertEquals(w, d, kind);
            assertEquals(expected.get(kind), w.rule() == null ? "" : w.rule(), kind + ": " + w.reason());
        });
    }

    @Test
    void rangeErrorsNameTheYamlFieldTheValueAndTheReason() {
        var e = assertThrows(InvalidSettingException.class, () -> new DivergenceRule.Settings(0.5));
        assertEquals("loss_factor must be a finite number greater than 1, got 0.5", e.getMessage());
        assertEquals("loss_factor", e.field());
        assertEquals(0.5, e.value());
        assertEquals("must be a finite number greater than 1", e.reason());
        var f = assertThrows(InvalidSettingException.class, () -> new AshaRule.Settings(1, 1));
        assertEquals("reduction_factor must be an integer of at least 2, got 1", f.getMessage());
    }

    @Test
    void noneDisablesEveryRule() {
        assertTrue(StoppingSettings.none().toPolicy(10).rules().isEmpty());
    }
}
