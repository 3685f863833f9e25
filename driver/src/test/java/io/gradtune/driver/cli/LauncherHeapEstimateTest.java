package io.gradtune.driver.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's default heap ({@code launcher/heap-estimate.sh}, README "Memory"): 320 MB + 64 MB per concurrent
 * trial + 8 x the data's text size, rounded up to 64 MB, for local-mode studies whose data files it can see; 1g
 * for everything else.
 */
class LauncherHeapEstimateTest {

    private static final Path SCRIPT = Path.of("../launcher/heap-estimate.sh");

    @TempDir
    Path dir;

    private static String estimate(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "1"); // as ./gradtune exports it before the estimate: not the slots
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "heap-estimate.sh did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private Path config(String data, String spark) throws IOException {
        Path c = dir.resolve("study.yaml");
        Files.writeString(c, "study: s\n" + data + "search:\n  algorithm: random\n" + spark);
        return c;
    }

    private Path file(String name, int bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, new byte[bytes]);
        return f;
    }

    @Test
    void aSmallLocalStudyGetsTheBaseAndItsSlots() throws Exception {
        file("d.csv", 265_358);
        Path c = config("data:\n  source: d.csv   # digits\n  label_column: label\n", "spark:\n  master: local[2]\n");
        // 320 + 2 x 64 + ceil(8 x 0.25 MB) = 451 -> 512
        assertEquals("512m", estimate("run", c.toString()));
        assertEquals("512m", estimate("bench", "study", c.toString(), "--repeat", "1"));
    }

    @Test
    void theDataCountsUncompressedAndEveryFileAndSlotCounts() throws Exception {
        Path gz = dir.resolve("train.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(new byte[8 * 1024 * 1024]); // 8 MB of text, a few KB compressed
        }
        file("val.csv", 2 * 1024 * 1024);
        Path c = config("data:\n  source: train.csv.gz\n  validation_source: 'val.csv'\n", "spark:\n  master: local[4]\n");
        // 320 + 4 x 64 + 8 x 10 = 656 -> 704
        assertEquals("704m", estimate("run", c.toString()));
        Files.writeString(c, Files.readString(c).replace("spark:\n  master: local[4]\n", "spark: {master: \"local[3]\"}\n"));
        // 320 + 192 + 80 = 592 -> 640
        assertEquals("640m", estimate("run", c.toString()));
        Files.writeString(c, Files.readString(c).replace("  validation_source: 'val.csv'\n", ""));
        // 320 + 192 + 64 = 576; and no less than Spark's floor: a tiny study gets 512m, not 384m
        assertEquals("576m", estimate("run", c.toString()));
        file("tiny.csv", 10);
        assertEquals("512m", estimate("run", config("data:\n  source: tiny.csv\n", "spark:\n  master: local\n")
                .toString()));
    }

    @Test
    void whatTheEstimateCannotSeeKeepsTheFixedDefault() throws Exception {
        file("d.csv", 1000);
        assertEquals("1g", estimate("validate", config("data:\n  source: d.csv\n", "").toString()));
        assertEquals("1g", estimate("run", dir.resolve("missing.yaml").toString()));
        assertEquals("1g", estimate("run", config("data:\n  source: d.csv\n", "spark:\n  master: spark://h:7077\n")
                .toString()));
        assertEquals("1g", estimate("run", config("data:\n  class: x.Y\n", "").toString()));
        assertEquals("1g", estimate("run", config("data:\n  source: ${env:DATA}\n", "").toString()));
        assertEquals("1g", estimate("run", config("data:\n  source: s3a://b/d.csv\n", "").toString()));
        assertEquals("1g", estimate("run", config("data:\n  source: gone.csv\n", "").toString()));
        assertEquals("1g", estimate("run", config("data: {source: d.csv}\n", "").toString()));
    }

    @Test
    void withoutASparkMasterEveryCoreIsASlot() throws Exception {
        file("d.csv", 1000);
        ProcessBuilder count = new ProcessBuilder("nproc");
        count.environment().remove("OMP_NUM_THREADS");
        Process nproc = count.start();
        int cores = Integer.parseInt(new String(nproc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        int mb = Math.max(512, (320 + 64 * cores + 1 + 63) / 64 * 64);
        assertEquals(mb + "m", estimate("run", config("data:\n  source: d.csv\n", "").toString()));
    }
}
