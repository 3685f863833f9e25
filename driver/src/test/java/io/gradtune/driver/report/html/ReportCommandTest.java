package io.gradtune.driver.report.html;

import io.gradtune.driver.testing.Cli;
import io.gradtune.driver.testing.DigitsStudy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code report} and {@code --ui-port} usage errors: exit 2 with a message naming the value, nothing started. */
class ReportCommandTest {

    @Test
    void reportOfADirectoryWithoutAStudyExits2(@TempDir Path dir) {
        Cli r = Cli.run("report", dir.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(dir.toString()) && r.err().contains("holds no study"), r.err());
        Cli missing = Cli.run("report", dir.resolve("nope").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("is not a directory"), missing.err());
    }

    @Test
    void busyOrBadUiPortExits2BeforeTheStudyStarts(@TempDir Path dir) throws Exception {
        Path config = DigitsStudy.named("uiport").trials(1).epochs(1).write(dir);
        Path runs = dir.resolve("runs");
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli r = Cli.run("run", config.toString(), "--output", runs.toString(), "--ui-port",
                    String.valueOf(busy.getLocalPort()));
            assertEquals(2, r.code(), r.out() + r.err());
            assertTrue(r.err().contains("--ui-port " + busy.getLocalPort()) && r.err().contains("choose another"), r.err());
        }
        Cli bad = Cli.run("run", config.toString(), "--output", runs.toString(), "--ui-port", "70000");
        assertEquals(2, bad.code(), bad.out() + bad.err());
        assertTrue(bad.err().contains("--ui-port 70000: not a port"), bad.err());
        assertFalse(bad.out().contains("starting embedded Kafka"), "nothing started: " + bad.out());
        assertFalse(Files.exists(runs.resolve("uiport").resolve("journal.jsonl")), "no study written");
    }
}
