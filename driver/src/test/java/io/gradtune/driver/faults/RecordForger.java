package io.gradtune.driver.faults;

import io.gradtune.worker.protocol.Decoded;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.ProtocolCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * A hostile neighbour on the metrics topic, for the fault tests: it reads the topic like the driver does, learns the
 * run id and the running trials from the workers' real records, and publishes forged, repeated and broken records
 * among them, keyed by trial id like the workers' (so a repeat lands behind its original in the same partition).
 * Forged records carry the host {@code forged-<family>} and, where they carry a metric, a validation accuracy of
 * 0.999, so any that got through would show.
 */
final class RecordForger implements AutoCloseable {

    /** The fault families, with how many records of each one run injects (1,000 in all). */
    enum Family {
        OTHER_RUN(150), OTHER_STUDY(150), HIGHER_ATTEMPT(100), EARLY_TRIAL(100), OUT_OF_ORDER(150),
        DUPLICATE(100), GARBAGE_JSON(150), UNKNOWN_SCHEMA(100);

        final int count;

        Family(int count) {
            this.count = count;
        }

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        String host() {
            return "forged-" + label();
        }
    }

    static final double FORGED_ACCURACY = 0.999;
    private static final int ROUNDS = 5;

    private final String topic;
    private final String study;
    private final int trials;
    private final int epochs;
    private final KafkaConsumer<String, String> consumer;
    private final KafkaProducer<String, String> producer;
    /** The workers' records seen so far, as received, in order. */
    private final List<String> real = new ArrayList<>();
    private final Set<String> realKeys = new HashSet<>();
    private final Map<Family, Integer> injected = new EnumMap<>(Family.class);
    private String runId;

    /**
     * @param trials the study's max_trials: trial ids beyond it are never created
     * @param epochs the study's epoch budget
     */
    RecordForger(String bootstrap, String topic, String study, int trials, int epochs) {
        this.topic = topic;
        this.study = study;
        this.trials = trials;
        this.epochs = epochs;
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(c);
        List<TopicPartition> partitions = List.of();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (partitions.isEmpty() && System.nanoTime() < deadline) { // a new topic's metadata may lag a moment
            partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(p);
    }

    /**
     * Waits for the study's first real record, then injects every family's records in {@value #ROUNDS} rounds a
     * little apart, reading the topic between rounds so repeats and forgeries follow the trials as they go.
     */
    void inject(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (runId == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no record of study " + study + " appeared on " + topic);
            }
            read(Duration.ofMillis(100));
        }
        int[] index = new int[1];
        for (int round = 0; round < ROUNDS; round++) {
            for (Family f : Family.values()) {
                int n = f.count / ROUNDS + (round < f.count % ROUNDS ? 1 : 0);
                for (int i = 0; i < n; i++) {
                    publish(f, index[0]++);
                }
            }
            producer.flush();
            read(Duration.ofMillis(100));
        }
    }

    /** The records injected, by family. */
    Map<Family, Integer> injected() {
        return Map.copyOf(injected);
    }

    int injectedTotal() {
        return injected.values().stream().mapToInt(Integer::intValue).sum();
    }

    String runId() {
        return runId;
    }

    /**
     * Reads the topic to its end and returns the distinct (trial, attempt, epoch) of the workers' real records of
     * the run: what the study should have accepted.
     */
    Set<String> realRecordKeys() {
        for (int i = 0; i < 10; i++) {
            read(Duration.ofMillis(200));
        }
        return Set.copyOf(realKeys);
    }

    static String key(EpochMetrics m) {
        return m.runId() + "/" + m.trialId() + "/" + m.attempt() + "/" + m.epoch();
    }

    private void read(Duration wait) {
        for (ConsumerRecord<String, String> r : consumer.poll(wait)) {
            Decoded<EpochMetrics> d = ProtocolCodec.decodeEpochMetrics(r.value());
            if (!d.isAccepted() || !d.value().study().equals(study) || d.value().host().startsWith("forged-")) {
                continue;
            }
            EpochMetrics m = d.value();
            if (runId == null) {
                runId = m.runId();
            }
            if (m.runId().equals(runId) && realKeys.add(key(m))) {
                real.add(r.value());
            }
        }
    }

    private void publish(Family f, int i) {
        String raw = real.get(real.size() - 1 - i % Math.min(real.size(), 8));
        EpochMetrics r = ProtocolCodec.decodeEpochMetrics(raw).value();
        String trial = r.trialId();
        String value = switch (f) {
            case OTHER_RUN -> forged(f, study, "another-run-of-" + study, trial, r.attempt(), r.epoch());
            case OTHER_STUDY -> forged(f, study + "-elsewhere", runId, trial, r.attempt(), r.epoch());
            case HIGHER_ATTEMPT -> forged(f, study, runId, trial, 1 + i % 3, 1 + i % epochs);
            case EARLY_TRIAL -> {
                // First the next trial this run will create, as a retried attempt; then trials it never creates.
                trial = injected.getOrDefault(f, 0) == 0 ? String.format("t%04d", trials)
                        : String.format("t%04d", trials + 1 + i % 50);
                yield forged(f, study, runId, trial, injected.getOrDefault(f, 0) == 0 ? 1 : 0, 1);
            }
            case OUT_OF_ORDER -> forged(f, study, runId, trial, r.attempt(), epochs + 1 + i % 5);
            case DUPLICATE -> raw;
            case GARBAGE_JSON -> switch (i % 6) {
                case 0 -> "{not json";
                case 1 -> raw.substring(0, raw.length() / 2);
                case 2 -> "[1,2,3]";
                case 3 -> raw.replace("\"epoch\":" + r.epoch(), "\"epoch\":\"third\"");
                case 4 -> raw.replace("\"runId\":\"" + runId + "\",", "");
                default -> "";
            };
            case UNKNOWN_SCHEMA -> raw.replace("\"schemaVersion\":" + EpochMetrics.SCHEMA_VERSION,
                    "\"schemaVersion\":" + (i % 2 == 0 ? 99 : 2));
        };
        producer.send(new ProducerRecord<>(topic, trial, value));
        injected.merge(f, 1, Integer::sum);
    }

    private String forged(Family f, String study, String run, String trial, int attempt, int epoch) {
        return ProtocolCodec.encode(EpochMetrics.of(study, run, trial, attempt, "forger", f.host(), epoch, 0.01, 0.01,
                FORGED_ACCURACY, 1e-3, 1, System.currentTimeMillis(), List.of()));
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        consumer.close(Duration.ofSeconds(5));
    }
}
