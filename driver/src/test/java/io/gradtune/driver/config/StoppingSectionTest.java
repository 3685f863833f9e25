package io.gradtune.driver.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.gradtune.driver.stopping.AshaRule;
import io.gradtune.driver.stopping.MedianStoppingRule;
import io.gradtune.driver.stopping.StoppingSettings;
import io.gradtune.worker.stopping.ExplodingGradientsRule;
import io.gradtune.worker.stopping.VanishingGradientsRule;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code early_stopping} section read through {@link ConfigNode}: what {@code StoppingSettings.fromMap} did,
 * with its errors now in the config's form ({@code file: field 'path': value v: reason}).
 */
class StoppingSectionTest {

    private static StoppingSettings read(String yaml) throws Exception {
        ConfigNode root = new ConfigNode("study.yaml", "", new ObjectMapper(new YAMLFactory()).readTree(yaml));
        return StoppingSection.read(root.get(StoppingSettings.SECTION));
    }

    private static ConfigException fails(String yaml) {
        return assertThrows(ConfigException.class, () -> read(yaml));
    }

    @Test
    void absentNullOrEmptySectionGivesDefaults() throws Exception {
        assertEquals(StoppingSettings.defaults(), read("study: x\n"));
        assertEquals(StoppingSettings.defaults(), read("early_stopping:\n"));
        assertEquals(StoppingSettings.defaults(), read("early_stopping: {}\n"));
        assertEquals(StoppingSettings.defaults(), read("early_stopping: defaults\n"));
        assertEquals(StoppingSettings.none(), read("early_stopping: none\n"));
        assertEquals(StoppingSettings.none(), read("early_stopping: false\n"));
    }

    @Test
    void readsFieldsOverridingOnlyThoseGiven() throws Exception {
        var s = read("""
                early_stopping:
                  divergence: {loss_factor: 4}
                  vanishing_gradients: {min_ratio: 1e-4, patience: "3"}
                  asha: {min_epochs: 2, reduction_factor: 4}
                """);
        assertEquals(4.0, s.divergence().lossFactor());
        assertEquals(1e-4, s.vanishingGradients().minRatio()); // YAML 1.1 reads 1e-4 (no dot) as a string
        assertEquals(1e-5, s.vanishingGradients().minUpdateRatio());
        assertEquals(3, s.vanishingGradients().patience());
        assertEquals(new AshaRule.Settings(2, 4), s.asha());
        assertEquals(ExplodingGradientsRule.Settings.defaults(), s.explodingGradients());
    }

    @Test
    void readsTheScaleFreeFieldsAndAnOptInMaxNorm() throws Exception {
        var s = read("""
                early_stopping:
                  exploding_gradients: {max_norm: 1.0e-9, blowup_loss: 3, blowup_update_ratio: "1e-1"}
                  vanishing_gradients: {stuck_update_ratio: "1e-5", stuck_loss_margin: 0.02, stuck_grad_ratio: 0.1}
                """);
        assertEquals(new ExplodingGradientsRule.Settings(1e-9, 2, 3, 3, 0.1), s.explodingGradients());
        assertEquals(new VanishingGradientsRule.Settings(1e-3, 1e-5, 2, 1e-5, 0.02, 0.1), s.vanishingGradients());
        assertNull(read("early_stopping: {exploding_gradients: {growth: 3}}\n").explodingGradients().maxNorm(),
                "max_norm is off unless set");
        assertNull(read("early_stopping: {exploding_gradients: {max_norm: null}}\n").explodingGradients().maxNorm());
        var e = fails("early_stopping: {vanishing_gradients: {stuck_loss_margin: 1.5}}\n");
        assertEquals("early_stopping.vanishing_gradients.stuck_loss_margin", e.field());
        assertEquals("early_stopping.vanishing_gradients.stuck_grad_ratio",
                fails("early_stopping: {vanishing_gradients: {stuck_grad_ratio: 0}}\n").field());
        var f = fails("early_stopping: {exploding_gradients: {blowup_loss: 0.5}}\n");
        assertEquals("early_stopping.exploding_gradients.blowup_loss", f.field());
        var g = fails("early_stopping: {exploding_gradients: {max_norm: -1}}\n");
        assertEquals("early_stopping.exploding_gradients.max_norm", g.field());
    }

    @Test
    void falseDisablesAndTrueEnablesWithDefaults() throws Exception {
        var s = read("early_stopping: {asha: false, median: true}\n");
        assertNull(s.asha());
        assertEquals(MedianStoppingRule.Settings.defaults(), s.median());
        assertEquals(5, s.toPolicy(30).rules().size());
        assertInstanceOf(MedianStoppingRule.class, s.toPolicy(30).rules().get(4));
        // a rule given no value keeps its default state, as an absent or null field does everywhere in the config
        assertEquals(StoppingSettings.defaults(), read("early_stopping: {median: , asha: }\n"));
    }

    @Test
    void unknownRuleIsNamed() {
        var e = fails("early_stopping: {hyperband: true, asha: {reduction_factor: 1}}\n");
        assertEquals("early_stopping.hyperband", e.field());
        assertTrue(e.getMessage().contains("unknown key") && e.getMessage().contains("asha"), e.getMessage());
    }

    @Test
    void unknownFieldIsNamed() {
        var e = fails("early_stopping: {plateau: {patience: 5, pateince: 3}}\n");
        assertEquals("early_stopping.plateau.pateince", e.field());
        assertEquals("study.yaml: field 'early_stopping.plateau.pateince': unknown key; known keys here: "
                + "[patience, min_delta]", e.getMessage());
    }

    @Test
    void outOfRangeValueNamesFieldValueAndReason() {
        var e = fails("early_stopping: {divergence: {loss_factor: 0.5}}\n");
        assertEquals("study.yaml: field 'early_stopping.divergence.loss_factor': value 0.5: "
                + "must be a finite number greater than 1", e.getMessage());
        var f = fails("early_stopping: {asha: {reduction_factor: 1}}\n");
        assertEquals("study.yaml: field 'early_stopping.asha.reduction_factor': value 1: "
                + "must be an integer of at least 2", f.getMessage());
    }

    @Test
    void wrongTypeNamesFieldAndValue() {
        var e = fails("early_stopping: {asha: {reduction_factor: three}}\n");
        assertEquals("study.yaml: field 'early_stopping.asha.reduction_factor': value 'three': expected a number",
                e.getMessage());
        var f = fails("early_stopping: {exploding_gradients: {max_norm: big}}\n");
        assertEquals("early_stopping.exploding_gradients.max_norm", f.field());
    }

    @Test
    void fractionalIntegerIsRejected() {
        var e = fails("early_stopping: {median: {min_trials: 2.5}}\n");
        assertEquals("study.yaml: field 'early_stopping.median.min_trials': value '2.5': expected a whole number",
                e.getMessage());
    }

    @Test
    void nonMappingValuesAreNamed() {
        var e = fails("early_stopping: {median: maybe}\n");
        assertEquals("study.yaml: field 'early_stopping.median': value 'maybe': expected true, false or a mapping "
                + "of settings", e.getMessage());
        var f = fails("early_stopping: [asha]\n");
        assertEquals("early_stopping", f.field());
        var g = fails("early_stopping: sometimes\n");
        assertTrue(g.getMessage().endsWith("value 'sometimes': expected a mapping of rules, 'defaults' or 'none'"),
                g.getMessage());
    }
}
