package io.gradtune.driver.stopping;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class StoppingSettingsTest {

    private static IllegalArgumentException fails(Map<String, Object> yaml) {
        return assertThrows(IllegalArgumentException.class, () -> StoppingSettings.fromMap(yaml));
    }

    @Test
    void emptyOrNullMapGivesDefaults() {
        assertEquals(StoppingSettings.defaults(), StoppingSettings.fromMap(Map.of()));
        assertEquals(StoppingSettings.defaults(), StoppingSettings.fromMap(null));
    }

    @Test
    void defaultsEnableAllRulesButMedian() {
        var d = StoppingSettings.defaults();
        assertNull(d.median());
        assertNotNull(d.asha());
        assertEquals(5, d.plateau().patience());
    }

    @Test
    void readsFieldsOverridingOnlyThoseGiven() {
        var s = StoppingSettings.fromMap(Map.of(
                "divergence", Map.of("loss_factor", 4),
                "vanishing_gradients", Map.of("min_ratio", "1e-4", "patience", 3),
                "asha", Map.of("min_epochs", 2, "reduction_factor", 4)));
        assertEquals(4.0, s.divergence().lossFactor());
        assertEquals(1e-4, s.vanishingGradients().minRatio());
        assertEquals(1e-5, s.vanishingGradients().minUpdateRatio());
        assertEquals(3, s.vanishingGradients().patience());
        assertEquals(new AshaRule.Settings(2, 4), s.asha());
        assertEquals(ExplodingGradientsRule.Settings.defaults(), s.explodingGradients());
    }

    @Test
    void falseDisablesAndTrueEnablesWithDefaults() {
        var s = StoppingSettings.fromMap(Map.of("asha", false, "median", true));
        assertNull(s.asha());
        assertEquals(MedianStoppingRule.Settings.defaults(), s.median());
        assertEquals(5, s.toPolicy(30).rules().size());
        assertInstanceOf(MedianStoppingRule.class, s.toPolicy(30).rules().get(4));
    }

    @Test
    void unknownRuleIsNamed() {
        assertTrue(fails(Map.of("hyperband", true)).getMessage().startsWith("early_stopping.hyperband"));
    }

    @Test
    void unknownFieldIsNamed() {
        var e = fails(Map.of("plateau", Map.of("patience", 5, "pateince", 3)));
        assertTrue(e.getMessage().startsWith("early_stopping.plateau.pateince"), e.getMessage());
    }

    @Test
    void outOfRangeValueNamesFieldAndValue() {
        var e = fails(Map.of("divergence", Map.of("loss_factor", 0.5)));
        assertTrue(e.getMessage().startsWith("early_stopping.divergence.loss_factor"), e.getMessage());
        assertTrue(e.getMessage().contains("0.5"), e.getMessage());
    }

    @Test
    void wrongTypeNamesFieldAndValue() {
        var e = fails(Map.of("asha", Map.of("reduction_factor", "three")));
        assertEquals("early_stopping.asha.reduction_factor must be an integer, got three", e.getMessage());
        var f = fails(Map.of("exploding_gradients", Map.of("max_norm", "big")));
        assertTrue(f.getMessage().startsWith("early_stopping.exploding_gradients.max_norm"), f.getMessage());
    }

    @Test
    void fractionalIntegerIsRejected() {
        var e = fails(Map.of("median", Map.of("min_trials", 2.5)));
        assertTrue(e.getMessage().startsWith("early_stopping.median.min_trials"), e.getMessage());
    }

    @Test
    void nonMappingRuleValueIsNamed() {
        var e = fails(Map.of("median", "yes"));
        assertTrue(e.getMessage().startsWith("early_stopping.median:"), e.getMessage());
    }

    @Test
    void noneDisablesEveryRule() {
        assertTrue(StoppingSettings.none().toPolicy(10).rules().isEmpty());
    }
}
