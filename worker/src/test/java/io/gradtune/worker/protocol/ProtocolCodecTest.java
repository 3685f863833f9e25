package io.gradtune.worker.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProtocolCodecTest {

    static EpochMetrics sample(double trainLoss) {
        LayerStats l0 = new LayerStats(0, "0", "dense", "relu", 0.5, 0.01, 0.2, 1e-3, 4.0, 0, 0, 0.1, null, 0.7);
        LayerStats l1 = new LayerStats(1, "1", "output", "softmax", 0.3, 0.02, 0.1, 2e-3, 2.0, 0, 0, null, null, 0.2);
        return EpochMetrics.of("s", "r-7f3a", "t0001", 0, "3", "10.0.0.7", 3, trainLoss, 0.4, 0.91, 1e-3, 12, 1700000000000L,
                List.of(l0, l1));
    }

    @Test
    void epochMetricsSurviveARoundTrip() {
        EpochMetrics m = sample(0.25);
        Decoded<EpochMetrics> d = ProtocolCodec.decodeEpochMetrics(ProtocolCodec.encode(m));
        assertTrue(d.isAccepted(), d.reason());
        assertEquals(m, d.value());
    }

    /** The network's size travels with every record (optional: a record without it still decodes). */
    @Test
    void numParamsRoundTripsAndIsOptional() {
        EpochMetrics m = sample(0.25).withBatches(17).withNumParams(52_874);
        String json = ProtocolCodec.encode(m);
        assertTrue(json.contains("\"numParams\":52874"), json);
        assertEquals(m, ProtocolCodec.decodeEpochMetrics(json).value());
        assertEquals(52_874, ProtocolCodec.decodeEpochMetrics(json).value().numParamsOrZero());
        String old = ProtocolCodec.encode(sample(0.25));
        assertFalse(old.contains("numParams"), old);
        assertEquals(0, ProtocolCodec.decodeEpochMetrics(old).value().numParamsOrZero());
    }

    @Test
    void encodedRecordCarriesTypeAndSchemaVersionAndNoDerivedFields() {
        String json = ProtocolCodec.encode(sample(0.25));
        assertTrue(json.contains("\"type\":\"epoch_metrics\""), json);
        assertTrue(json.contains("\"schemaVersion\":3"), json);
        assertTrue(json.contains("\"study\":\"s\",\"runId\":\"r-7f3a\",\"trialId\":\"t0001\""), json);
        assertTrue(json.contains("\"attempt\":0,\"executorId\":\"3\",\"host\":\"10.0.0.7\",\"epoch\":3"), json);
        assertFalse(json.contains("\"finite\""), json);
    }

    /** Schema 2 added the executor: a version-1 record (no executor) is rejected like any other version. */
    @Test
    void otherSchemaVersionsAndRecordsWithoutTheirExecutorAreRejected() {
        String json = ProtocolCodec.encode(sample(0.25));
        String v1 = json.replace("\"schemaVersion\":3", "\"schemaVersion\":1")
                .replace("\"executorId\":\"3\",\"host\":\"10.0.0.7\",", "");
        assertTrue(ProtocolCodec.decodeEpochMetrics(v1).reason().contains("unsupported schemaVersion 1"),
                ProtocolCodec.decodeEpochMetrics(v1).reason());
        String noExecutor = json.replace("\"executorId\":\"3\",", "");
        assertTrue(ProtocolCodec.decodeEpochMetrics(noExecutor).reason().contains("executorId"),
                ProtocolCodec.decodeEpochMetrics(noExecutor).reason());
        String noHost = json.replace("\"host\":\"10.0.0.7\",", "");
        assertTrue(ProtocolCodec.decodeEpochMetrics(noHost).reason().contains("host"),
                ProtocolCodec.decodeEpochMetrics(noHost).reason());
    }

    @Test
    void nonFiniteLossesRoundTripAsNaNAndInfinity() {
        EpochMetrics m = sample(Double.NaN);
        EpochMetrics back = ProtocolCodec.decodeEpochMetrics(ProtocolCodec.encode(m)).value();
        assertTrue(Double.isNaN(back.trainLoss()));
        EpochMetrics inf = sample(Double.POSITIVE_INFINITY);
        assertEquals(Double.POSITIVE_INFINITY, ProtocolCodec.decodeEpochMetrics(ProtocolCodec.encode(inf)).value().trainLoss());
    }

    @Test
    void awkwardStringsAndNonFiniteNumbersGiveValidJsonThatRoundTrips() throws Exception {
        String awkward = "a \"quoted\" C:\\path\\ line\nbreak\r\ttab \u0000\u0001\u001f\u007f é 漢字 🙂";
        LayerStats l = new LayerStats(0, awkward, "dense", awkward, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, 0, 1, 3, 4, null, null, Double.NaN);
        EpochMetrics m = EpochMetrics.of(awkward, awkward, awkward, 0, awkward, awkward, 1, Double.NaN, Double.POSITIVE_INFINITY, 0.5, 1e-3, 1,
                1L, List.of(l));
        String json = ProtocolCodec.encode(m);
        JsonNode n = new ObjectMapper().readTree(json); // strict: no NaN tokens, no raw control characters
        assertEquals(awkward, n.get("study").asText());
        assertEquals("NaN", n.get("trainLoss").asText());
        assertEquals("Infinity", n.get("valLoss").asText());
        assertEquals("-Infinity", n.get("layers").get(0).get("gradMaxAbs").asText());
        assertEquals(m, ProtocolCodec.decodeEpochMetrics(json).value());
        TrialOutcome o = TrialOutcome.of(awkward, "t1", 0, TrialOutcome.Status.FAILED, 0, 0, Double.NaN, Double.NaN,
                1000, 0, awkward);
        String oj = ProtocolCodec.encode(o);
        assertEquals(awkward, new ObjectMapper().readTree(oj).get("error").asText());
        assertEquals(o, ProtocolCodec.decodeTrialOutcome(oj).value());
    }

    @Test
    void badInputIsRejectedWithAReasonInsteadOfThrowing() {
        assertEquals("empty message", ProtocolCodec.decodeEpochMetrics("").reason());
        assertTrue(ProtocolCodec.decodeEpochMetrics("{not json").reason().startsWith("not JSON"));
        assertTrue(ProtocolCodec.decodeEpochMetrics("[1,2]").reason().contains("not a JSON object"));
        assertTrue(ProtocolCodec.decodeEpochMetrics("{\"type\":\"trial_spec\",\"schemaVersion\":1}").reason()
                .contains("expected epoch_metrics"));
        String future = ProtocolCodec.encode(sample(0.1)).replace("\"schemaVersion\":3", "\"schemaVersion\":99");
        assertTrue(ProtocolCodec.decodeEpochMetrics(future).reason().contains("unsupported schemaVersion"));
        String noEpoch = ProtocolCodec.encode(sample(0.1)).replace("\"epoch\":3", "\"epoch\":0");
        assertTrue(ProtocolCodec.decodeEpochMetrics(noEpoch).reason().contains("epoch must be >= 1"));
        String wrongType = ProtocolCodec.encode(sample(0.1)).replace("\"epoch\":3", "\"epoch\":\"three\"");
        assertTrue(ProtocolCodec.decodeEpochMetrics(wrongType).reason().startsWith("malformed epoch_metrics"));
    }

    @Test
    void aClassNameInTheMessageIsIgnoredNotUsedToPickAType() {
        String json = ProtocolCodec.encode(sample(0.1)).replace("{\"type\"", "{\"@class\":\"java.lang.Runtime\",\"type\"");
        Decoded<EpochMetrics> d = ProtocolCodec.decodeEpochMetrics(json);
        assertTrue(d.isAccepted(), d.reason());
        assertEquals(sample(0.1), d.value());
    }

    @Test
    void trialSpecRoundTripKeepsParameterTypes() {
        DataSpec data = new DataSpec("/d.csv", "csv", "label", null, 0.6, 0.2, "standard", 0);
        TrialSpec spec = TrialSpec.of("s", "r-7f3a", "t0002", Map.of("learning_rate", 0.01, "layers", 2, "activation", "relu",
                "batch_norm", true), 5, 43, data, "127.0.0.1:9092", "gradtune.metrics");
        TrialSpec back = ProtocolCodec.decodeTrialSpec(ProtocolCodec.encode(spec)).value();
        assertEquals(spec, back);
        assertEquals(Integer.class, back.params().get("layers").getClass());
        assertEquals(Boolean.class, back.params().get("batch_norm").getClass());
    }

    @Test
    void trialSpecRoundTripKeepsItsFineTuning() {
        DataSpec data = new DataSpec("/d.csv", "csv", "label", null, 0.6, 0.2, "standard", 0);
        TrialSpec spec = TrialSpec.of("s", "r-7f3a", "t0004", Map.of("learning_rate", 0.01), 5, 43, data,
                "127.0.0.1:9092", "g.metrics").withFineTune(new FineTuneSpec("/runs/a/best-model.zip", 1, true));
        TrialSpec back = ProtocolCodec.decodeTrialSpec(ProtocolCodec.encode(spec)).value();
        assertEquals(spec, back);
        assertEquals(new FineTuneSpec("/runs/a/best-model.zip", 1, true), back.fineTune());
    }

    @Test
    void trialSpecCarriesKafkaPropertiesAsWrittenAndAVersionOneSpecIsRejected() {
        DataSpec data = new DataSpec("/d.csv", "csv", "label", null, 0.6, 0.2, "standard", 0);
        Map<String, String> props = new java.util.LinkedHashMap<>();
        props.put("security.protocol", "SASL_PLAINTEXT");
        props.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"u\" password=\"${env:GT_PW}\";");
        TrialSpec spec = TrialSpec.of("s", "r-7f3a", "t0003", Map.of("layers", 2), 5, 43, data, "127.0.0.1:9092", "g.metrics")
                .withKafkaProperties(props);
        String json = ProtocolCodec.encode(spec);
        assertTrue(json.contains("${env:GT_PW}"), json);
        TrialSpec back = ProtocolCodec.decodeTrialSpec(json).value();
        assertEquals(spec, back);
        assertEquals(java.util.List.copyOf(props.keySet()), java.util.List.copyOf(back.kafkaProperties().keySet()));

        String v1 = json.replace("\"schemaVersion\":3", "\"schemaVersion\":1");
        Decoded<TrialSpec> old = ProtocolCodec.decodeTrialSpec(v1);
        assertTrue(!old.isAccepted() && old.reason().contains("schemaVersion"), String.valueOf(old.reason()));
        assertEquals(Map.of(), TrialSpec.of("s", "r-7f3a", "t", Map.of(), 1, 1, data, "b:1", "m").kafkaProperties());
    }

    /**
     * Schema 3 added the run id: a record without one is malformed, a schema-2 record (written before run ids) is of
     * an unsupported version, and the decoder says which of the two it is, so the consumer can count them apart.
     */
    @Test
    void epochMetricsCarryTheRunIdAndASchemaTwoRecordIsAnUnsupportedVersion() {
        String json = ProtocolCodec.encode(sample(0.25));
        assertEquals("r-7f3a", ProtocolCodec.decodeEpochMetrics(json).value().runId());

        String v2 = json.replace("\"schemaVersion\":3", "\"schemaVersion\":2").replace("\"runId\":\"r-7f3a\",", "");
        Decoded<EpochMetrics> old = ProtocolCodec.decodeEpochMetrics(v2);
        assertFalse(old.isAccepted());
        assertTrue(old.unsupportedVersion(), old.reason());
        assertTrue(old.reason().contains("unsupported schemaVersion 2"), old.reason());

        for (String broken : List.of(json.replace("\"runId\":\"r-7f3a\",", ""),
                json.replace("\"runId\":\"r-7f3a\"", "\"runId\":\"  \""),
                json.replace("\"runId\":\"r-7f3a\"", "\"runId\":null"))) {
            Decoded<EpochMetrics> d = ProtocolCodec.decodeEpochMetrics(broken);
            assertFalse(d.isAccepted(), broken);
            assertFalse(d.unsupportedVersion(), d.reason());
            assertEquals("missing runId", d.reason());
        }
        Decoded<EpochMetrics> negative = ProtocolCodec.decodeEpochMetrics(json.replace("\"attempt\":0", "\"attempt\":-1"));
        assertEquals("attempt must be >= 0, was -1", negative.reason());
        Decoded<EpochMetrics> noVersion = ProtocolCodec.decodeEpochMetrics(json.replace("\"schemaVersion\":3,", ""));
        assertFalse(noVersion.unsupportedVersion(), "no version at all is malformed, not another version");
        assertTrue(noVersion.reason().startsWith("malformed epoch_metrics"), noVersion.reason());
        assertFalse(ProtocolCodec.decodeEpochMetrics("{not json").unsupportedVersion());
    }

    @Test
    void trialSpecCarriesTheRunIdAndIsRejectedWithoutOne() {
        DataSpec data = new DataSpec("/d.csv", "csv", "label", null, 0.6, 0.2, "standard", 0);
        TrialSpec spec = TrialSpec.of("s", "r-7f3a", "t0004", Map.of("layers", 2), 5, 43, data, "127.0.0.1:9092",
                "g.metrics");
        String json = ProtocolCodec.encode(spec);
        assertTrue(json.contains("\"schemaVersion\":3,\"study\":\"s\",\"runId\":\"r-7f3a\""), json);
        assertEquals("r-7f3a", ProtocolCodec.decodeTrialSpec(json).value().runId());
        assertEquals("missing runId", ProtocolCodec.decodeTrialSpec(json.replace("\"runId\":\"r-7f3a\",", "")).reason());
        Decoded<TrialSpec> v2 = ProtocolCodec.decodeTrialSpec(json.replace("\"schemaVersion\":3", "\"schemaVersion\":2"));
        assertTrue(v2.unsupportedVersion(), v2.reason());
    }

    @Test
    void trialSpecCarriesTheOutageToleranceAndASpecWithoutItReadsTheDefault() {
        DataSpec data = new DataSpec("/d.csv", "csv", "label", null, 0.6, 0.2, "standard", 0);
        TrialSpec spec = TrialSpec.of("s", "run-1", "t0004", Map.of("layers", 2), 5, 43, data, "127.0.0.1:9092", "g.metrics")
                .withKafkaOutageTolerance(java.time.Duration.ofSeconds(8));
        String json = ProtocolCodec.encode(spec);
        assertEquals(8000L, ProtocolCodec.decodeTrialSpec(json).value().kafkaOutageToleranceMillis());
        String without = json.replace(",\"kafkaOutageToleranceMillis\":8000", "");
        assertTrue(!without.contains("kafkaOutageToleranceMillis"), without);
        Decoded<TrialSpec> old = ProtocolCodec.decodeTrialSpec(without);
        assertTrue(old.isAccepted(), String.valueOf(old.reason()));
        assertEquals(TrialSpec.DEFAULT_OUTAGE_TOLERANCE_MILLIS, (long) old.value().kafkaOutageToleranceMillis());
    }
}
