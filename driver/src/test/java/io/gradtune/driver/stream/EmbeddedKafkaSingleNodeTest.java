package io.gradtune.driver.stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The embedded broker runs with {@link SingleNodeSettings} and still does what a study needs of it: topics, a
 * producer, and a consumer group that commits its offsets (the group coordinator and {@code __consumer_offsets},
 * the compacted topic the small cleaner buffer serves); on a temporary directory without a controlled shutdown.
 */
class EmbeddedKafkaSingleNodeTest {

    @Test
    void theSingleNodeSettingsAreInEffectAndAGroupConsumesWhatWasProduced() throws Exception {
        try (EmbeddedKafka broker = EmbeddedKafka.start(null);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "1");
            Config config = admin.describeConfigs(List.of(node)).all().get().get(node);
            SingleNodeSettings.SETTINGS.forEach((key, value) ->
                    assertEquals(value, config.get(key).value(), key));
            SingleNodeSettings.TEMPORARY_SETTINGS.forEach((key, value) ->
                    assertEquals(value, config.get(key).value(), key + " (temporary log directory)"));

            admin.createTopics(List.of(new NewTopic("single.node", 2, (short) 1))).all().get();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("single.node", "k" + i, "v" + i)).get();
                }
            }
            List<String> seen = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "single-node-test",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("single.node"));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (seen.size() < 10 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        seen.add(r.value());
                    }
                }
                consumer.commitSync(Duration.ofSeconds(30));
            }
            assertEquals(10, seen.size(), "records consumed: " + seen);
        }
    }

    /** A kept log directory may be restarted on: its broker shuts down as Kafka does by default (controlled). */
    @Test
    void aBrokerOnAKeptDirectoryKeepsItsControlledShutdown(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "1");
            Config config = admin.describeConfigs(List.of(node)).all().get().get(node);
            assertEquals("true", config.get("controlled.shutdown.enable").value());
            assertEquals("500", config.get("broker.heartbeat.interval.ms").value());
        }
    }
}
