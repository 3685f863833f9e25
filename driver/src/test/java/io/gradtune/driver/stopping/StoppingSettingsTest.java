package io.gradtune.driver.stopping;

import io.gradtune.worker.stopping.DivergenceRule;
import io.gradtune.worker.stopping.ExplodingGradientsRule;
import io.gradtune.worker.stopping.InvalidSettingException;
import io.gradtune.worker.stopping.PlateauRule;
import io.gradtune.worker.stopping.VanishingGradientsRule;
import org.junit.jupiter.api.Test;

import java.util.List;

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
        assertEquals(5, d.plateau().patience());
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
