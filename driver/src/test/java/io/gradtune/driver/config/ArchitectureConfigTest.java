package io.gradtune.driver.config;

import io.gradtune.driver.cli.Gradtune;
import io.gradtune.driver.search.SearchHistory;
import io.gradtune.driver.search.Sampler;
import io.gradtune.driver.search.Samplers;
import io.gradtune.driver.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The architecture parameters ({@code connections}, {@code width_shape}, {@code activation: prelu|selu},
 * {@code weight_init: lecun}) and the grid's {@code design} at config load: bad values exit 2 naming the field and
 * the allowed values, and the shipped fixes study is the one-factor-at-a-time design it says.
 */
class ArchitectureConfigTest {

    @TempDir
    Path dir;

    private static final String BASE = """
            study: arch
            objective: {metric: val_accuracy, direction: maximize}
            data: {source: data.csv, label_column: label, split: {train: 0.6, validation: 0.2}}
            search: {algorithm: grid, max_trials: 4}
            """;

    private Cli validate(String rest) throws IOException {
        Files.writeString(dir.resolve("data.csv"), "a,b,label\n1,2,0\n3,4,1\n1,3,0\n4,4,1\n2,2,0\n3,3,1\n");
        Path f = dir.resolve("study.yaml");
        Files.writeString(f, BASE + rest);
        return Cli.run("validate", f.toString());
    }

    private void refused(String rest, String... expected) throws IOException {
        Cli r = validate(rest);
        assertEquals(2, r.code(), r.out() + r.err());
        for (String e : expected) {
            assertTrue(r.err().contains(e), "expected '" + e + "' in: " + r.err());
        }
    }

    @Test
    void theNewValuesValidate() throws IOException {
        Cli r = validate("""
                space:
                  connections: {type: categorical, values: [plain, residual, dense]}
                  width_shape: {type: categorical, values: [constant, shrinking, expanding]}
                  activation: {type: categorical, values: [prelu, selu]}
                  weight_init: {type: categorical, values: [lecun, he]}
                """);
        assertEquals(Gradtune.EXIT_OK, r.code(), r.err());
    }

    @Test
    void unknownValuesExitTwoNamingFieldAndAllowedValues() throws IOException {
        refused("space:\n  connections: {type: categorical, values: [plain, skip]}\n",
                "space.connections", "skip", "[plain, residual, dense]");
        refused("space:\n  layers: 3\ntraining: {epochs: 2, width_shape: cone}\n",
                "width_shape", "cone", "[constant, shrinking, expanding]");
        refused("space:\n  activation: {type: categorical, values: [relu, swish]}\n",
                "space.activation", "swish", "prelu", "selu");
        refused("space:\n  weight_init: {type: categorical, values: [lecun_uniform]}\n",
                "space.weight_init", "[xavier, he, lecun, normal_small]");
    }

    @Test
    void residualAndConnectionsTogetherAreRefused() throws IOException {
        refused("space:\n  connections: {type: categorical, values: [plain, dense]}\ntraining: {residual: true}\n",
                "training.residual", "older spelling", "connections");
    }

    @Test
    void designIsTheGridsOnly() throws IOException {
        Files.writeString(dir.resolve("data.csv"), "a,b,label\n1,2,0\n3,4,1\n1,3,0\n4,4,1\n2,2,0\n3,3,1\n");
        Path f = dir.resolve("random.yaml");
        Files.writeString(f, BASE.replace("algorithm: grid", "algorithm: random, design: one_at_a_time")
                + "space:\n  layers: {type: categorical, values: [1, 2]}\n");
        Cli r = Cli.run("validate", f.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("search.design") && r.err().contains("algorithm: grid"), r.err());
        Files.writeString(f, BASE.replace("algorithm: grid", "algorithm: grid, design: fractional")
                + "space:\n  layers: {type: categorical, values: [1, 2]}\n");
        Cli bad = Cli.run("validate", f.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("search.design") && bad.err().contains("one_at_a_time"), bad.err());
    }

    @Test
    void theShippedFixesStudyIsTheBaselineThenEachFixAlone() {
        StudyConfig c = StudyConfigLoader.load(Path.of("../configs/gradients-fixes.yaml"));
        Sampler s = Samplers.create(c.search().algorithm(), c.space(), c.search().seed(), c.search().options());
        List<Map<String, Object>> all = new ArrayList<>();
        List<Map<String, Object>> pending = new ArrayList<>();
        for (Optional<Map<String, Object>> next = s.propose(SearchHistory.empty()); next.isPresent();
             next = s.propose(new SearchHistory(List.of(), pending))) {
            all.add(next.get());
            pending.add(next.get());
        }
        assertEquals(12, all.size());
        assertEquals(c.search().maxTrials(), all.size());
        Map<String, Object> baseline = all.get(0);
        assertEquals("sigmoid", baseline.get("activation"));
        assertEquals("normal_small", baseline.get("weight_init"));
        assertEquals(8, baseline.get("layers"));
        assertEquals("plain", baseline.get("connections"));
        List<String> fixes = new ArrayList<>();
        for (Map<String, Object> a : all.subList(1, all.size())) {
            List<String> changed = a.keySet().stream().filter(k -> !a.get(k).equals(baseline.get(k)))
                    .map(k -> k + "=" + a.get(k)).toList();
            assertEquals(1, changed.size(), a.toString());
            fixes.add(changed.get(0));
        }
        assertEquals(List.of("activation=relu", "activation=leakyrelu", "activation=elu", "activation=gelu",
                "activation=prelu", "weight_init=xavier", "weight_init=he", "batch_norm=true",
                "connections=residual", "connections=dense", "layers=2"), fixes);
    }
}
