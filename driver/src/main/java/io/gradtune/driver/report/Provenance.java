package io.gradtune.driver.report;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.worker.data.DataFingerprint;
import io.gradtune.worker.model.TrainingProvenance;
import io.gradtune.worker.protocol.DataSpec;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * What, besides the config, decides how a study's networks trained, for {@code study.json}: the git commit gradtune
 * was built from (and whether the work tree had uncommitted changes), this JVM's {@link TrainingProvenance}
 * (training-step switches requested and effective, ND4J backend and native build, BLAS and threads), and the
 * SHA-256 of the data files ({@link DataFingerprint}), or for data read through Spark SQL the digest of the rows read.
 *
 * <p>{@link #collect(StudyConfig)} never throws: a part that cannot be determined is recorded as {@code unknown}
 * ({@code gitCommit}), {@code null} ({@code gitDirty}) or {@code {"error": ...}} ({@code training}, {@code data}).
 * It reads the data files once (streamed), so its cost grows with their size (about a second per few hundred MB).
 * The training part describes the driver's JVM, which is where trials train only with a {@code local} Spark master.
 */
public final class Provenance {

    /** The build's resource (filtered by Maven; the git properties come from the git-commit-id plugin). */
    static final String RESOURCE = "/gradtune-versions.properties";
    static final String UNKNOWN = "unknown";

    private Provenance() {
    }

    /**
     * {@code gitCommit} (40 hex digits or {@code unknown}), {@code gitDirty} ({@code true}, {@code false} or
     * {@code null} when unknown), {@code training} ({@link TrainingProvenance#toMap()}) and {@code data}
     * ({@link DataFingerprint#toMap()} of {@code config.data()}), in that order.
     */
    public static Map<String, Object> collect(StudyConfig config) {
        return collect(buildProperties(), config.data(), TrainingProvenance::current);
    }

    static Map<String, Object> collect(Properties build, DataSpec data, Supplier<TrainingProvenance> training) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("gitCommit", gitCommit(build));
        out.put("gitDirty", gitDirty(build));
        out.put("training", attempt(() -> training.get().toMap()));
        out.put("data", attempt(() -> {
            if (data == null) {
                throw new IllegalArgumentException("the study has no data");
            }
            if (!data.readsLocalFiles()) {
                return rowsDigest(data);
            }
            return DataFingerprint.of(data).toMap();
        }));
        return Collections.unmodifiableMap(out);
    }

    /**
     * Data read through Spark SQL (a file-system URI, parquet, a catalog table) has no local files to hash: its
     * {@code sha256} is the digest of the rows the driver read ({@code SharedData.digest}), {@code of} says so.
     */
    private static Map<String, Object> rowsDigest(DataSpec data) {
        if (data.fingerprint() == null) {
            throw new IllegalArgumentException("the rows of " + data.location() + " have not been read yet");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sha256", data.fingerprint());
        out.put("of", "rows");
        out.put("source", data.location());
        return Collections.unmodifiableMap(out);
    }

    /** The build's {@code gradtune-versions.properties}; empty when it is missing or unreadable. */
    static Properties buildProperties() {
        Properties p = new Properties();
        try (InputStream in = Provenance.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException | IllegalArgumentException e) {
            // provenance is informative: an unreadable resource means "unknown"
        }
        return p;
    }

    /** The commit, when the build recorded a full 40-hex-digit one; {@code unknown} otherwise. */
    static String gitCommit(Properties build) {
        String commit = build.getProperty("git.commit", "").strip();
        return commit.matches("[0-9a-f]{40}") ? commit : UNKNOWN;
    }

    /** Whether the build's work tree had changes, or null when the build did not know (no git, unfiltered). */
    static Boolean gitDirty(Properties build) {
        String dirty = build.getProperty("git.dirty", "").strip();
        return switch (dirty) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> null;
        };
    }

    private static Map<String, Object> attempt(Supplier<Map<String, Object>> part) {
        try {
            return part.get();
        } catch (RuntimeException | LinkageError e) {
            String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
            return Map.of("error", message);
        }
    }
}
