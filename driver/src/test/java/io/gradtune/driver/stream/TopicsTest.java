package io.gradtune.driver.stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Topics against a real (embedded, single-node) broker: created when missing, left alone when they exist. */
class TopicsTest {

    private static EmbeddedKafka broker;
    private static Admin admin;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafka.start(null);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** The topic's description; a topic created a moment ago may take a metadata update to be described. */
    private static TopicDescription describe(String topic) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                LockSupport.parkNanos(20_000_000L); // poll again until the deadline
            }
        }
    }

    @Test
    void missingTopicsAreCreatedWithTheConfiguredPartitionsAndReplicationFactor() throws Exception {
        List<Topics.State> states = Topics.ensure(broker.bootstrapServers(), Map.of(),
                List.of("created.metrics", "created.trials"), 3, 1);
        assertEquals(List.of(new Topics.State("created.metrics", 3, 1, true),
                new Topics.State("created.trials", 3, 1, true)), states);
        assertEquals(3, describe("created.metrics").partitions().size());
        assertEquals(3, describe("created.trials").partitions().size());
        assertEquals("created.metrics: created, 3 partitions, replication factor 1", states.get(0).describe());
    }

    @Test
    void withoutAReplicationFactorTheBrokersDefaultIsUsed() {
        List<Topics.State> states = Topics.ensure(broker.bootstrapServers(), Map.of(), List.of("dflt.metrics"), 1, null);
        assertEquals(List.of(new Topics.State("dflt.metrics", 1, 1, true)), states);
        assertEquals("dflt.metrics: created, 1 partition, replication factor 1", states.get(0).describe());
    }

    @Test
    void existingTopicsAreLeftAsTheyAreAndDescribed() throws Exception {
        admin.createTopics(List.of(new NewTopic("kept.metrics", 2, (short) 1))).all().get();
        List<Topics.State> states = Topics.ensure(broker.bootstrapServers(), Map.of(),
                List.of("kept.metrics", "kept.trials"), 5, 1);
        assertEquals(new Topics.State("kept.metrics", 2, 1, false), states.get(0));
        assertEquals(new Topics.State("kept.trials", 5, 1, true), states.get(1));
        assertEquals(2, describe("kept.metrics").partitions().size(), "an existing topic is not changed");
        assertEquals("kept.metrics: exists, left as it is, 2 partitions, replication factor 1", states.get(0).describe());

        List<Topics.State> again = Topics.ensure(broker.bootstrapServers(), Map.of(),
                List.of("kept.metrics", "kept.trials"), 7, 1);
        assertEquals(List.of(new Topics.State("kept.metrics", 2, 1, false), new Topics.State("kept.trials", 5, 1, false)),
                again);
    }

    @Test
    void aReplicationFactorAboveTheBrokerCountIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Topics.ensure(
                broker.bootstrapServers(), Map.of(), List.of("rf.metrics"), 2, 3));
        assertTrue(e.getMessage().contains("cannot create topic rf.metrics (2 partitions, replication factor 3)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("kafka.replication_factor"), e.getMessage());
    }
}
