package io.gradtune.driver.run;

import io.gradtune.driver.stream.MetricsConsumer;
import io.gradtune.driver.study.Study;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code records} section of {@code study.json}: what became of every record read from the metrics topic. The
 * consumer counts what it could not hand on (malformed, unknown schema version, other study), the study what it
 * rejected (other run, unknown trial, unlaunched attempt, duplicate, out of order, trial ended); {@code accepted} is
 * the line count of {@code metrics.jsonl} and the study's epochs trained.
 */
final class RecordReport {

    private RecordReport() {
    }

    static Map<String, Object> of(Study.RecordCounts study, MetricsConsumer consumer) {
        Map<String, Object> rejected = new LinkedHashMap<>();
        rejected.put("otherRun", study.otherRun());
        rejected.put("otherStudy", consumer.otherStudy());
        rejected.put("unknownTrial", study.unknownTrial());
        rejected.put("unlaunchedAttempt", study.unlaunchedAttempt());
        rejected.put("duplicate", study.duplicates());
        rejected.put("outOfOrder", study.outOfOrder());
        rejected.put("trialEnded", study.trialEnded());
        rejected.put("malformed", consumer.malformed());
        rejected.put("unknownSchemaVersion", consumer.unknownSchemaVersion());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accepted", study.accepted());
        m.put("superseded", study.superseded());
        m.put("rejected", study.rejected() + consumer.rejected());
        m.put("rejectedBy", rejected);
        m.put("stillHeldBack", study.parked());
        return m;
    }
}
