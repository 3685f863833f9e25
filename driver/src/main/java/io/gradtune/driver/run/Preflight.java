package io.gradtune.driver.run;

import io.gradtune.driver.config.ConfigException;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.data.StudyData;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checks a study passes before anything starts (no broker, no Spark, no run directory): its local data read in
 * full and checked ({@link StudyData#readLocal}) and its output directory writable. A failure is a
 * {@link ConfigException} (exit 2). The config itself, the Spark master's form included, is checked as it loads.
 * Data read through Spark SQL is checked by {@code run} as it reads it, before any trial and before the run directory.
 */
public final class Preflight {

    static final String OUTPUT_FIELD = "output.dir (or --output)";

    private Preflight() {
    }

    /**
     * {@code run}'s checks: the local data, then the output directory, which is created and probed with a temporary
     * file (both removed again: the run creates the directory when it writes its first file).
     *
     * @return the local data as read, split and checked, for the study to use rather than read it again; null for
     *         data Spark SQL reads (checked when the study reads it)
     */
    public static StudyData beforeRun(StudyConfig config) {
        StudyData data = config.data().readsLocalFiles() ? StudyData.readLocal(config) : null;
        probeOutput(config);
        return data;
    }

    /**
     * {@code validate}'s checks, which write nothing: the local data, and that the output directory could be created
     * (its nearest existing ancestor is a writable directory).
     *
     * @return a line about the data for the console, e.g. rows, features, classes and the split
     */
    public static String beforeValidate(StudyConfig config) {
        String summary = checkLocalData(config);
        Path dir = config.outputDir().toAbsolutePath().normalize();
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            throw new ConfigException(file(config), OUTPUT_FIELD, config.outputDir().toString(), existing == null
                    ? "no existing ancestor directory" : existing + (Files.isDirectory(existing)
                    ? " is not writable" : " is a file, not a directory") + "; choose a directory gradtune can write");
        }
        return summary;
    }

    /** Reads and checks local csv or idx data in full; returns its summary (null for data Spark SQL reads). */
    private static String checkLocalData(StudyConfig config) {
        return config.data().readsLocalFiles() ? StudyData.readLocal(config).summary() : null;
    }

    /**
     * Creates the output directory, writes and removes a temporary file in it, then removes the directories it
     * created, so a later failure before the study starts still leaves nothing written.
     */
    private static void probeOutput(StudyConfig config) {
        Path dir = config.outputDir().toAbsolutePath().normalize();
        java.util.List<Path> created = new java.util.ArrayList<>();   // deepest first
        for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) {
            created.add(p);
        }
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".gradtune-write-probe", ".tmp");
            Files.delete(probe);
        } catch (IOException | UnsupportedOperationException e) {
            throw new ConfigException(file(config), OUTPUT_FIELD, config.outputDir().toString(), "cannot write there: "
                    + reason(e) + "; choose a directory gradtune can create and write (run directories go under it)");
        }
        for (Path p : created) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                return;   // someone else wrote there meanwhile: theirs to keep, and the directory is writable
            }
        }
    }

    private static String reason(Exception e) {
        if (e instanceof AccessDeniedException a) {
            return "permission denied (" + a.getFile() + ")";
        }
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + " exists and is not a directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason() + " (" + f.getFile() + ")";
        }
        return String.valueOf(e.getMessage());
    }

    private static String file(StudyConfig config) {
        return config.source() == null ? null : config.source().toString();
    }
}
