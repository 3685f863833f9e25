package io.gradtune.worker.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.UncheckedIOException;
import java.util.List;

/**
 * JSON encoding of the protocol records. Each message carries an explicit {@code type} and
 * {@code schemaVersion}; decoding checks both and never chooses a Java class from a name in the message.
 * Non-finite numbers are written as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
 * Readers are tolerant: fields added within a schema version are ignored; removing or changing one needs a
 * new schema version.
 */
public final class ProtocolCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private ProtocolCodec() {
    }

    /** The shared mapper (thread-safe once configured). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String encode(Object message) {
        try {
            return MAPPER.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    public static Decoded<EpochMetrics> decodeEpochMetrics(String json) {
        Decoded<EpochMetrics> d = decode(json, EpochMetrics.TYPE, EpochMetrics.SCHEMA_VERSION, EpochMetrics.class);
        if (!d.isAccepted()) {
            return d;
        }
        EpochMetrics m = d.value();
        if (m.study() == null || m.trialId() == null || m.layers() == null) {
            return Decoded.rejected("missing study, trialId or layers");
        }
        if (m.runId() == null || m.runId().isBlank()) {
            return Decoded.rejected("missing runId");
        }
        if (m.attempt() < 0) {
            return Decoded.rejected("attempt must be >= 0, was " + m.attempt());
        }
        if (m.executorId() == null || m.host() == null) {
            return Decoded.rejected("missing executorId or host");
        }
        if (m.epoch() < 1) {
            return Decoded.rejected("epoch must be >= 1, was " + m.epoch());
        }
        return d;
    }

    public static Decoded<TrialSpec> decodeTrialSpec(String json) {
        Decoded<TrialSpec> d = decode(json, TrialSpec.TYPE, TrialSpec.SCHEMA_VERSION, TrialSpec.class);
        if (d.isAccepted() && (d.value().runId() == null || d.value().runId().isBlank())) {
            return Decoded.rejected("missing runId");
        }
        return d;
    }

    public static Decoded<Verdict> decodeVerdict(String json) {
        Decoded<Verdict> d = decode(json, Verdict.TYPE, Verdict.SCHEMA_VERSION, Verdict.class);
        if (d.isAccepted() && (d.value().runId() == null || d.value().trialId() == null)) {
            return Decoded.rejected("missing runId or trialId");
        }
        return d;
    }

    public static Decoded<TrialOutcome> decodeTrialOutcome(String json) {
        return decode(json, TrialOutcome.TYPE, TrialOutcome.SCHEMA_VERSION, TrialOutcome.class);
    }

    /**
     * Binds the message in one pass; only when that fails or the type or version is wrong does it parse again
     * into a tree, to say exactly what is wrong (the consumer decodes every epoch record, so the common case
     * must not pay for two parses).
     */
    private static <T extends Message> Decoded<T> decode(String json, String type, int version, Class<T> cls) {
        if (json == null || json.isBlank()) {
            return Decoded.rejected("empty message");
        }
        try {
            T value = MAPPER.readValue(json, cls);
            if (value != null && type.equals(value.type()) && value.schemaVersion() == version) {
                return Decoded.accepted(value);
            }
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // fall through: the tree below names the problem
        }
        return diagnose(json, type, version, cls);
    }

    private static <T> Decoded<T> diagnose(String json, String type, int version, Class<T> cls) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return Decoded.rejected("not JSON: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) {
            return Decoded.rejected("not a JSON object");
        }
        String actualType = tree.path("type").asText(null);
        if (!type.equals(actualType)) {
            return Decoded.rejected("type is " + actualType + ", expected " + type);
        }
        JsonNode v = tree.get("schemaVersion");
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            return Decoded.rejected("malformed " + type + ": schemaVersion is " + v + ", not a version number");
        }
        if (v.asInt() != version) {
            return Decoded.unsupportedVersion("unsupported schemaVersion " + v + " (this build reads " + version + ")");
        }
        try {
            T value = MAPPER.treeToValue(tree, cls);
            return value == null ? Decoded.rejected("null message") : Decoded.accepted(value);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Decoded.rejected("malformed " + type + ": " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        List<String> lines = s.lines().toList();
        return lines.isEmpty() ? s : lines.get(0);
    }
}
