package io.gradtune.driver.testing;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Searches everything a study leaves behind for a sentinel secret: files (a run directory, a Spark event log),
 * Kafka topics, captured log text, key-value settings (a SparkConf). Each search adds the places it found the
 * sentinel to {@link #hits()}; {@link #assertNotFound()} fails with all of them. Each search also returns how much it
 * looked at, so a test can make sure it did not search nothing.
 *
 * <p>Use a sentinel from {@link #newSentinel()}: letters and digits only, so no JSON, properties or URL escaping can
 * change its spelling in what is searched.
 */
public final class SecretScan {

    private final String sentinel;
    private final byte[] sentinelBytes;
    private final List<String> hits = new ArrayList<>();
    private final List<String> searched = new ArrayList<>();

    /** @param sentinel the secret to look for: at least 12 letters and digits */
    public SecretScan(String sentinel) {
        if (!sentinel.matches("[A-Za-z0-9]{12,}")) {
            throw new IllegalArgumentException("a sentinel is at least 12 letters and digits");
        }
        this.sentinel = sentinel;
        this.sentinelBytes = sentinel.getBytes(StandardCharsets.UTF_8);
    }

    /** A fresh sentinel: {@code gtSentinel} and 24 random hex digits. */
    public static String newSentinel() {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        return "gtSentinel" + HexFormat.of().formatHex(b);
    }

    public String sentinel() {
        return sentinel;
    }

    /**
     * Every regular file under {@code root} (or {@code root} itself), byte by byte; returns the number of files read.
     * A file or directory that disappears while the scan walks (an executor removing its temporary files) is
     * skipped: what no longer exists cannot leak.
     */
    public int files(Path root) {
        if (!Files.exists(root)) {
            searched.add("files under " + root + " (none)");
            return 0;
        }
        int[] read = {0};
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    if (!attrs.isRegularFile()) {
                        return FileVisitResult.CONTINUE;
                    }
                    byte[] bytes;
                    try {
                        bytes = Files.readAllBytes(f);
                    } catch (NoSuchFileException gone) {
                        return FileVisitResult.CONTINUE;
                    }
                    read[0]++;
                    if (indexOf(bytes, sentinelBytes) >= 0) {
                        hits.add("file " + f);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot scan " + root, e);
        }
        searched.add(read[0] + " files under " + root);
        return read[0];
    }

    /** A piece of text, e.g. captured log output or a message; returns its length. */
    public int text(String where, String text) {
        searched.add(where + " (" + text.length() + " characters)");
        int at = text.indexOf(sentinel);
        if (at >= 0) {
            int from = Math.max(0, text.lastIndexOf('\n', at) + 1);
            int to = text.indexOf('\n', at);
            hits.add(where + ": " + text.substring(from, to < 0 ? text.length() : to).replace(sentinel, "<SENTINEL>"));
        }
        return text.length();
    }

    /** Key-value settings, e.g. {@code SparkConf.getAll()}; returns the number of entries. */
    public int entries(String where, Map<String, String> settings) {
        settings.forEach((k, v) -> {
            if (k.contains(sentinel) || (v != null && v.contains(sentinel))) {
                hits.add(where + ": " + k);
            }
        });
        searched.add(where + " (" + settings.size() + " entries)");
        return settings.size();
    }

    /**
     * Every record of {@code topic} from the beginning to the current end, keys and values; returns the number of
     * records read.
     *
     * @param clientProperties resolved client properties (security settings) for the test's own consumer
     */
    public int topic(String bootstrap, Map<String, String> clientProperties, String topic) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        int read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read topic " + topic + " to its end within 30 s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    read++;
                    if ((r.key() != null && indexOf(r.key(), sentinelBytes) >= 0)
                            || (r.value() != null && indexOf(r.value(), sentinelBytes) >= 0)) {
                        hits.add("topic " + topic + " partition " + r.partition() + " offset " + r.offset());
                    }
                }
            }
        }
        searched.add("topic " + topic + " (" + read + " records)");
        return read;
    }

    /** Where the sentinel was found so far. */
    public List<String> hits() {
        return List.copyOf(hits);
    }

    /** Fails, listing every place, when any search found the sentinel. */
    public void assertNotFound() {
        if (!hits.isEmpty()) {
            throw new AssertionError("the sentinel secret was found in " + hits.size() + " place(s):\n  "
                    + String.join("\n  ", hits) + "\nsearched: " + searched);
        }
    }

    /** What was searched, for messages. */
    public List<String> searched() {
        return List.copyOf(searched);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
