package io.gradtune.driver.refit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.worker.protocol.DataSpec;

import java.util.Locale;
import java.util.Map;

/**
 * {@code best-config.yaml}: the study's own config (as its journal keeps it, secrets redacted) with the search
 * replaced by the winner. Every parameter the best trial drew becomes {@code {type: fixed, value: ...}} in
 * {@code space}; {@code training.epochs} is its best epoch; {@code search} is one random trial with the best
 * trial's seed (a trial's seed is the search seed plus its number, so trial 0 starts from the same weights);
 * local data paths (and a fine-tuned study's {@code model.init_from}) are made absolute, since the file lives in the run directory; the study is named
 * {@code <study>-best}. {@code gradtune validate} accepts it and {@code gradtune run} trains the winner again.
 */
public final class BestConfig {

    private static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private BestConfig() {
    }

    /**
     * The best config's text.
     *
     * @param configText the study's config text
     * @param config     the study's config as loaded (for its data paths and fixed training parameters)
     * @param figure     the test figure to note in the header, or null
     */
    public static String render(String configText, StudyConfig config, RefitPlan plan, TestFigure figure) {
        ObjectNode root;
        try {
            JsonNode tree = YAML.readTree(configText);
            if (!(tree instanceof ObjectNode o)) {
                throw new IllegalArgumentException("the study's config text is not a YAML mapping");
            }
            root = o;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the study's config text is not valid YAML: " + e.getOriginalMessage(), e);
        }
        root.put("study", config.study() + "-best");
        DataSpec data = config.data();
        if (data.readsLocalFiles() && root.get("data") instanceof ObjectNode d) {
            d.put("source", data.path());
            if (data.valPath() != null) {
                d.put("validation_source", data.valPath());
            }
        }
        if (config.training().fineTuned() && root.get("model") instanceof ObjectNode m) {
            m.put("init_from", config.training().fineTune().initFrom());   // absolute, like the data paths
        }
        ObjectNode search = root.putObject("search");
        search.put("algorithm", "random");
        search.put("max_trials", 1);
        search.put("seed", plan.seed());
        ObjectNode space = YAML.createObjectNode();
        Map<String, Object> fixed = config.training().defaults();
        for (Map.Entry<String, Object> p : new java.util.TreeMap<>(plan.params()).entrySet()) {
            if (fixed.containsKey(p.getKey())) {
                continue; // already in training
            }
            ObjectNode param = space.putObject(p.getKey());
            param.put("type", "fixed");
            param.set("value", YAML.valueToTree(p.getValue()));
        }
        root.set("space", space);
        if (root.get("training") instanceof ObjectNode t) {
            t.put("epochs", Math.max(1, plan.epochs()));
        } else {
            root.putObject("training").put("epochs", Math.max(1, plan.epochs()));
        }
        // keep key order: study first, the rest as the study wrote them
        String header = String.format(Locale.ROOT, "# The best configuration of study %s: trial %s, %s %.6g at epoch %d%s.%n"
                        + "# Written by gradtune after the search: every searched parameter fixed at the winner's value.%n"
                        + "#   ./gradtune run %s%n", config.study(), plan.trialId(), plan.metric(), plan.objective(),
                plan.epochs(), figure == null || figure.testRows() == 0 ? ""
                        : "; refitted on train + validation: test " + figure.brief(), "RUN_DIR/" + TestFigure.CONFIG_FILE);
        try {
            return header + YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write YAML", e);
        }
    }
}
