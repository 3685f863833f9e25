package io.gradtune.driver.faults;

import io.gradtune.driver.testing.Cli;
import io.gradtune.driver.cli.Gradtune;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invalid data files through the real {@code gradtune validate} (and a few through {@code run}): each must exit 2
 * before Kafka or Spark start, with a message naming the data field, the file, the line as an editor shows it, the
 * column and the value, and nothing written.
 */
class InvalidDataFaultsTest {

    private static final FaultTally TALLY = new FaultTally();

    @TempDir
    Path dir;

    /** A valid file: header, then 15 rows of 3 classes (5 each); line n of the file is {@code good().get(n - 1)}. */
    static List<String> good() {
        List<String> lines = new ArrayList<>(List.of("a,b,label"));
        for (int i = 0; i < 15; i++) {
            lines.add(i + "," + (i * 0.5) + "," + (i % 3));
        }
        return lines;
    }

    /** The valid file with line {@code n} (1-based) replaced. */
    static List<String> withLine(int n, String text) {
        List<String> lines = good();
        lines.set(n - 1, text);
        return lines;
    }

    /** One bad data file: its lines, the config's extra data lines, and the phrases the message must contain. */
    record Case(String family, String name, String file, List<String> lines, String dataExtra, List<String> phrases) {
        @Override
        public String toString() {
            return family + ": " + name;
        }
    }

    static Case c(String family, String name, List<String> lines, String... phrases) {
        return new Case(family, name, "data.csv", lines, "", List.of(phrases));
    }

    static Stream<Case> cases() {
        List<Case> all = new ArrayList<>();
        String cells = "data-bad-cell";
        all.add(c(cells, "non-numeric cell", withLine(5, "3,abc,0"), "data.csv, line 5", "column 'b'", "'abc'",
                "not a number"));
        all.add(c(cells, "empty cell", withLine(7, "5,,2"), "line 7", "column 'b'", "empty cell", "data.missing"));
        all.add(c(cells, "NaN cell", withLine(3, "NaN,0.5,1"), "line 3", "column 'a'", "'NaN'", "NaN"));
        all.add(c(cells, "infinite cell", withLine(4, "2,-Infinity,2"), "line 4", "column 'b'", "infinite"));
        all.add(c(cells, "number beyond float32", withLine(6, "1e40,2,1"), "line 6", "column 'a'", "too large"));
        List<String> many = good();
        for (int n = 2; n <= 14; n++) {
            many.set(n - 1, "x" + n + ",y,0");
        }
        all.add(c(cells, "26 bad cells: ten shown, the rest counted", many, "26 problems", "line 2",
                "... and 16 more"));

        String rows = "data-ragged-row";
        all.add(c(rows, "row too short", withLine(9, "7,3.5"), "line 9", "2 fields, the header has 3"));
        all.add(c(rows, "row too long", withLine(10, "8,4,2,9"), "line 10", "4 fields, the header has 3"));
        all.add(c(rows, "empty file", List.of(), "data.source", "line 1", "empty file"));
        all.add(c(rows, "header only", List.of("a,b,label"), "no data rows"));
        all.add(c(rows, "header names a column twice", List.of("a,a,label", "1,2,0"), "line 1", "column 'a'",
                "twice"));

        String labels = "data-bad-label";
        all.add(c(labels, "missing label column", replaceHeader("a,b,target"), "line 1", "data.label_column",
                "'label'", "no such column", "target"));
        all.add(c(labels, "non-integer label", withLine(8, "6,3,1.5"), "line 8", "column 'label'", "'1.5'",
                "integer class label"));
        all.add(c(labels, "negative label", withLine(11, "9,4.5,-1"), "line 11", "'-1'", "negative"));
        all.add(c(labels, "text label", withLine(12, "10,5,cat"), "line 12", "'cat'", "0..K-1"));
        all.add(c(labels, "empty label", withLine(13, "11,5.5,"), "line 13", "empty class label"));
        List<String> oneBased = good();
        oneBased.replaceAll(l -> l.equals("a,b,label") ? l : l.substring(0, l.lastIndexOf(',') + 1)
                + (Integer.parseInt(l.substring(l.lastIndexOf(',') + 1)) + 1));
        all.add(c(labels, "1-based labels (class 0 empty)", oneBased, "class 0 has 0 rows", "subtract 1"));
        all.add(c(labels, "a huge label", withLine(14, "12,6,1000000"), "largest class label is 1000000"));

        String classes = "data-class-too-small";
        List<String> single = good();
        single.add("99,1,3");
        all.add(c(classes, "a class with 1 row", single, "class 3 has 1 row", "at least 3 rows", "column 'label'"));
        List<String> two = good();
        two.add("99,1,3");
        two.add("98,1,3");
        all.add(c(classes, "a class with 2 rows", two, "class 3 has 2 rows", "0 validation rows"));
        List<String> gap = good();
        gap.add("99,1,4");
        gap.add("98,1,4");
        gap.add("97,1,4");
        all.add(c(classes, "a gap in the labels", gap, "class 3 has 0 rows", "gap"));
        all.add(new Case(classes, "validation file without a class", "data.csv", good(),
                "  validation_source: val.csv\n", List.of("val.csv", "class 2 has no rows here")));

        String compressed = "data-gzip";
        all.add(new Case(compressed, "bad cell in a .csv.gz", "data.csv.gz", withLine(6, "4,?,1"), "",
                List.of("data.csv.gz, line 6", "'?'", "not a number")));
        return all.stream();
    }

    static List<String> replaceHeader(String header) {
        return withLine(1, header);
    }

    @AfterAll
    static void summary() {
        TALLY.print();
    }

    private Path config(Case k) throws IOException {
        Path data = dir.resolve(k.file());
        byte[] bytes = (k.lines().isEmpty() ? "" : String.join("\n", k.lines()) + "\n").getBytes(StandardCharsets.UTF_8);
        if (k.file().endsWith(".gz")) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(data))) {
                out.write(bytes);
            }
        } else {
            Files.write(data, bytes);
        }
        Files.writeString(dir.resolve("val.csv"), "a,b,label\n1,1,0\n2,2,1\n");
        Path yaml = dir.resolve("study.yaml");
        Files.writeString(yaml, "study: data-faults\n"
                + "data:\n  source: " + k.file() + "\n  label_column: label\n" + k.dataExtra()
                + "space:\n  learning_rate: {type: float, low: 1.0e-3, high: 1.0e-1, log: true}\n"
                + "training: {epochs: 1}\nspark: {master: 'local[1]'}\noutput: {dir: " + dir.resolve("runs") + "}\n");
        return yaml;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void validateRejectsItWithExitTwoNamingFileLineColumnAndValue(Case k) throws IOException {
        TALLY.injected(k.family());
        Cli r = Cli.run("validate", config(k).toString());
        assertEquals(Gradtune.EXIT_USAGE, r.code(), () -> k + ": stderr " + r.err() + " stdout " + r.out());
        assertTrue(r.err().contains("field 'data."), r.err());
        for (String phrase : k.phrases()) {
            assertTrue(r.err().contains(phrase), () -> "message for " + k + " lacks '" + phrase + "': " + r.err());
        }
        assertFalse(Files.exists(dir.resolve("runs")), "validate writes nothing");
        TALLY.survived(k.family());
    }

    @Test
    void theMatrixHoldsAtLeastTenDataFiles() {
        assertTrue(cases().count() >= 10);
    }

    private Path idx(int[] labels, boolean truncated) throws IOException {
        Path images = dir.resolve("train-images-idx3-ubyte");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(images))) {
            out.writeInt(2051);
            out.writeInt(labels.length);
            out.writeInt(2);
            out.writeInt(2);
            out.write(new byte[labels.length * 4 - (truncated ? 3 : 0)]);
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve("train-labels-idx1-ubyte")))) {
            out.writeInt(2049);
            out.writeInt(labels.length);
            for (int l : labels) {
                out.writeByte(l);
            }
        }
        Path yaml = dir.resolve("idx.yaml");
        Files.writeString(yaml, "study: data-faults\ndata: {source: train-images-idx3-ubyte, format: idx}\n"
                + "space:\n  learning_rate: {type: float, low: 1.0e-3, high: 1.0e-1, log: true}\n"
                + "training: {epochs: 1}\noutput: {dir: " + dir.resolve("runs") + "}\n");
        return yaml;
    }

    @Test
    void idxFilesGoThroughTheSameChecks() throws IOException {
        TALLY.injected("data-idx");
        Cli gap = Cli.run("validate", idx(new int[] {0, 0, 0, 1, 1, 1, 3, 3, 3}, false).toString());
        assertEquals(Gradtune.EXIT_USAGE, gap.code(), gap.err());
        assertTrue(gap.err().contains("field 'data.source'") && gap.err().contains("class 2 has 0 rows"), gap.err());
        TALLY.survived("data-idx");

        TALLY.injected("data-idx");
        Cli truncated = Cli.run("validate", idx(new int[] {0, 0, 0, 1, 1, 1}, true).toString());
        assertEquals(Gradtune.EXIT_USAGE, truncated.code(), truncated.err());
        assertTrue(truncated.err().contains("field 'data.source'") && truncated.err().contains("train-images-idx3-ubyte")
                && truncated.err().contains("cannot read IDX"), truncated.err());
        TALLY.survived("data-idx");

        TALLY.injected("data-idx");
        Path yaml = idx(new int[] {0, 0, 0, 1, 1, 1}, false);
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve("train-images-idx3-ubyte")))) {
            out.writeInt(2051);
            out.writeInt(1 << 30);   // a corrupt count: 2^30 images of 2 x 2
            out.writeInt(2);
            out.writeInt(2);
        }
        Cli corrupt = Cli.run("validate", yaml.toString());
        assertEquals(Gradtune.EXIT_USAGE, corrupt.code(), corrupt.err());
        assertTrue(corrupt.err().contains("field 'data.source'") && corrupt.err().contains("IDX header"), corrupt.err());
        TALLY.survived("data-idx");

        assertEquals(Gradtune.EXIT_OK, Cli.run("validate", idx(new int[] {0, 0, 0, 1, 1, 1}, false).toString()).code());
    }

    /** Run-level faults: each must return 2 quickly with no broker started, no Spark, no run directory. */
    static Stream<Case> runCases() {
        return cases().filter(k -> List.of("non-numeric cell", "NaN cell", "row too short", "a class with 1 row",
                "negative label").contains(k.name()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runCases")
    void runRejectsItBeforeAnythingStarts(Case k) throws IOException {
        TALLY.injected("run-" + k.family());
        Cli r = Cli.run("run", config(k).toString());
        assertEquals(Gradtune.EXIT_USAGE, r.code(), () -> k + ": stderr " + r.err() + " stdout " + r.out());
        for (String phrase : k.phrases()) {
            assertTrue(r.err().contains(phrase), () -> "message for " + k + " lacks '" + phrase + "': " + r.err());
        }
        assertNothingStarted(r);
        TALLY.survived("run-" + k.family());
    }

    @Test
    void runRejectsAGarbageMasterAndAnUnwritableOutputBeforeAnythingStarts() throws IOException {
        Path yaml = config(c("ok", "ok", good()));
        TALLY.injected("run-config");
        Cli master = Cli.run("run", yaml.toString(), "--master", "garbage");
        assertEquals(Gradtune.EXIT_USAGE, master.code(), master.err());
        assertTrue(master.err().contains("spark.master") && master.err().contains("local[N]"), master.err());
        assertNothingStarted(master);
        TALLY.survived("run-config");

        TALLY.injected("run-config");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Cli output = Cli.run("run", yaml.toString(), "--output", file.resolve("runs").toString());
        assertEquals(Gradtune.EXIT_USAGE, output.code(), output.err());
        assertTrue(output.err().contains("--output") && output.err().contains(file.toString())
                && output.err().contains("cannot write"), output.err());
        assertNothingStarted(output);
        TALLY.survived("run-config");
    }

    private void assertNothingStarted(Cli r) {
        assertFalse(r.out().contains("Kafka broker") || r.out().contains("kafka:"), "no broker: " + r.out());
        assertFalse(Files.exists(dir.resolve("runs").resolve("data-faults")), "no run directory");
        assertTrue(r.millis() < 10_000, "returns at once, took " + r.millis() + " ms");
    }
}
