package io.gradtune.worker.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bench trial}'s JSON: the same bytes as before for a normal variant, valid JSON whatever it holds. */
class TrialSpeedBenchmarkJsonTest {

    /** Quotes, backslashes, line breaks, control characters, non-ASCII (BMP and a surrogate pair). */
    static final String AWKWARD = "a \"quoted\" C:\\path\\ line\nbreak\r\ttab \u0000\u0001\u001f\u007f é 漢字 🙂";

    static TrialSpeedBenchmark.Variant variant(List<Double> epochMillis, double lastValAccuracy) {
        return new TrialSpeedBenchmark.Variant("on", "direct", "fast", "java", 2, 20, epochMillis, List.of(20.0, 21.0),
                List.of(0.5, 0.51234), 18.1234, 1.005, 3.333, 0.555, lastValAccuracy, 0.123456);
    }

    @Test
    void variantKeepsItsBytes() {
        assertEquals("{\"stats\":\"on\",\"updater\":\"direct\",\"dense\":\"fast\",\"update_math\":\"java\",\"trials\":2,"
                        + "\"epochs_per_trial\":20,\"epoch_ms_median\":24.50,\"epoch_ms_p90\":24.90,"
                        + "\"epoch_cpu_ms_median\":20.50,\"trial_s_median\":0.506,\"trial_s\":[0.500,0.512],"
                        + "\"breakdown_ms_per_epoch_median\":{\"fit\":18.12,\"stats_in_fit\":1.01,\"eval\":3.33,"
                        + "\"layer_stats\":0.56},\"last_val_accuracy\":0.9721,\"last_train_loss\":0.12346}",
                variant(List.of(23.456, 24.5, 25.0), 0.97214).toJson());
    }

    @Test
    void escapesParamsAndWritesNonFiniteAsNull() throws Exception {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put(AWKWARD, AWKWARD);
        params.put("units", 128);
        params.put("learning_rate", 1e-3);
        params.put("batch_norm", true);
        TrialSpeedBenchmark.Config config = new TrialSpeedBenchmark.Config("data/digits.csv", params, 20, 2, 1, "on",
                "direct", "fast", "java", 42);
        String json = TrialSpeedBenchmark.toJson(config, List.of(variant(List.of(), Double.NaN)));
        JsonNode n = new ObjectMapper().readTree(json); // strict: no NaN tokens, no raw control characters
        assertEquals(AWKWARD, n.get("params").get(AWKWARD).asText());
        assertEquals(128, n.get("params").get("units").asInt());
        assertEquals(1e-3, n.get("params").get("learning_rate").asDouble());
        assertTrue(n.get("params").get("batch_norm").asBoolean());
        assertEquals(42, n.get("seed").asLong());
        JsonNode v = n.get("variants").get(0);
        assertTrue(v.get("epoch_ms_median").isNull(), json);
        assertTrue(v.get("last_val_accuracy").isNull(), json);
        assertEquals(0.5, v.get("trial_s").get(0).asDouble());
        assertEquals(List.of("benchmark", "params", "seed", "omp_num_threads", "javacpp_max_physical_bytes",
                "rss_mb_at_end", "variants"), iterate(n));
    }

    private static List<String> iterate(JsonNode n) {
        List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
