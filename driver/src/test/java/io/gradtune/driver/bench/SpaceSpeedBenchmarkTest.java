package io.gradtune.driver.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.worker.bench.TrialSpeedBenchmark;
import io.gradtune.worker.model.HyperParameters;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bench space}: the sample, the grouping, the output's shape and its usage errors (no timings checked). */
class SpaceSpeedBenchmarkTest {

    private static StudyConfig builtIn() {
        return SpaceSpeedBenchmark.builtIn(Path.of("../configs"));
    }

    @Test
    void theSampleIsSeededAndDrawnFromTheIssueSpace() {
        List<Map<String, Object>> a = SpaceSpeedBenchmark.sample(builtIn(), 30, 14);
        assertEquals(a, SpaceSpeedBenchmark.sample(builtIn(), 30, 14));
        assertTrue(!a.equals(SpaceSpeedBenchmark.sample(builtIn(), 30, 15)));
        assertEquals(30, a.size());
        for (Map<String, Object> p : a) {
            HyperParameters h = HyperParameters.from(p);
            int layers = (Integer) p.get("layers");
            assertTrue(layers >= 1 && layers <= 4, p.toString());
            assertEquals(layers, h.unitsPerLayer().size(), p.toString());
            for (int k = 1; k <= 4; k++) {
                assertEquals(k <= layers, p.containsKey("units_" + k), p.toString());
            }
            h.unitsPerLayer().forEach(u -> assertTrue(u >= 16 && u <= 512, p.toString()));
            assertTrue(Set.of(32, 64, 128, 256).contains(h.batchSize()), p.toString());
            assertTrue(Set.of("adam", "nesterov", "rmsprop").contains(h.optimizer()), p.toString());
            assertTrue(HyperParameters.ACTIVATIONS.contains(h.activation()), p.toString());
            assertEquals("xavier", h.weightInit());
            assertTrue(h.learningRate() >= 1e-4 && h.learningRate() <= 1e-1, p.toString());
            assertTrue(h.l2() >= 1e-6 && h.l2() <= 1e-2, p.toString());
            assertTrue(h.dropout() >= 0 && h.dropout() <= 0.5, p.toString());
        }
        assertEquals("minmax", builtIn().data().scaling());
    }

    @Test
    void widthBuckets() {
        assertEquals("<=63", SpaceSpeedBenchmark.widthBucket(16));
        assertEquals("<=63", SpaceSpeedBenchmark.widthBucket(63));
        assertEquals("64-255", SpaceSpeedBenchmark.widthBucket(64));
        assertEquals("256+", SpaceSpeedBenchmark.widthBucket(512));
    }

    @Test
    void groupsTableAndJsonHaveEveryDimension() throws Exception {
        Map<String, Object> small = new LinkedHashMap<>(Map.of("layers", 1, "units_1", 32, "batch_size", 32,
                "activation", "gelu", "optimizer", "rmsprop", "dropout", 0.0));
        Map<String, Object> big = new LinkedHashMap<>(Map.of("layers", 2, "units_1", 300, "units_2", 40,
                "batch_size", 256, "activation", "relu", "optimizer", "adam", "dropout", 0.3));
        List<SpaceSpeedBenchmark.Row> rows = List.of(
                new SpaceSpeedBenchmark.Row(0, "java", small, List.of(10.0, 20.0), List.of(9.0, 11.0), 100, 0.5),
                new SpaceSpeedBenchmark.Row(1, "java", big, List.of(40.0), List.of(30.0), 2000, 0.9));
        List<SpaceSpeedBenchmark.Group> groups = SpaceSpeedBenchmark.groups(rows);
        assertEquals(List.of("widest layer", "depth", "batch size", "activation", "optimizer", "dropout"),
                groups.stream().map(SpaceSpeedBenchmark.Group::dimension).distinct().toList());
        assertEquals(12, groups.size());
        SpaceSpeedBenchmark.Group first = groups.get(0);
        assertEquals("<=63", first.value());
        assertEquals(15.0, first.meanMillis(), 1e-9);
        assertEquals("off", groups.get(10).value());
        String table = SpaceSpeedBenchmark.table(groups);
        assertEquals(13, table.lines().count(), table);
        JsonNode json = new ObjectMapper().readTree(SpaceSpeedBenchmark.toJson(14, 3, rows, groups));
        assertEquals("space", json.get("benchmark").asText());
        assertEquals(2, json.get("rows").size());
        assertEquals(12, json.get("groups").size());
        assertEquals(27.5, json.get("means_by_activations").get("java").get("epoch_ms_mean").asDouble(), 1e-9);
        assertEquals(2, json.get("timed_epochs_per_config").asInt());
    }

    @Test
    void aTinyRealRunTimesEveryEpochButTheFirst() {
        StudyConfig config = builtIn();
        Map<String, Object> p = new LinkedHashMap<>(SpaceSpeedBenchmark.sample(config, 1, 3).get(0));
        p.put("layers", 1);
        p.put("units_1", 16);
        p.keySet().removeIf(k -> k.matches("units_[2-4]"));
        p.put("activation", "leakyrelu");
        List<SpaceSpeedBenchmark.Row> rows = SpaceSpeedBenchmark.run(config, List.of(p), 3, 3,
                TrialSpeedBenchmark.Key.STUDY, List.of("java", "dl4j"), null);
        assertEquals(List.of("java", "dl4j"), rows.stream().map(SpaceSpeedBenchmark.Row::activations).toList());
        for (SpaceSpeedBenchmark.Row r : rows) {
            assertEquals(2, r.epochMillis().size());
            assertEquals(2, r.epochCpuMillis().size());
            assertTrue(r.meanMillis() > 0);
        }
        assertEquals(rows.get(0).valAccuracy(), rows.get(1).valAccuracy(), "same training either way");
        assertEquals(2, SpaceSpeedBenchmark.groups(rows).stream().filter(g -> g.dimension().equals("depth")).count());
    }

    @Test
    void badOptionsAreUsageErrorsBeforeTraining() {
        for (List<String> args : List.of(List.of("--configs", "0"), List.of("--epochs", "1"),
                List.of("--set", "nonsense"), List.of("--activations", "fast"), List.of("--set", "batch_size=-3"),
                List.of("--space", "no/such/file.yaml"))) {
            StringWriter err = new StringWriter();
            CommandLine cl = new CommandLine(new SpaceSpeedBenchmark.Command());
            cl.setErr(new PrintWriter(err));
            assertEquals(2, cl.execute(args.toArray(String[]::new)), args + ": " + err);
        }
    }

    @Test
    void helpListsTheOptions() {
        String usage = new CommandLine(new SpaceSpeedBenchmark.Command()).getUsageMessage();
        new ArrayList<>(List.of("--configs", "--seed", "--epochs", "--space", "--set", "--activations"))
                .forEach(o -> assertTrue(usage.contains(o), usage));
    }
}
