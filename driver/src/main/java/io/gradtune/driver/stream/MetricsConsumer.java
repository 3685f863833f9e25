package io.gradtune.driver.stream;

import io.gradtune.worker.protocol.Decoded;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.ProtocolCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the metrics topic on its own thread while trials run and hands each well-formed record of this study to a
 * {@link MetricsSink}. What it cannot hand on it counts by reason and skips: malformed records (not JSON, not an
 * epoch record, a field missing or of the wrong type), records of a schema version this build does not read, and
 * records of other studies. The consumer does not judge runs, trials, attempts or epochs: the sink's owner (the
 * driver's {@code Study}) decides whether a record is accepted, in one place, without a set of every record seen
 * that grows for the whole study.
 *
 * <p>If the consumer thread dies (an error from Kafka or from the sink), {@link #failure()} says why; the driver
 * checks it and fails the study instead of waiting for records that will never come.
 *
 * <p>The consumer is positioned at the end of every partition before {@link #start()} returns, so records
 * published after that are never missed, and records of earlier studies on a shared broker are never read.
 */
public final class MetricsConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsConsumer.class);

    /**
     * {@code fetch.max.wait.ms}: how long the broker holds a fetch that finds no record. It bounds more than idle
     * fetches: a partition whose records are still buffered in the consumer is left out of the next fetch, and its
     * new records can wait until that fetch returns, so Kafka's default (500 ms) would allow half-second decision
     * delays. 100 ms: half the idle fetches of the 50 ms used before (BENCHMARKS.md, "Session 10 end").
     */
    static final int FETCH_MAX_WAIT_MILLIS = 100;

    private final KafkaConsumer<String, String> consumer;
    private final String study;
    private final MetricsSink sink;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong unknownSchemaVersion = new AtomicLong();
    private final AtomicLong otherStudy = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    public MetricsConsumer(String bootstrap, Map<String, String> clientProperties, String topic, String study,
                           MetricsSink sink) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "gradtune-driver-" + study);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        // The broker answers a fetch as soon as a record is there (fetch.min.bytes=1): this bounds how long an idle
        // fetch waits (50 ms made the consumer and broker turn over 20 empty fetches a second between epochs,
        // BENCHMARKS.md, "Orchestration overhead, session 10") and how long a buffered partition's new records wait.
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, String.valueOf(FETCH_MAX_WAIT_MILLIS));
        this.consumer = new KafkaConsumer<>(p);
        this.study = study;
        this.sink = sink;
        List<TopicPartition> partitions = partitions(consumer, topic);
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(tp -> consumer.position(tp, Duration.ofSeconds(30)));
        this.thread = new Thread(this::loop, "gradtune-metrics-consumer");
        thread.setDaemon(true);
    }

    /** The topic's partitions; a topic created a moment ago may take a few metadata refreshes to appear. */
    private static List<TopicPartition> partitions(KafkaConsumer<String, String> consumer, String topic) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            List<org.apache.kafka.common.PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + topic + " has no partitions after 30 s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topic " + topic, e);
            }
        }
    }

    public void start() {
        thread.start();
    }

    private void loop() {
        try {
            while (running) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                if (records.isEmpty()) {
                    continue;
                }
                for (ConsumerRecord<String, String> r : records) {
                    handle(r.value());
                }
                sink.endOfBatch();
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (Throwable t) {
            failure = t;
            LOG.error("metrics consumer stopped: {}", t.toString());
        }
    }

    void handle(String json) {
        Decoded<EpochMetrics> d = ProtocolCodec.decodeEpochMetrics(json);
        if (!d.isAccepted()) {
            long n = (d.unsupportedVersion() ? unknownSchemaVersion : malformed).incrementAndGet();
            if (Long.bitCount(n) == 1) {
                LOG.warn("skipped a metrics record ({} so far of this kind): {}", n, d.reason());
            }
            return;
        }
        EpochMetrics m = d.value();
        if (!study.equals(m.study())) {
            otherStudy.incrementAndGet();
            return;
        }
        accepted.incrementAndGet();
        sink.accept(m, json);
    }

    /** Well-formed records of this study handed to the sink. */
    public long accepted() {
        return accepted.get();
    }

    /** Records skipped here, all reasons together: {@link #malformed}, {@link #unknownSchemaVersion}, {@link #otherStudy}. */
    public long rejected() {
        return malformed.get() + unknownSchemaVersion.get() + otherStudy.get();
    }

    /** Records skipped as malformed: not JSON, not an epoch record, or a field missing or of the wrong type. */
    public long malformed() {
        return malformed.get();
    }

    /** Epoch records skipped because this build does not read their schema version. */
    public long unknownSchemaVersion() {
        return unknownSchemaVersion.get();
    }

    /** Well-formed records of other studies skipped. */
    public long otherStudy() {
        return otherStudy.get();
    }

    /** The error that stopped the consumer thread, or null while it is healthy. */
    public Throwable failure() {
        return failure;
    }

    /**
     * Ends the reading: stops the consumer thread, then reads on the caller's thread, as that thread did, every
     * record published before this call (up to the end offsets the partitions have now), for at most {@code timeout}.
     * The study calls it when its last trial has ended, so a record that reached the topic before the study ended is
     * always counted (accepted, or rejected by reason), never left unread because the thread stopped first. Safe to
     * call more than once; {@link #close()} still closes the client.
     *
     * @return whether every partition was read to its end in time (false after a consumer failure, a Kafka error or
     *         the timeout)
     */
    public boolean finish(Duration timeout) {
        if (!stopThread() || failure != null) {
            return false;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int attempt = 0; ; attempt++) {
            try {
                return readToEnd(timeout, deadline);
            } catch (WakeupException e) {
                if (attempt > 0) { // the first one is the stop's own wake-up, left pending if the thread was not polling
                    return false;
                }
            } catch (RuntimeException e) { // Kafka's, or the sink's: the records read so far stay counted
                LOG.warn("could not read the metrics topic to its end when the study ended: {}", e.toString());
                return false;
            }
        }
    }

    private boolean readToEnd(Duration timeout, long deadline) {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), timeout);
        while (!caughtUp(end)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LOG.warn("metrics records published before the study ended were not all read within {} ms",
                        timeout.toMillis());
                return false;
            }
            ConsumerRecords<String, String> records = consumer.poll(Duration.ofNanos(Math.min(left, 100_000_000L)));
            for (ConsumerRecord<String, String> r : records) {
                handle(r.value());
            }
            if (!records.isEmpty()) {
                sink.endOfBatch();
            }
        }
        return true;
    }

    private boolean caughtUp(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey(), Duration.ofSeconds(5)) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Stops the consumer thread; true once it has ended (the client is then this thread's to use). */
    private boolean stopThread() {
        running = false;
        if (thread.isAlive()) {
            consumer.wakeup();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return !thread.isAlive();
    }

    @Override
    public void close() {
        stopThread();
        // No offsets to commit and no group to leave (assigned partitions, auto-commit off): nothing to wait for, and
        // closing the fetch session would wait out the idle fetch in flight (up to FETCH_MAX_WAIT_MILLIS).
        consumer.close(Duration.ZERO);
    }
}
