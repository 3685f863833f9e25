package io.gradtune.driver.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradtune.driver.config.ConfigException;
import io.gradtune.driver.journal.Journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A finished or stopped study's run directory as the commands that work on one after the fact read it ({@code refit
 * RUN_DIR}, {@code learning-curve RUN_DIR}): its journal's events and the launch its {@code study_started} event
 * recorded (with the config text), or a {@link ConfigException} (exit 2) when the directory holds no journal.
 *
 * @param dir    the run directory, absolute and normalized
 * @param events the journal's events, in order
 * @param launch the first {@code study_started} event's {@code launch} with a config text, or null when there is none
 */
record JournaledRun(Path dir, List<ObjectNode> events, JsonNode launch) {

    /**
     * @param runDir the directory the user gave
     * @param where  how error messages name it
     */
    static JournaledRun read(Path runDir, String where) {
        Path dir = runDir.toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve(Journal.FILE))) {
            throw new ConfigException(where, null, null, "not a run directory: it has no " + Journal.FILE
                    + " (give the directory a study wrote, e.g. runs/quickstart)");
        }
        List<ObjectNode> events = Journal.read(dir.resolve(Journal.FILE));
        JsonNode launch = events.stream().filter(e -> e.path("event").asText().equals("study_started"))
                .map(e -> e.path("launch")).filter(l -> l.path("config_text").isTextual()).findFirst().orElse(null);
        return new JournaledRun(dir, events, launch);
    }
}
