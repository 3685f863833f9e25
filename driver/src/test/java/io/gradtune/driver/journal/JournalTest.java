package io.gradtune.driver.journal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalTest {

    @TempDir
    Path dir;

    @Test
    void eventsComeBackInOrderAcrossReopens() {
        Path file = dir.resolve(Journal.FILE);
        try (Journal j = Journal.open(file)) {
            j.append(Map.of("event", "a", "n", 1));
            j.append(Map.of("event", "b", "params", Map.of("x", 0.5)));
        }
        try (Journal j = Journal.open(file)) {
            j.append(Map.of("event", "c"));
        }
        List<ObjectNode> events = Journal.read(file);
        assertEquals(List.of("a", "b", "c"), events.stream().map(e -> e.path("event").asText()).toList());
        assertEquals(0.5, events.get(1).path("params").path("x").asDouble());
    }

    @Test
    void aHalfWrittenLastLineIsLeftOutAndCutBeforeTheNextAppend() throws Exception {
        Path file = dir.resolve(Journal.FILE);
        try (Journal j = Journal.open(file)) {
            j.append(Map.of("event", "a"));
        }
        Files.writeString(file, "{\"event\":\"b\",\"tri", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertEquals(1, Journal.read(file).size(), "the torn line is not an event");
        try (Journal j = Journal.open(file)) {
            j.append(Map.of("event", "c"));
        }
        assertEquals(List.of("a", "c"), Journal.read(file).stream().map(e -> e.path("event").asText()).toList());
        assertTrue(Files.readString(file).endsWith("\"c\"}\n") || Files.readString(file).contains("\"event\":\"c\""));
    }

    @Test
    void aGarbledLastLineWithItsNewlineIsToleratedToo() throws Exception {
        Path file = dir.resolve(Journal.FILE);
        Files.writeString(file, "{\"event\":\"a\"}\n{\"event\":\u0000\u0000\n");
        assertEquals(1, Journal.read(file).size());
        try (Journal j = Journal.open(file)) {
            j.append(Map.of("event", "b"));
        }
        assertEquals(2, Journal.read(file).size());
    }

    @Test
    void aDamagedLineBeforeTheEndIsAnError() throws Exception {
        Path file = dir.resolve(Journal.FILE);
        Files.writeString(file, "{\"event\":\"a\"}\nnot json\n{\"event\":\"b\"}\n");
        Journal.JournalException e = assertThrows(Journal.JournalException.class, () -> Journal.read(file));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void anEventNeedsAName() {
        try (Journal j = Journal.open(dir.resolve(Journal.FILE))) {
            assertThrows(IllegalArgumentException.class, () -> j.append(Map.of("trial", "t0001")));
        }
    }

    @Test
    void appendAllWritesTheEventsInOrderAndNoneWhenOneIsInvalid() {
        Path file = dir.resolve(Journal.FILE);
        try (Journal j = Journal.open(file)) {
            j.append(Map.of("event", "a"));
            j.appendAll(List.of(Map.of("event", "b", "n", 1), Map.of("event", "c", "n", 2)));
            assertThrows(IllegalArgumentException.class,
                    () -> j.appendAll(List.of(Map.of("event", "d"), Map.of("name", "no event field"))));
            j.append(Map.of("event", "e"));
        }
        List<ObjectNode> events = Journal.read(file);
        assertEquals(List.of("a", "b", "c", "e"), events.stream().map(e -> e.path("event").asText()).toList());
        assertEquals(2, events.get(2).path("n").asInt());
    }

    @Test
    void aDeferredEventIsInTheFileAtOnceAndFlushedWithTheNextAppendOrAtClose() {
        Path file = dir.resolve(Journal.FILE);
        try (Journal j = Journal.open(file)) {
            j.appendDeferred(Map.of("event", "finished", "trial", "t1"));
            assertEquals(0, j.forces(), "no flush of its own");
            // written to the file, so a driver killed now (not the machine) keeps it
            assertEquals(List.of("finished"), Journal.read(file).stream().map(e -> e.path("event").asText()).toList());
            j.appendAll(List.of(Map.of("event", "created"), Map.of("event", "running")));
            assertEquals(1, j.forces(), "one flush makes the deferred event and the next ones durable");
            j.appendDeferred(Map.of("event", "finished", "trial", "t2"));
            assertThrows(IllegalArgumentException.class, () -> j.appendDeferred(Map.of("name", "no event field")));
            assertEquals(1, j.forces());
            j.close();
            assertEquals(2, j.forces(), "close flushes a deferred event");
        }
        assertEquals(List.of("finished", "created", "running", "finished"),
                Journal.read(file).stream().map(e -> e.path("event").asText()).toList());
    }

    @Test
    void closeWithNothingDeferredDoesNotFlush() {
        Journal j = Journal.open(dir.resolve(Journal.FILE));
        j.append(Map.of("event", "a"));
        j.close();
        assertEquals(1, j.forces());
    }
}
