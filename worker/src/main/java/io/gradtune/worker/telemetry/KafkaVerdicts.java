package io.gradtune.worker.telemetry;

import io.gradtune.worker.protocol.Decoded;
import io.gradtune.worker.protocol.ProtocolCodec;
import io.gradtune.worker.protocol.Verdict;
import io.gradtune.worker.secret.Placeholders;
import io.gradtune.worker.secret.SecretResolver;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The executor JVM's reader of the driver's verdicts: one consumer per control topic and settings, on a daemon
 * thread, reading every partition from the end as it was when the reader started (a verdict answers a record the
 * trial sends after the reader exists, so none is missed). Trials wait on it; it keeps the most recent verdicts
 * (bounded) until their trial takes them.
 */
public final class KafkaVerdicts implements Verdicts, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaVerdicts.class);
    private static final Map<String, KafkaVerdicts> SHARED = new ConcurrentHashMap<>();
    /** Verdicts kept for trials that have not taken them (those of trials on other executors, mostly). */
    private static final int KEEP = 10_000;

    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private final Map<String, Verdict> received = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Verdict> eldest) {
            return size() > KEEP;
        }
    };
    private volatile boolean closed;

    private KafkaVerdicts(Properties config, String topic) {
        consumer = new KafkaConsumer<>(config);
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
            partitions.add(new TopicPartition(topic, p.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // fixes "the end" now, before any record of ours is sent
        thread = new Thread(this::pollLoop, "gradtune-verdicts");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The executor-wide reader of a control topic for the study's client properties (placeholders unresolved;
     * resolved here from this JVM's environment).
     */
    public static KafkaVerdicts shared(String bootstrap, String topic, Map<String, String> clientProperties) {
        Map<String, String> resolved = Placeholders.resolveAll(KafkaMetricsPublisher.PROPERTIES_FIELD,
                clientProperties, SecretResolver.jvmDefault());
        return SHARED.computeIfAbsent(KafkaMetricsPublisher.key(bootstrap, topic, resolved), k -> {
            Properties p = new Properties();
            p.putAll(resolved);
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.put(ConsumerConfig.CLIENT_ID_CONFIG, "gradtune-verdicts-" + ProcessHandle.current().pid());
            p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
            p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            return new KafkaVerdicts(p, topic);
        });
    }

    /** Closes every shared reader; for the driver's in-process executors at the end of a study. */
    public static void closeAll() {
        SHARED.values().forEach(KafkaVerdicts::close);
        SHARED.clear();
    }

    private static String key(String runId, String trialId, int attempt, int epoch) {
        return runId + '|' + trialId + '|' + attempt + '|' + epoch;
    }

    private void pollLoop() {
        try {
            while (!closed) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    Decoded<Verdict> d = ProtocolCodec.decodeVerdict(r.value());
                    if (!d.isAccepted()) {
                        continue; // not a verdict this build reads: the trial trains on, the cancel still applies
                    }
                    Verdict v = d.value();
                    synchronized (received) {
                        received.put(key(v.runId(), v.trialId(), v.attempt(), v.epoch()), v);
                        received.notifyAll();
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.warn("the verdict reader stopped: {} (trials train on; the driver's cancel still stops them)",
                    e.toString());
        } finally {
            try {
                consumer.close(Duration.ofSeconds(2));
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
    }

    @Override
    public Verdict await(String runId, String trialId, int attempt, int epoch, Duration max, BooleanSupplier stop)
            throws InterruptedException {
        String k = key(runId, trialId, attempt, epoch);
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (received) {
            while (true) {
                Verdict v = received.remove(k);
                if (v != null) {
                    return v;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || stop.getAsBoolean() || closed || !thread.isAlive()) {
                    return null;
                }
                received.wait(Math.max(1, Math.min(50, left / 1_000_000)));
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        synchronized (received) {
            received.notifyAll();
        }
    }
}
