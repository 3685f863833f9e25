package io.gradtune.driver.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A run directory's durable event log ({@code journal.jsonl}): one JSON object a line, append only, each line forced
 * to the disk ({@link FileChannel#force}) before {@link #append} returns, so the driver acts only on what a
 * {@code kill -9} cannot take back. {@link #appendDeferred} writes a line without its own disk flush: the line is in
 * the file at once (a {@code kill -9} of the driver cannot take it back, the kernel holds it) and on the disk with the
 * next {@link #append}'s flush or at {@link #close}, so only a lost machine can lose it, and then only together with
 * every line after it. A crash can leave a half-written last line; {@link #read} drops it and
 * {@link #open} cuts it off before appending, so the next line starts clean. A damaged line anywhere else is an
 * error: the journal is the study's memory and is never guessed at.
 *
 * <p>Every event has a string {@code event} field; what the other fields mean is the writer's business (see the
 * run layer's {@code StudyJournal}).
 */
public final class Journal implements AutoCloseable {

    /** The journal's file name in a run directory. */
    public static final String FILE = "journal.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final FileChannel channel;
    private boolean unforced;
    private long forces;

    private Journal(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /**
     * Opens (creating it if needed) the journal for appending, after cutting off a half-written last line.
     *
     * @throws UncheckedIOException when it cannot be opened
     */
    public static Journal open(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            channel.truncate(Files.exists(file) ? completeLength(file) : 0);
            channel.position(channel.size());
            return new Journal(file, channel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the journal " + file, e);
        }
    }

    /** Appends one event and forces it to the disk. */
    public synchronized void append(Map<String, ?> event) {
        appendAll(List.of(event));
    }

    /**
     * Appends events in order and forces them to the disk once: one disk flush where {@link #append} per event would
     * take one each (the proposal loop journals a trial's creation and start together, on the path from a free slot
     * to the next trial). All are durable when this returns; a crash before may leave any prefix of them, as separate
     * appends would.
     */
    public synchronized void appendAll(List<? extends Map<String, ?>> events) {
        write(events);
        force();
    }

    /**
     * Appends one event without a disk flush of its own: it reaches the disk with the next {@link #append} or
     * {@link #appendAll} (one flush for both) or at {@link #close}. For events the driver does not act on before it
     * journals something else: a finished trial, which the study's next trial (journaled with a flush before it is
     * submitted) follows, so the flush moves off the path from a free slot to the next trial instead of being one
     * more per trial. A crash of the driver alone loses nothing (the line is written to the file); a lost machine may
     * lose it with the lines after it, as a crash during any append may.
     */
    public synchronized void appendDeferred(Map<String, ?> event) {
        write(List.of(event));
        unforced = true;
    }

    /** Disk flushes so far (tests). */
    synchronized long forces() {
        return forces;
    }

    private void write(List<? extends Map<String, ?>> events) {
        StringBuilder lines = new StringBuilder();
        for (Map<String, ?> event : events) {
            if (!(event.get("event") instanceof String)) {
                throw new IllegalArgumentException("a journal event needs a string 'event' field: " + event);
            }
            try {
                lines.append(JSON.writeValueAsString(event)).append('\n');
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("cannot write a journal event as JSON: " + event, e);
            }
        }
        try {
            ByteBuffer buffer = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the journal " + file, e);
        }
    }

    private void force() {
        try {
            channel.force(false);
            unforced = false;
            forces++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the journal " + file, e);
        }
    }

    /**
     * Every complete event of a journal, in order; a half-written last line (no newline at its end, or not JSON) is
     * left out. An empty list when the file does not exist.
     *
     * @throws JournalException when a line before the last is not a JSON object with an {@code event}
     */
    public static List<ObjectNode> read(Path file) {
        List<ObjectNode> events = new ArrayList<>();
        if (!Files.exists(file)) {
            return events;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal " + file, e);
        }
        String[] lines = text.split("\n", -1);
        // The piece after the last newline is either empty or a half-written line: never an event.
        for (int i = 0; i < lines.length - 1; i++) {
            boolean last = i == lines.length - 2 && lines[lines.length - 1].isEmpty();
            ObjectNode event = parse(lines[i]);
            if (event == null) {
                if (last) {
                    break; // written up to its newline, but garbled by the crash: tolerated like a torn line
                }
                throw new JournalException(file + ", line " + (i + 1) + ": not a journal event: "
                        + abbreviate(lines[i]));
            }
            events.add(event);
        }
        return events;
    }

    @Override
    public synchronized void close() {
        try (channel) {
            if (unforced) {
                channel.force(false); // a deferred event's flush
                unforced = false;
                forces++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the journal " + file, e);
        }
    }

    private static ObjectNode parse(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            return node instanceof ObjectNode o && o.path("event").isTextual() ? o : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Bytes up to and including the last newline that ends a valid event. */
    private static long completeLength(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        if (end > 0) {
            int start = end - 1;
            while (start > 0 && bytes[start - 1] != '\n') {
                start--;
            }
            if (parse(new String(bytes, start, end - 1 - start, StandardCharsets.UTF_8)) == null) {
                end = start; // the last full line is garbled too: cut it as read() leaves it out
            }
        }
        return end;
    }

    private static String abbreviate(String line) {
        return line.length() <= 120 ? line : line.substring(0, 120) + "...";
    }

    /** A journal that cannot be trusted: a damaged line before its end. */
    public static final class JournalException extends RuntimeException {
        public JournalException(String message) {
            super(message);
        }
    }
}
