package io.gradtune.driver.report;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.worker.protocol.DataSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Provenance}: the build's git commit, the training JVM's provenance and the data files' digests. */
class ProvenanceTest {

    /** SHA-256 of the data file written below (from {@code sha256sum}). */
    private static final String CSV = "a,b,label\n1,2,0\n3,4,1\n";
    private static final String CSV_SHA256 = "549d2aee289b71420edb28a7bca0fb10298700da142c9a17ba4bdc89659d40e1";

    @TempDir
    Path dir;

    @Test
    void collectsTheCommitTheTrainingProvenanceAndTheDataDigest() throws IOException {
        StudyConfig config = StudyConfigLoader.load(study());
        Map<String, Object> p = Provenance.collect(config);

        assertEquals(List.of("gitCommit", "gitDirty", "training", "data"), List.copyOf(p.keySet()));
        Properties build = Provenance.buildProperties();
        String built = build.getProperty("git.commit", "");
        assertTrue(built.matches("[0-9a-f]{40}") || built.equals(Provenance.UNKNOWN),
                "the build filled in the commit (the plugin) or its default (no git): " + build);
        assertTrue(build.getProperty("git.dirty", "").matches("true|false|unknown"), build.toString());
        String commit = (String) p.get("gitCommit");
        assertTrue(commit.matches("[0-9a-f]{40}") || commit.equals(Provenance.UNKNOWN), commit);
        Map<?, ?> training = assertInstanceOf(Map.class, p.get("training"));
        assertEquals("org.nd4j.linalg.cpu.nativecpu.CpuBackend", training.get("backend"), training.toString());
        assertEquals(Map.of("gradtune.directUpdater", true, "gradtune.fastDense", true, "gradtune.javaUpdater", true),
                training.get("effective"));
        Map<?, ?> data = assertInstanceOf(Map.class, p.get("data"));
        assertEquals(CSV_SHA256, data.get("sha256"));
        assertEquals(Map.of(dir.resolve("data.csv").toString(), CSV_SHA256), data.get("files"));
        assertThrows(UnsupportedOperationException.class, () -> p.put("x", 1));
    }

    @Test
    void readsTheGitPropertiesAndTreatsAnythingElseAsUnknown() {
        String sha = "0123456789abcdef0123456789abcdef01234567";
        assertEquals(sha, Provenance.gitCommit(props(sha, "true")));
        assertEquals(Boolean.TRUE, Provenance.gitDirty(props(sha, "true")));
        assertEquals(Boolean.FALSE, Provenance.gitDirty(props(sha, "false")));
        for (Properties unknown : List.of(props("unknown", "unknown"), props("${git.commit.id}", "${git.dirty}"),
                props("abc123", "maybe"), new Properties())) {
            assertEquals(Provenance.UNKNOWN, Provenance.gitCommit(unknown), unknown.toString());
            assertNull(Provenance.gitDirty(unknown), unknown.toString());
        }
    }

    @Test
    void aPartThatCannotBeDeterminedIsAnErrorEntryNotAFailure() {
        DataSpec missing = new DataSpec(dir.resolve("nope.csv").toString(), "csv", "label", null, 0.6, 0.2,
                "standard", 1L);
        Map<String, Object> p = Provenance.collect(new Properties(), missing, () -> {
            throw new UnsatisfiedLinkError("no jnind4jcpu in java.library.path");
        });
        assertEquals(Provenance.UNKNOWN, p.get("gitCommit"));
        assertNull(p.get("gitDirty"));
        assertEquals(Map.of("error", "no jnind4jcpu in java.library.path"), p.get("training"));
        Map<?, ?> data = assertInstanceOf(Map.class, p.get("data"));
        assertTrue(String.valueOf(data.get("error")).contains("nope.csv"), data.toString());
    }

    private Path study() throws IOException {
        Files.writeString(dir.resolve("data.csv"), CSV);
        Path f = dir.resolve("study.yaml");
        Files.writeString(f, """
                study: demo
                objective: {metric: val_accuracy, direction: maximize}
                data:
                  source: data.csv
                  label_column: label
                  split: {train: 0.6, validation: 0.2}
                search: {algorithm: random, max_trials: 2, seed: 3}
                space:
                  learning_rate: {type: float, low: 1.0e-4, high: 1.0e-1, log: true}
                training: {epochs: 1}
                """);
        return f;
    }

    private static Properties props(String commit, String dirty) {
        Properties p = new Properties();
        p.setProperty("git.commit", commit);
        p.setProperty("git.dirty", dirty);
        return p;
    }

    /** Data read through Spark SQL (a URI, parquet, a table) is identified by the digest of the rows the driver read. */
    @Test
    void dataReadThroughSparkSqlIsIdentifiedByTheDigestOfItsRows() {
        DataSpec table = new DataSpec(null, null, "label", null, 0.6, 0.2, "standard", 0, "db.digits", null, null);
        Map<?, ?> before = assertInstanceOf(Map.class, Provenance.collect(new Properties(), table, () -> null).get("data"));
        assertTrue(String.valueOf(before.get("error")).contains("not been read"), before.toString());

        String digest = "ab".repeat(32);
        Map<?, ?> data = assertInstanceOf(Map.class,
                Provenance.collect(new Properties(), table.withFingerprint(digest), () -> null).get("data"));
        assertEquals(digest, data.get("sha256"));
        assertEquals("rows", data.get("of"));
        assertEquals("table db.digits", data.get("source"));
    }
}
