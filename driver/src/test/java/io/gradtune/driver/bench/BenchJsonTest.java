package io.gradtune.driver.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sampler and stream benchmarks' JSON records: same bytes as before for ordinary values, always valid JSON. */
class BenchJsonTest {

    /** Quotes, backslashes, line breaks, control characters, non-ASCII (BMP and a surrogate pair). */
    static final String AWKWARD = "a \"quoted\" C:\\path\\ line\nbreak\r\ttab \u0000\u0001\u001f\u007f é 漢字 🙂";

    /** Jackson's defaults reject NaN/Infinity tokens, raw control characters and bad escapes. */
    static JsonNode parseStrictly(String json) throws Exception {
        return new ObjectMapper().readTree(json);
    }

    static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static BenchmarkResult result(String function, double knownMin, double median) {
        TreeMap<Integer, List<Double>> bestAt = new TreeMap<>();
        bestAt.put(25, List.of(0.5, 0.25, 1.0E-5));
        bestAt.put(50, List.of(0.4, median, 0.1));
        return new BenchmarkResult(function, "bayesian", 50, 3, knownMin, median, 0.15, 0.3, 1.25, bestAt);
    }

    static StreamBenchmark.Result stream(double p50) {
        return new StreamBenchmark.Result("latency", 100, 20, 100, 1234, 1000, 17, 140, p50, 80.9, 143.0, 1.5, 2.25,
                12388.4, 55.55, 99.94, 60.0);
    }

    @Test
    void ordinaryRecordsKeepTheirBytes() {
        assertEquals("{\"function\":\"branin\",\"sampler\":\"bayesian\",\"evals\":50,\"seeds\":3,"
                + "\"known_min\":0.397887,\"median_best\":0.2,\"q1_best\":0.15,\"q3_best\":0.3,\"ms_per_proposal\":1.25,"
                + "\"median_regret_at\":{\"25\":-0.147887,\"50\":-0.19788699999999998},"
                + "\"best_at\":{\"25\":[0.5,0.25,1.0E-5],\"50\":[0.4,0.2,0.1]}}", result("branin", 0.397887, 0.2).toJson());
        assertEquals("{\"function\":\"hartmann6\",\"sampler\":\"tpe\",\"observed\":100,\"proposals\":200,"
                        + "\"ms_per_proposal\":0.75,\"cpu_ms_per_proposal\":0.5,\"ms_first_proposal\":12.5}",
                new ProposalTiming("hartmann6", "tpe", 100, 200, 0.75, 0.5, 12.5).toJson());
        assertEquals("{\"mode\":\"latency\",\"trials\":100,\"epochs\":20,\"epoch_millis\":100,\"records\":1234,"
                + "\"decisions_sampled\":1000,\"stops\":17,\"study_trials\":140,"
                + "\"decision_latency_ms\":{\"p50\":11.23,\"p99\":80.90,\"max\":143.00},"
                + "\"publish_to_sink_ms\":{\"p50\":1.50,\"p99\":2.25},\"consumer_records_per_second\":12388,"
                + "\"consumer_us_per_record\":{\"p50\":55.6,\"p99\":99.9,\"mean\":60.0}}", stream(11.234).toJson());
    }

    @Test
    void benchmarkResultEscapesStringsAndWritesNonFiniteAsNull() throws Exception {
        JsonNode n = parseStrictly(result(AWKWARD, Double.NEGATIVE_INFINITY, Double.NaN).toJson());
        assertEquals(AWKWARD, n.get("function").asText());
        assertTrue(n.get("known_min").isNull());
        assertTrue(n.get("median_best").isNull());
        assertTrue(n.get("best_at").get("50").get(1).isNull());
        assertTrue(n.get("median_regret_at").get("50").isNull());
        assertEquals(List.of("function", "sampler", "evals", "seeds", "known_min", "median_best", "q1_best", "q3_best",
                "ms_per_proposal", "median_regret_at", "best_at"), fieldNames(n));
    }

    @Test
    void proposalTimingEscapesStringsAndWritesNonFiniteAsNull() throws Exception {
        JsonNode n = parseStrictly(new ProposalTiming(AWKWARD, AWKWARD, 10, 20, 1.0, Double.NaN,
                Double.POSITIVE_INFINITY).toJson());
        assertEquals(AWKWARD, n.get("function").asText());
        assertEquals(AWKWARD, n.get("sampler").asText());
        assertTrue(n.get("cpu_ms_per_proposal").isNull());
        assertTrue(n.get("ms_first_proposal").isNull());
    }

    @Test
    void streamResultWritesNonFiniteAsNull() throws Exception {
        // an empty sample gives NaN percentiles; the old format printed a bare NaN, which is not JSON
        JsonNode n = parseStrictly(stream(Double.NaN).toJson());
        assertTrue(n.get("decision_latency_ms").get("p50").isNull());
        assertEquals(80.9, n.get("decision_latency_ms").get("p99").asDouble());
        assertEquals(List.of("mode", "trials", "epochs", "epoch_millis", "records", "decisions_sampled", "stops",
                "study_trials", "decision_latency_ms", "publish_to_sink_ms", "consumer_records_per_second",
                "consumer_us_per_record"), fieldNames(n));
    }
}
