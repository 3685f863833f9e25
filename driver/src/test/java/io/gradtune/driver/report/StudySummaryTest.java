package io.gradtune.driver.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.driver.rank.Leaderboard;
import io.gradtune.driver.study.TrialResult;
import io.gradtune.driver.study.TrialState;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code study.json} is valid JSON whatever strings and numbers it carries. */
class StudySummaryTest {

    /** Quotes, backslashes, line breaks, control characters, non-ASCII (BMP and a surrogate pair). */
    static final String AWKWARD = "a \"quoted\" C:\\path\\ line\nbreak\r\ttab \u0000\u0001\u001f\u007f é 漢字 🙂";

    @Test
    void theBayesianSearchSaysWhetherItIsCostAware() throws Exception {
        StudyConfig config = StudyConfigLoader.load(Path.of("../configs/bench-space-smart.yaml"));
        String json = StudySummary.render(config, Map.of(), List.of(),
                new Leaderboard(config.objective(), List.of()), 1.0, Map.of());
        JsonNode effective = new ObjectMapper().readTree(json).get("effective");
        assertEquals("bayesian", effective.get("algorithm").asText());
        assertTrue(effective.get("costAware").asBoolean(), "search.cost_aware defaults to true");
    }

    @Test
    void stringsRoundTripAndNonFiniteNumbersAreNull() throws Exception {
        StudyConfig config = StudyConfigLoader.load(Path.of("../configs/quickstart.yaml"));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("activation", AWKWARD);
        TrialResult best = new TrialResult("t0001", 1, params, TrialState.COMPLETED, 0.25, Double.NaN,
                Double.POSITIVE_INFINITY, 0.3, 2, 3, 1.0, null, null, 100, null, null);
        List<TrialResult> results = List.of(best);
        Leaderboard board = new Leaderboard(new StudyConfig.Objective("val_loss", false), results);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("note", AWKWARD);
        extra.put("nan", Double.NaN);

        String json = StudySummary.render(config, Map.of("java", AWKWARD), results, board, Double.NaN, extra);

        JsonNode n = new ObjectMapper().readTree(json); // strict: no NaN tokens, no raw control characters
        assertEquals(AWKWARD, n.get("note").asText());
        assertEquals(AWKWARD, n.get("versions").get("java").asText());
        assertEquals(AWKWARD, n.get("best").get("params").get("activation").asText());
        assertTrue(n.get("nan").isNull(), json);
        assertTrue(n.get("totals").get("wallSeconds").isNull(), json);
        assertTrue(n.get("best").get("valAccuracy").isNull(), json);
        assertTrue(n.get("best").get("valLoss").isNull(), json);
        assertEquals(0.25, n.get("best").get("objective").asDouble());
        List<String> keys = new ArrayList<>();
        n.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("study", "configFile", "configText", "effective", "seeds", "versions", "totals", "stopLatency", "best",
                "diagnoses", "note", "nan"), keys);
        assertFalse(n.get("effective").get("costAware").asBoolean(), "random search: no cost-aware acquisition");
        List<String> seeds = new ArrayList<>();
        n.get("seeds").fieldNames().forEachRemaining(seeds::add);
        assertEquals(List.of("search", "dataSplit", "trialWeights"), seeds);
    }

    /** Every secret setting, literal or placeholder, is [hidden] in the config text and the effective settings. */
    @Test
    void everySecretSettingIsHiddenWhetherWrittenLiterallyOrAsAPlaceholder(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        String yaml = java.nio.file.Files.readString(Path.of("../configs/quickstart.yaml"))
                .replaceAll("(?m)^(kafka|spark):.*(\\n  .*)*", "")
                .replace("source: ../data/", "source: " + Path.of("../data").toAbsolutePath().normalize() + "/")
                + """

                kafka:
                  bootstrap: broker:9093
                  partitions: 2
                  properties:
                    security.protocol: SASL_PLAINTEXT
                    sasl.jaas.config: 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="literalSentinel42";'
                    ssl.truststore.password: ${env:GT_TRUST}
                spark:
                  properties:
                    spark.executorEnv.GT_KAFKA_PASSWORD: sparkSentinel43
                """;
        Path file = dir.resolve("study.yaml");
        java.nio.file.Files.writeString(file, yaml);
        StudyConfig config = StudyConfigLoader.load(file);
        String json = StudySummary.render(config, Map.of(), List.of(),
                new Leaderboard(config.objective(), List.of()), 1.0, Map.of());

        assertTrue(!json.contains("literalSentinel42"), json);
        assertTrue(!json.contains("sparkSentinel43"), json);
        JsonNode effective = new ObjectMapper().readTree(json).get("effective");
        assertEquals(2, effective.get("kafkaPartitions").asInt());
        assertEquals("broker default", effective.get("kafkaReplicationFactor").asText());
        JsonNode props = effective.get("kafkaProperties");
        assertEquals("[hidden]", props.get("ssl.truststore.password").asText());
        assertEquals("[hidden]", props.get("sasl.jaas.config").asText());
        assertEquals("SASL_PLAINTEXT", props.get("security.protocol").asText());
        assertEquals("[hidden]", effective.get("sparkProperties").get("spark.executorEnv.GT_KAFKA_PASSWORD").asText());
        String text = new ObjectMapper().readTree(json).get("configText").asText();
        assertTrue(text.contains("sasl.jaas.config: \"[hidden]\""), text);
        assertTrue(text.contains("ssl.truststore.password: \"[hidden]\""), text);
        assertTrue(!text.contains("GT_TRUST") && !text.contains("username"), text);
        assertTrue(text.contains("security.protocol: SASL_PLAINTEXT"), text);
    }

    /** Each diagnosed trial lists its fixes: id, text, change and whether the study's space can make the change. */
    @Test
    void eachDiagnosisListsItsFixesWithTheirChangeAndWhetherTheSpaceHasIt() throws Exception {
        StudyConfig config = StudyConfigLoader.load(Path.of("../configs/quickstart.yaml"));
        Map<String, Object> params = new LinkedHashMap<>(Map.of("learning_rate", 0.01, "dropout", 0.0, "layers", 3,
                "units", 64, "activation", "sigmoid", "l2", 1e-5, "batch_size", 64, "optimizer", "adam",
                "weight_init", "xavier"));
        io.gradtune.driver.diagnose.DiagnosisKind vanishing = io.gradtune.driver.diagnose.DiagnosisKind.VANISHING_GRADIENT;
        io.gradtune.driver.diagnose.DiagnosisKind healthy = io.gradtune.driver.diagnose.DiagnosisKind.HEALTHY;
        List<TrialResult> results = List.of(
                new TrialResult("t0001", 1, params, TrialState.COMPLETED, 0.2, 0.2, 2.3, 2.3, 1, 3, 1.0, null, null,
                        100, new io.gradtune.driver.diagnose.Diagnosis(vanishing, List.of(vanishing), Map.of(), "v"), null),
                new TrialResult("t0002", 2, params, TrialState.COMPLETED, 0.9, 0.9, 0.3, 0.3, 3, 3, 1.0, null, null,
                        100, new io.gradtune.driver.diagnose.Diagnosis(healthy, List.of(healthy), Map.of(), "h"), null));
        Leaderboard board = new Leaderboard(config.objective(), results);

        JsonNode n = new ObjectMapper().readTree(StudySummary.render(config, Map.of(), results, board, 1.0, Map.of()));

        JsonNode fixes = n.get("diagnoses").get("t0001").get("fixes");
        List<String> ids = new ArrayList<>();
        fixes.forEach(f -> ids.add(f.get("id").asText()));
        assertEquals(List.of("relu_family", "batch_norm", "residual"), ids, fixes.toString());
        List<String> keys = new ArrayList<>();
        fixes.get(0).fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("id", "text", "change", "inSpace"), keys);
        assertEquals("relu", fixes.get(0).get("change").get("activation").asText());
        assertTrue(fixes.get(0).get("inSpace").asBoolean(), fixes.toString());
        assertTrue(fixes.get(0).get("text").asText().contains("instead of sigmoid"), fixes.toString());
        assertTrue(fixes.get(1).get("change").get("batch_norm").asBoolean());
        assertFalse(fixes.get(1).get("inSpace").asBoolean(), "quickstart does not search batch_norm: " + fixes);
        assertEquals(0, n.get("diagnoses").get("t0002").get("fixes").size());
    }
}
