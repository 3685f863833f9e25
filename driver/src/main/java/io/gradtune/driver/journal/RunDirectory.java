package io.gradtune.driver.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The rules that keep a run directory from being replaced or written by two processes: {@link #hasContent} (a
 * {@code run} into a directory that holds a study stops unless told to overwrite it), {@link #lock} (one writer
 * at a time; a lock left by a dead process on this host is taken over), {@link #clear} and
 * {@link #removeTempFiles} (what a {@code kill -9} leaves behind).
 */
public final class RunDirectory {

    /** The lock file's name: it names the process writing the study. */
    public static final String LOCK = ".lock";

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunDirectory() {
    }

    /** Whether the directory holds anything besides a lock (it does not exist, or is empty: false). */
    public static boolean hasContent(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Files.exists(dir);
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> !f.getFileName().toString().equals(LOCK));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /**
     * Takes the directory's lock (creating the directory). A lock held by a live process, or by a process on another
     * host (whose liveness cannot be checked from here), is refused; a lock of a process on this host that is gone
     * (its pid not running, or running but started at another time: a reused pid) is taken over, and {@code notes}
     * is told so.
     *
     * @throws LockedException when another process holds it
     */
    public static Lock lock(Path dir, Consumer<String> notes) {
        Path file = dir.resolve(LOCK);
        Map<String, Object> mine = new LinkedHashMap<>();
        mine.put("pid", ProcessHandle.current().pid());
        mine.put("host", hostName());
        mine.put("started", ProcessHandle.current().info().startInstant().map(Instant::toString).orElse(""));
        try {
            Files.createDirectories(dir);
            byte[] content = JSON.writeValueAsBytes(mine);
            for (int round = 0; round < 2; round++) {
                try {
                    Files.write(file, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    return new Lock(file);
                } catch (FileAlreadyExistsException e) {
                    String stale = staleness(file);
                    if (stale == null) {
                        throw new LockedException("another process is writing " + dir + " (" + describe(file)
                                + "); wait for it to end, or stop it. If it is gone, delete " + file);
                    }
                    notes.accept("taking over the lock of " + dir + ": " + stale);
                    Files.deleteIfExists(file);
                }
            }
            throw new LockedException("cannot take the lock " + file + ": another process took it at the same time");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + dir, e);
        }
    }

    /**
     * Who holds the directory's lock, read only (the lock is never taken or changed): for {@code gradtune status},
     * from any shell while the study runs.
     *
     * @param held  whether a lock file exists
     * @param pid   the holder's pid (-1 when unknown)
     * @param host  the holder's host ("" when unknown)
     * @param alive whether the holder may be alive: on this host its pid runs with the recorded start time; on another
     *              host it cannot be checked and counts as alive
     * @param stale why the holder is gone, or null
     */
    public record Holder(boolean held, long pid, String host, boolean alive, String stale) {
        static final Holder NONE = new Holder(false, -1, "", false, null);
    }

    /** The directory's lock holder, read only; {@link Holder#held()} false when there is no lock file. */
    public static Holder holder(Path dir) {
        Path file = dir.resolve(LOCK);
        try {
            if (!Files.isRegularFile(file)) {
                return Holder.NONE;
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            JsonNode lock;
            try {
                lock = JSON.readTree(text);
            } catch (IOException e) {
                lock = null;
            }
            if (lock == null || !lock.path("pid").canConvertToLong()) {
                // a lock file caught while being written (or damaged): its writer counts as alive
                return new Holder(true, -1, "", true, null);
            }
            String stale = staleness(file);
            return new Holder(true, lock.path("pid").asLong(), lock.path("host").asText(""), stale == null, stale);
        } catch (java.nio.file.NoSuchFileException e) {
            return Holder.NONE; // released while we read it
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lock " + file, e);
        }
    }

    /** Deletes everything in the directory but its lock (for {@code run --overwrite}). */
    public static void clear(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> !f.getFileName().toString().equals(LOCK)).toList()) {
                deleteTree(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir, e);
        }
    }

    /**
     * Deletes the temp files an interrupted atomic write left ({@code .NAME.PID-N.tmp}; a directory for a Parquet
     * export's Spark output); returns how many.
     */
    public static int removeTempFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> temps = files.filter(f -> {
                String n = f.getFileName().toString();
                return n.startsWith(".") && n.endsWith(".tmp");
            }).toList();
            for (Path t : temps) {
                deleteTree(t);
            }
            return temps.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + dir, e);
        }
    }

    /** Deletes a file or a directory with everything in it. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** Why a lock file's owner is gone, or null when it may be alive. */
    private static String staleness(Path file) throws IOException {
        JsonNode lock;
        try {
            lock = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "its lock file is unreadable (" + e.getMessage() + ")";
        }
        if (lock == null || !lock.path("pid").canConvertToLong()) {
            return "its lock file names no process";
        }
        if (!hostName().equals(lock.path("host").asText())) {
            return null;
        }
        long pid = lock.path("pid").asLong();
        Optional<ProcessHandle> owner = ProcessHandle.of(pid);
        if (owner.isEmpty() || !owner.get().isAlive()) {
            return "process " + pid + " on " + hostName() + " is gone";
        }
        String started = owner.get().info().startInstant().map(Instant::toString).orElse("");
        String recorded = lock.path("started").asText();
        if (!started.isEmpty() && !recorded.isEmpty() && !started.equals(recorded)) {
            return "process " + pid + " on " + hostName() + " is gone (its pid now belongs to another process)";
        }
        return null;
    }

    private static String describe(Path file) {
        try {
            JsonNode lock = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            return "pid " + lock.path("pid").asText() + " on " + lock.path("host").asText();
        } catch (IOException e) {
            return "lock file " + file;
        }
    }

    /** Whether a lock's host is this one (its process can be checked from here). */
    public static boolean isThisHost(String host) {
        return hostName().equals(host);
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env == null ? "localhost" : env;
        }
    }

    /** A held run directory lock; closing it deletes the lock file. */
    public static final class Lock implements AutoCloseable {
        private final Path file;

        private Lock(Path file) {
            this.file = file;
        }

        @Override
        public void close() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the lock " + file, e);
            }
        }
    }

    /** The run directory is another process's. */
    public static final class LockedException extends RuntimeException {
        public LockedException(String message) {
            super(message);
        }
    }
}
