package io.gradtune.driver.stream;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.ProtocolCodec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metrics consumer against a real embedded broker: when the study ends, every record published before then is
 * counted, even those the consumer thread had not read yet (RecordFaultIT once counted 801 of its 1,000 forged
 * records because the thread stopped first).
 */
class MetricsConsumerIT {

    private static final String STUDY = "consumer-it";
    private static final String TOPIC = STUDY + ".metrics";

    @Test
    void finishCountsEveryRecordPublishedBeforeTheStudyEnded() throws Exception {
        try (EmbeddedKafka broker = EmbeddedKafka.start(null)) {
            String bootstrap = broker.bootstrapServers();
            Topics.ensure(bootstrap, Map.of(), List.of(TOPIC), 2, null);
            AtomicInteger handed = new AtomicInteger();
            AtomicInteger batches = new AtomicInteger();
            MetricsSink sink = new MetricsSink() {
                @Override
                public void accept(EpochMetrics m, String raw) {
                    handed.incrementAndGet();
                }

                @Override
                public void endOfBatch() {
                    batches.incrementAndGet();
                }
            };
            int ours = 0;
            int others = 0;
            int broken = 0;
            try (MetricsConsumer consumer = new MetricsConsumer(bootstrap, Map.of(), TOPIC, STUDY, sink);
                 KafkaProducer<String, String> producer = producer(bootstrap)) {
                consumer.start();
                for (int i = 0; i < 3_000; i++) {
                    String key = "t" + (i % 7);
                    String value = switch (i % 3) {
                        case 0 -> record(STUDY, i);
                        case 1 -> record(STUDY + "-elsewhere", i);
                        default -> "{not json " + i;
                    };
                    producer.send(new ProducerRecord<>(TOPIC, key, value));
                    ours += i % 3 == 0 ? 1 : 0;
                    others += i % 3 == 1 ? 1 : 0;
                    broken += i % 3 == 2 ? 1 : 0;
                }
                producer.flush(); // acknowledged by the broker: published before the study ends
                assertTrue(consumer.finish(Duration.ofSeconds(30)), "read to the end of the topic");
                assertEquals(ours, consumer.accepted());
                assertEquals(ours, handed.get());
                assertEquals(others, consumer.otherStudy());
                assertEquals(broken, consumer.malformed());
                assertTrue(batches.get() > 0);
                assertTrue(consumer.finish(Duration.ofSeconds(1)), "finish again: nothing more to read");
                assertEquals(ours, consumer.accepted());
            }
        }
    }

    private static String record(String study, int i) {
        return ProtocolCodec.encode(EpochMetrics.of(study, "run-1", "t" + (i % 7), 0, "exec", "host", i + 1, 0.5, 0.5,
                0.5, 1e-3, 1, System.currentTimeMillis(), List.of()));
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p);
    }
}
