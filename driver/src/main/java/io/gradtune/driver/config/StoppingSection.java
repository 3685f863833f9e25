package io.gradtune.driver.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.gradtune.driver.stopping.AshaRule;
import io.gradtune.driver.stopping.MedianStoppingRule;
import io.gradtune.driver.stopping.StoppingSettings;
import io.gradtune.worker.stopping.DivergenceRule;
import io.gradtune.worker.stopping.ExplodingGradientsRule;
import io.gradtune.worker.stopping.InvalidSettingException;
import io.gradtune.worker.stopping.PlateauRule;
import io.gradtune.worker.stopping.VanishingGradientsRule;

import java.util.function.Function;

/**
 * The {@code early_stopping} section, read through {@link ConfigNode} like the rest of the config, so its errors
 * name the file, the field path, the value and the reason in the same form.
 *
 * <p>The section is absent (the default rules), {@code none}/{@code false} (no rules), {@code defaults}/{@code true},
 * or a mapping whose keys are rule names ({@link StoppingSettings#RULES}) and whose values are {@code false}
 * (disable), {@code true} (enable with defaults) or a mapping of fields overriding the defaults. Rules not mentioned
 * (or given no value) keep their {@link StoppingSettings#defaults()} state. Numbers may also be strings
 * ({@code "1e-3"}), since YAML 1.1 reads {@code 1e-3} without a dot as a string. Ranges are the rules' own
 * ({@link InvalidSettingException} from their {@code Settings}), reported at the field's path.
 */
final class StoppingSection {

    private static final String SECTION_VALUES = "expected a mapping of rules, 'defaults' or 'none'";

    private StoppingSection() {
    }

    static StoppingSettings read(ConfigNode n) {
        if (n.isMissing()) {
            return StoppingSettings.defaults();
        }
        JsonNode raw = n.raw();
        if (raw.isBoolean() || raw.isTextual()) {
            String v = raw.asText();
            return switch (v) {
                case "false", "none" -> StoppingSettings.none();
                case "true", "defaults" -> StoppingSettings.defaults();
                default -> throw n.error(v, SECTION_VALUES);
            };
        }
        if (!raw.isObject()) {
            throw n.error(ConfigNode.display(raw), SECTION_VALUES);
        }
        for (String rule : StoppingSettings.RULES) {
            n.get(rule);
        }
        n.rejectUnknownKeys(); // a misspelt rule before any of its fields
        StoppingSettings d = StoppingSettings.defaults();
        return new StoppingSettings(
                rule(n, DivergenceRule.NAME, d.divergence(), DivergenceRule.Settings.defaults(),
                        f -> new DivergenceRule.Settings(f.number("loss_factor", DivergenceRule.Settings.DEFAULT_LOSS_FACTOR))),
                rule(n, ExplodingGradientsRule.NAME, d.explodingGradients(), ExplodingGradientsRule.Settings.defaults(),
                        f -> new ExplodingGradientsRule.Settings(
                                optionalNumber(f, "max_norm"),
                                f.number("growth", ExplodingGradientsRule.Settings.DEFAULT_GROWTH),
                                integer(f, "patience", ExplodingGradientsRule.Settings.DEFAULT_PATIENCE),
                                f.number("blowup_loss", ExplodingGradientsRule.Settings.DEFAULT_BLOWUP_LOSS),
                                f.number("blowup_update_ratio",
                                        ExplodingGradientsRule.Settings.DEFAULT_BLOWUP_UPDATE_RATIO))),
                rule(n, VanishingGradientsRule.NAME, d.vanishingGradients(), VanishingGradientsRule.Settings.defaults(),
                        f -> new VanishingGradientsRule.Settings(
                                f.number("min_ratio", VanishingGradientsRule.Settings.DEFAULT_MIN_RATIO),
                                f.number("min_update_ratio", VanishingGradientsRule.Settings.DEFAULT_MIN_UPDATE_RATIO),
                                integer(f, "patience", VanishingGradientsRule.Settings.DEFAULT_PATIENCE),
                                f.number("stuck_update_ratio", VanishingGradientsRule.Settings.DEFAULT_STUCK_UPDATE_RATIO),
                                f.number("stuck_loss_margin", VanishingGradientsRule.Settings.DEFAULT_STUCK_LOSS_MARGIN),
                                f.number("stuck_grad_ratio", VanishingGradientsRule.Settings.DEFAULT_STUCK_GRAD_RATIO))),
                rule(n, PlateauRule.NAME, d.plateau(), PlateauRule.Settings.defaults(),
                        f -> new PlateauRule.Settings(integer(f, "patience", PlateauRule.Settings.DEFAULT_PATIENCE),
                                f.number("min_delta", PlateauRule.Settings.DEFAULT_MIN_DELTA))),
                rule(n, MedianStoppingRule.NAME, d.median(), MedianStoppingRule.Settings.defaults(),
                        f -> new MedianStoppingRule.Settings(
                                integer(f, "min_epochs", MedianStoppingRule.Settings.DEFAULT_MIN_EPOCHS),
                                integer(f, "min_trials", MedianStoppingRule.Settings.DEFAULT_MIN_TRIALS))),
                rule(n, AshaRule.NAME, d.asha(), AshaRule.Settings.defaults(),
                        f -> new AshaRule.Settings(integer(f, "min_epochs", AshaRule.Settings.DEFAULT_MIN_EPOCHS),
                                integer(f, "reduction_factor", AshaRule.Settings.DEFAULT_REDUCTION_FACTOR))));
    }

    /**
     * One rule: {@code absent} when not given, null for {@code false}, {@code enabled} for {@code true}, else the
     * settings {@code parse} reads from the rule's mapping (whose other keys are then rejected).
     */
    private static <S> S rule(ConfigNode section, String name, S absent, S enabled, Function<ConfigNode, S> parse) {
        ConfigNode r = section.get(name);
        if (r.isMissing()) {
            return absent;
        }
        if (r.raw().isBoolean()) {
            return r.raw().asBoolean() ? enabled : null;
        }
        if (!r.raw().isObject()) {
            throw r.error(ConfigNode.display(r.raw()), "expected true, false or a mapping of settings");
        }
        S settings;
        try {
            settings = parse.apply(r);
        } catch (InvalidSettingException e) {
            throw r.get(e.field()).error(e.value(), e.reason());
        }
        r.rejectUnknownKeys();
        return settings;
    }

    /** A number that is off when absent or null (e.g. {@code max_norm}). */
    private static Double optionalNumber(ConfigNode rule, String key) {
        ConfigNode c = rule.get(key);
        return c.isMissing() ? null : c.asDouble();
    }

    private static int integer(ConfigNode rule, String key, int dflt) {
        return (int) rule.integer(key, dflt, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }
}
