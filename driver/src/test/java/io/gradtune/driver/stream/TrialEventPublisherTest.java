package io.gradtune.driver.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The trial event log's JSON: valid whatever a reason or error message holds. */
class TrialEventPublisherTest {

    /** Quotes, backslashes, line breaks, control characters, non-ASCII (BMP and a surrogate pair). */
    static final String AWKWARD = "a \"quoted\" C:\\path\\ line\nbreak\r\ttab \u0000\u0001\u001f\u007f é 漢字 🙂";

    @Test
    void stringsRoundTripAndNonFiniteNumbersAreTheProtocolsStrings() throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("state", "FAILED");
        fields.put("objective", Double.NaN);
        fields.put("evidence", Map.of("train_loss", Double.POSITIVE_INFINITY));
        fields.put("error", AWKWARD);
        String json = TrialEventPublisher.encode(AWKWARD, "r-1", "t0001", "finished", 1700000000000L, fields);

        JsonNode n = new ObjectMapper().readTree(json); // strict: no NaN tokens, no raw control characters
        assertEquals(AWKWARD, n.get("study").asText());
        assertEquals(AWKWARD, n.get("error").asText());
        assertEquals("r-1", n.get("runId").asText());
        assertEquals(2, n.get("schemaVersion").asInt());
        assertEquals("NaN", n.get("objective").asText());
        assertEquals("Infinity", n.get("evidence").get("train_loss").asText());
        List<String> keys = new ArrayList<>();
        n.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("type", "schemaVersion", "study", "runId", "trialId", "event", "timestampMillis", "state",
                "objective", "evidence", "error"), keys);
    }

    @Test
    void anEventTheBrokerNeverTakesIsCountedAndLoggedNotDroppedSilently() throws Exception {
        try (io.gradtune.driver.testing.LogCapture logs = io.gradtune.driver.testing.LogCapture.start(
                org.apache.logging.log4j.Level.WARN);
             TrialEventPublisher events = new TrialEventPublisher("127.0.0.1:1", Map.of(), "nowhere.trials", "s", "run-1",
                     java.time.Duration.ofSeconds(1))) {
            events.publish("t0001", "queued", Map.of());
            events.publish("t0001", "running", Map.of());
            assertEquals(0, events.awaitSent(java.time.Duration.ofSeconds(30)), "both sends ended");
            assertEquals(2, events.sendFailures());
            org.junit.jupiter.api.Assertions.assertTrue(logs.text().contains(
                    "could not publish the 'queued' event of trial t0001 to nowhere.trials (1 failed so far)"),
                    logs.text());
        }
    }
}
