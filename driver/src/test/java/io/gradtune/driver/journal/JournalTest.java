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
    void oneFlushCoversEverythingWrittenBeforeItAndLaterForcesOfThatPartNeedNone() {
        Path file = dir.resolve(Journal.FILE);
        try (Journal j = Journal.open(file)) {
            long a = j.write(List.of(Map.of("event", "a")));
            long b = j.write(List.of(Map.of("event", "b"), Map.of("event", "c")));
            assertTrue(b > a, "positions grow with what is written");
            assertEquals(0, j.forces(), "write does not flush");
            j.force(a);
            assertEquals(1, j.forces());
            j.force(b); // b was written before a's flush started: already on the disk
            j.force(a);
            assertEquals(1, j.forces(), "a flush covers everything written before it");
            j.append(Map.of("event", "d"));
            assertEquals(2, j.forces(), "an append flushes what the last flush did not cover");
        }
        assertEquals(List.of("a", "b", "c", "d"), Journal.read(file).stream().map(e -> e.path("event").asText())
                .toList());
    }

    @Test
    void appendsFromManyThreadsAllArriveWholeAndInTheOrderTheirWritesTook() throws Exception {
        Path file = dir.resolve(Journal.FILE);
        int threads = 8;
        int each = 50;
        try (Journal j = Journal.open(file)) {
            List<Thread> ts = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                ts.add(new Thread(() -> {
                    for (int n = 0; n < each; n++) {
                        j.append(Map.of("event", "e", "thread", id, "n", n));
                    }
                }));
            }
            ts.forEach(Thread::start);
            for (Thread t : ts) {
                t.join(60_000);
            }
            assertTrue(j.forces() <= (long) threads * each, "at most one flush per append");
        }
        List<ObjectNode> events = Journal.read(file);
        assertEquals(threads * each, events.size());
        int[] next = new int[threads];
        for (ObjectNode e : events) {
            int t = e.path("thread").asInt();
            assertEquals(next[t]++, e.path("n").asInt(), "one thread's events stay in its order");
        }
    }
}
