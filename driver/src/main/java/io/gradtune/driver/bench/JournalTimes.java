package io.gradtune.driver.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * When a run's first trial started and its last trial ended, from the {@code at} timestamps of the run directory's
 * {@code journal.jsonl} ({@code trial_running} and {@code trial_finished} events), for {@link StudyBenchmark}'s
 * fixed cost. A half-written last line is skipped, as {@code resume} skips it.
 *
 * @param firstTrialRunning the earliest {@code trial_running}, or null without one
 * @param lastTrialFinished the latest {@code trial_finished}, or null without one
 */
record JournalTimes(Instant firstTrialRunning, Instant lastTrialFinished) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads {@code journal.jsonl}; both null if the file is absent. */
    static JournalTimes read(Path journal) throws IOException {
        if (!Files.isRegularFile(journal)) {
            return new JournalTimes(null, null);
        }
        Instant first = null;
        Instant last = null;
        for (String line : Files.readAllLines(journal)) {
            JsonNode e;
            try {
                e = JSON.readTree(line);
            } catch (IOException halfWritten) {
                continue;
            }
            if (e == null || !e.hasNonNull("at")) {
                continue;
            }
            Instant at = Instant.parse(e.get("at").asText());
            switch (e.path("event").asText()) {
                case "trial_running" -> first = first == null || at.isBefore(first) ? at : first;
                case "trial_finished" -> last = last == null || at.isAfter(last) ? at : last;
                default -> {
                }
            }
        }
        return new JournalTimes(first, last);
    }
}
