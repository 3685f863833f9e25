package io.gradtune.driver.run;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.driver.stream.EmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BrokerHeadStart}: only an embedded broker on a temporary directory starts ahead; the study takes it over
 * running; one never taken over is closed, its temporary directory deleted.
 */
class BrokerHeadStartTest {

    @TempDir
    Path dir;

    private StudyConfig config(String kafka) throws Exception {
        Files.writeString(dir.resolve("d.csv"), "a,label\n1,0\n2,1\n3,0\n4,1\n5,0\n");
        return StudyConfigLoader.load(dir.resolve("s.yaml"), """
                study: s
                data: {source: d.csv, label_column: label, split: {train: 0.6, validation: 0.2}}
                search: {algorithm: random, max_trials: 2}
                space: {learning_rate: {type: float, low: 1.0e-3, high: 1.0e-2}}
                training: {epochs: 1}
                kafka: %s
                """.formatted(kafka));
    }

    @Test
    void onlyAnEmbeddedBrokerOnATemporaryDirectoryStartsAhead() throws Exception {
        assertTrue(BrokerHeadStart.applies(config("{bootstrap: embedded}")));
        assertFalse(BrokerHeadStart.applies(config("{bootstrap: embedded, data_dir: kafka-logs}")));
        assertFalse(BrokerHeadStart.applies(config("{bootstrap: 'localhost:9092'}")));
        assertNull(BrokerHeadStart.beginIfApplies(config("{bootstrap: 'localhost:9092'}")));
        System.setProperty(BrokerHeadStart.SWITCH, "false");
        try {
            assertFalse(BrokerHeadStart.applies(config("{bootstrap: embedded}")));
        } finally {
            System.clearProperty(BrokerHeadStart.SWITCH);
        }
    }

    @Test
    void theStudyTakesTheBrokerOverRunningAndAHeadStartNeverTakenIsClosed() throws Exception {
        StudyConfig config = config("{bootstrap: embedded}");
        EmbeddedKafka taken;
        try (BrokerHeadStart head = BrokerHeadStart.beginIfApplies(config)) {
            assertNotNull(head);
            taken = head.join();
        } // taken over: closing the head start leaves it running
        try (EmbeddedKafka broker = taken;
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            assertEquals(1, admin.describeCluster().nodes().get(60, TimeUnit.SECONDS).size());
        }
        assertFalse(Files.exists(taken.logDir()), "its temporary directory is deleted when the study closes it");

        BrokerHeadStart never = BrokerHeadStart.beginIfApplies(config);
        never.close(); // waits for the start, then closes the broker
        Path[] left = leftovers();
        assertEquals(0, left.length, "no temporary broker directory of this process is left: "
                + java.util.Arrays.toString(left));
    }

    private static Path[] leftovers() throws Exception {
        String prefix = "gradtune-kafka-" + ProcessHandle.current().pid() + "-";
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)).toArray(Path[]::new);
        }
    }
}
