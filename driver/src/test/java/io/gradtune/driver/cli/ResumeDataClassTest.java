package io.gradtune.driver.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradtune.driver.config.ConfigException;
import io.gradtune.driver.journal.Journal;
import io.gradtune.driver.testing.Cli;
import io.gradtune.driver.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code resume} and {@code refit RUN_DIR} drain a data class only when the user names it again
 * ({@code --data-class}): a run directory alone never decides to run code.
 */
class ResumeDataClassTest {

    @TempDir
    Path dir;

    @Test
    void aJournaledDataClassNeedsTheSameNameOnTheCommandLine() {
        String journaled = ResumeCommand.journaledDataClass("study: s\ndata: {class: com.acme.Data}\n");
        assertEquals("com.acme.Data", journaled);
        ConfigException missing = assertThrows(ConfigException.class,
                () -> ResumeCommand.confirmDataClass(journaled, null, dir));
        assertEquals("data.class", missing.field());
        assertTrue(missing.getMessage().contains("pass --data-class com.acme.Data"), missing.getMessage());
        ConfigException other = assertThrows(ConfigException.class,
                () -> ResumeCommand.confirmDataClass(journaled, "com.acme.Other", dir));
        assertTrue(other.getMessage().contains("not com.acme.Other"), other.getMessage());
        assertDoesNotThrow(() -> ResumeCommand.confirmDataClass(journaled, "com.acme.Data", dir));
    }

    @Test
    void aStudyOfFilesTakesNoDataClass() {
        String journaled = ResumeCommand.journaledDataClass("study: s\ndata: {source: d.csv}\n");
        assertNull(journaled);
        assertDoesNotThrow(() -> ResumeCommand.confirmDataClass(journaled, null, dir));
        ConfigException e = assertThrows(ConfigException.class,
                () -> ResumeCommand.confirmDataClass(journaled, "com.acme.Data", dir));
        assertEquals("--data-class", e.field());
    }

    @Test
    void theRunDirectoryAloneNeverLoadsTheClassAndTheExitCodeIsTwo() throws Exception {
        Path run = Files.createDirectories(dir.resolve("runs").resolve("s"));
        String text = "study: s\ndata: {class: " + TestData.Throwing.class.getName() + "}\n"
                + "space: {units: 4}\n";
        ObjectNode launch = JsonNodeFactory.instance.objectNode().put("config_text", text)
                .put("config_file", dir.resolve("s.yaml").toString());
        launch.putArray("args");
        ObjectNode started = JsonNodeFactory.instance.objectNode().put("event", "study_started");
        started.set("launch", launch);
        Files.writeString(run.resolve(Journal.FILE), started + "\n");
        Cli r = Cli.run("resume", run.toString());
        assertEquals(Gradtune.EXIT_USAGE, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("pass --data-class " + TestData.Throwing.class.getName()), r.err());
    }
}
