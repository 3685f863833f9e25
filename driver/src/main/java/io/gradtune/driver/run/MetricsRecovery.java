package io.gradtune.driver.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradtune.driver.study.TrialState;
import io.gradtune.worker.protocol.Decoded;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.ProtocolCodec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A resumed study's metrics.jsonl: the records of the trials the journal finished, and nothing else. The file of a
 * killed driver may hold records of trials that will run again (their new attempts' records follow), a torn last
 * line, and may lack the last records of a finished trial (the log is flushed per consumer poll, the journal is
 * forced per event): those are taken from the trial's curve in the journal.
 */
final class MetricsRecovery {

    private MetricsRecovery() {
    }

    /** The new content of {@code metrics}: its lines of finished trials, then any of their records it lacks. */
    static String keepFinished(Path metrics, List<ObjectNode> events) {
        Map<String, JsonNode> curves = new LinkedHashMap<>();
        for (ObjectNode e : events) {
            if (e.path("event").asText().equals("trial_finished")
                    && TrialState.valueOf(e.path("state").asText()).isFinal()) {
                curves.put(e.path("trial").asText(), e.path("curve"));
            }
        }
        StringBuilder out = new StringBuilder();
        Set<String> present = new HashSet<>();
        if (Files.exists(metrics)) {
            List<String> lines;
            try {
                lines = Files.readAllLines(metrics, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + metrics, e);
            }
            for (String line : lines) {
                Decoded<EpochMetrics> d = ProtocolCodec.decodeEpochMetrics(line);
                if (d.isAccepted() && curves.containsKey(d.value().trialId()) && present.add(key(d.value()))) {
                    out.append(line).append('\n');
                }
            }
        }
        for (JsonNode curve : curves.values()) {
            for (JsonNode raw : curve) {
                Decoded<EpochMetrics> d = ProtocolCodec.decodeEpochMetrics(raw.asText());
                if (d.isAccepted() && present.add(key(d.value()))) {
                    out.append(raw.asText()).append('\n');
                }
            }
        }
        return out.toString();
    }

    private static String key(EpochMetrics m) {
        return m.trialId() + "/" + m.attempt() + "/" + m.epoch();
    }
}
