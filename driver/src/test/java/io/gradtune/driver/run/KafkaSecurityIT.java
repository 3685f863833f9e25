package io.gradtune.driver.run;

import io.gradtune.driver.testing.DigitsStudy;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.driver.search.RandomSampler;
import io.gradtune.driver.stream.EmbeddedKafka;
import io.gradtune.driver.stream.MetricsSink;
import io.gradtune.driver.study.TrialResult;
import io.gradtune.driver.study.TrialState;
import io.gradtune.driver.testing.LogCapture;
import io.gradtune.driver.testing.SecretScan;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.ProtocolCodec;
import io.gradtune.worker.protocol.TrialSpec;
import io.gradtune.worker.secret.SecretResolver;
import io.gradtune.worker.telemetry.KafkaMetricsPublisher;
import org.apache.logging.log4j.Level;
import org.apache.spark.SparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real study against a broker whose clients must authenticate: the embedded broker's SASL_PLAINTEXT listener
 * with SASL/PLAIN, the password given to the study only as {@code ${env:GT_IT_KAFKA_PASSWORD}}. Every Kafka client
 * of the study, the executors' producers included, must use the security settings, and the password (a random
 * sentinel) must appear nowhere the study writes or shows.
 *
 * <p>A test cannot set its JVM's environment, and in local mode the executors run in that JVM, so the variable is
 * given through {@link SecretResolver#overrideInThisJvm}, which both the driver and the executors' producers read.
 */
class KafkaSecurityIT {

    static final String USER = "gradtune";
    static final String VARIABLE = "GT_IT_KAFKA_PASSWORD";
    static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + USER
            + "\" password=\"${env:" + VARIABLE + "}\";";

    @TempDir
    Path dir;

    private StudyConfig config(String study, String bootstrap, int trials, int epochs) throws Exception {
        Path events = Files.createDirectories(dir.resolve("spark-events"));
        Path cfg = DigitsStudy.named(study).trials(trials).epochs(epochs)
                .kafka("  bootstrap: " + bootstrap + "\n  topic_prefix: " + study + "\n  partitions: 2\n"
                        + "  properties:\n    security.protocol: SASL_PLAINTEXT\n    sasl.mechanism: PLAIN\n"
                        + "    sasl.jaas.config: '" + JAAS + "'\n")
                .spark("  master: \"local[2]\"\n  properties:\n    spark.eventLog.enabled: \"true\"\n"
                        + "    spark.eventLog.dir: \"" + events.toUri() + "\"\n")
                .write(dir);
        return StudyConfigLoader.load(cfg).withOutputDir(dir.resolve("runs"));
    }

    /** The SASL client settings with the password filled in, for the test's own clients. */
    private static Map<String, String> clientProperties(String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", JAAS.replace("${env:" + VARIABLE + "}", password));
    }

    /** A broker metric summed over a listener's network processors (the broker runs in this JVM). */
    private static double listenerMetric(String listener, String attribute) throws Exception {
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = mbs.queryNames(new ObjectName(
                "kafka.server:type=socket-server-metrics,listener=" + listener + ",networkProcessor=*"), null);
        assertFalse(names.isEmpty(), "no socket-server metrics for listener " + listener);
        double sum = 0;
        for (ObjectName n : names) {
            sum += ((Number) mbs.getAttribute(n, attribute)).doubleValue();
        }
        return sum;
    }

    @Test
    void everyRecordArrivesThroughTheSaslListenerAndTheSentinelPasswordAppearsNowhere() throws Exception {
        String sentinel = SecretScan.newSentinel();
        SecretScan scan = new SecretScan(sentinel);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        List<String> specs = Collections.synchronizedList(new ArrayList<>());
        Map<String, String> sparkConf = new ConcurrentHashMap<>();
        StudyConfig config;
        StudyRunner.Outcome outcome;
        String logs;
        try (LogCapture capture = LogCapture.start(Level.INFO)) {
            try (EmbeddedKafka broker = EmbeddedKafka.options().saslPlainUser(USER, sentinel).start();
                 SecretResolver.Replacement env = SecretResolver.overrideInThisJvm(
                         SecretResolver.of(Map.of(VARIABLE, sentinel)))) {
                config = config("it-sasl", broker.saslBootstrapServers(), 2, 2);
                double plainBefore = listenerMetric("PLAINTEXT", "connection-creation-total");
                double saslBefore = listenerMetric(EmbeddedKafka.SASL_LISTENER, "successful-authentication-total");
                double saslFailedBefore = listenerMetric(EmbeddedKafka.SASL_LISTENER, "failed-authentication-total");
                StudyRunner runner = new StudyRunner(config, new RandomSampler(config.space(), 11),
                        new PrintStream(console, true), sink -> new MetricsSink() {
                            @Override
                            public void accept(EpochMetrics m, String raw) {
                                if (sparkConf.isEmpty()) { // the driver's SparkConf, read while the study runs
                                    for (Tuple2<String, String> kv : SparkContext.getOrCreate().getConf().getAll()) {
                                        sparkConf.put(kv._1(), kv._2());
                                    }
                                }
                                sink.accept(m, raw);
                            }

                            @Override
                            public void endOfBatch() {
                                sink.endOfBatch();
                            }
                        });
                runner.observeSpecs(spec -> specs.add(ProtocolCodec.encode(spec)));
                outcome = runner.run();
                assertNull(outcome.failure(), console.toString());
                assertEquals(2, outcome.results().size(), console.toString());
                assertTrue(outcome.results().stream().allMatch(r -> r.state() == TrialState.COMPLETED),
                        console.toString());
                assertEquals(4, outcome.records().accepted(), "2 trials x 2 epochs: " + console);

                // Through the SASL listener: the PLAINTEXT one saw no connection while the study ran; the SASL one
                // authenticated the driver's admin client, consumer and producer and the executors' producer.
                assertEquals(0, listenerMetric("PLAINTEXT", "connection-creation-total") - plainBefore,
                        "no client of the study may use the PLAINTEXT listener");
                double authenticated = listenerMetric(EmbeddedKafka.SASL_LISTENER, "successful-authentication-total")
                        - saslBefore;
                assertTrue(authenticated >= 4, "SASL authentications while the study ran: " + authenticated);
                assertEquals(0, listenerMetric(EmbeddedKafka.SASL_LISTENER, "failed-authentication-total")
                        - saslFailedBefore, "a client without the security settings was rejected");

                Map<String, String> props = clientProperties(sentinel);
                assertTrue(scan.topic(broker.saslBootstrapServers(), props, config.kafka().trialsTopic()) >= 6,
                        "queued, running and finished per trial at least");
                assertEquals(4, scan.topic(broker.saslBootstrapServers(), props, config.kafka().metricsTopic()),
                        "2 trials x 2 epochs");
            }
            logs = capture.text();
        } finally {
            KafkaMetricsPublisher.closeAll();
        }

        // Every epoch record of every trial arrived (through the SASL listener, see above), once.
        List<TrialResult> results = outcome.results();
        assertEquals(0, outcome.records().duplicates());
        Map<String, List<Integer>> epochs = new HashMap<>();
        for (String line : Files.readAllLines(outcome.runDir().resolve("metrics.jsonl"))) {
            EpochMetrics m = ProtocolCodec.decodeEpochMetrics(line).value();
            epochs.computeIfAbsent(m.trialId(), k -> new ArrayList<>()).add(m.epoch());
        }
        results.forEach(r -> assertEquals(List.of(1, 2), epochs.get(r.trialId()), r.trialId()));
        assertTrue(console.toString().contains("topic it-sasl.metrics: created, 2 partitions, replication factor 1"),
                console.toString());

        // The trial specs carried the placeholder, not the password.
        assertEquals(2, specs.size());
        for (String spec : specs) {
            TrialSpec s = ProtocolCodec.decodeTrialSpec(spec).value();
            assertEquals(JAAS, s.kafkaProperties().get("sasl.jaas.config"), spec);
            scan.text("trial spec " + s.trialId(), spec);
        }

        // Secret settings print as [hidden], placeholder and all: study.json names neither the password nor its variable.
        String summary = Files.readString(outcome.runDir().resolve("study.json"));
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(summary);
        assertEquals("[hidden]", json.path("effective").path("kafkaProperties").path("sasl.jaas.config").asText(), summary);
        assertTrue(json.path("configText").asText().contains("sasl.jaas.config: \"[hidden]\""), summary);
        assertFalse(summary.contains(VARIABLE), "the placeholder is hidden too: " + summary);
        assertEquals(0, json.path("kafka").path("outages").asInt(), summary);
        assertEquals(0, json.path("kafka").path("eventSendFailures").asInt(), summary);

        // The sentinel appears nowhere: run directory, Spark event log, SparkConf, console, every log line.
        assertTrue(scan.files(outcome.runDir()) >= 4, "trials.csv, metrics.jsonl, leaderboard.txt, study.json");
        assertTrue(scan.files(dir.resolve("spark-events")) >= 1, "the Spark event log was written");
        assertTrue(scan.entries("SparkConf", sparkConf) > 0, "the SparkConf was read during the study");
        assertTrue(sparkConf.containsKey("spark.eventLog.enabled"), sparkConf.toString());
        scan.text("console", console.toString());
        assertTrue(logs.contains("sasl.jaas.config = [hidden]"), "Kafka client configs were logged (at INFO) and "
                + "captured; " + logs.length() + " characters captured");
        scan.text("log output", logs);
        System.out.printf("[fault] secret-sentinel | injected=1 | survived=%d | records_lost=- | trials_duplicated=-%n",
                scan.hits().isEmpty() ? 1 : 0);
        scan.assertNotFound();
    }

    @Test
    void aWrongPasswordFailsFastWithAClearErrorOnTheDriverAndOnAnExecutor() throws Exception {
        String password = SecretScan.newSentinel();
        String wrong = SecretScan.newSentinel();
        try (EmbeddedKafka broker = EmbeddedKafka.options().saslPlainUser(USER, password).start();
             SecretResolver.Replacement env = SecretResolver.overrideInThisJvm(SecretResolver.of(Map.of(VARIABLE, wrong)))) {
            StudyConfig config = config("it-sasl-wrong", broker.saslBootstrapServers(), 1, 1);
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            long t0 = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new StudyRunner(config,
                    new RandomSampler(config.space(), 11), new PrintStream(console, true)).run());
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < 15, "the driver gave up after " + seconds + " s");
            assertTrue(e.getMessage().contains("Authentication failed"), e.getMessage());
            assertTrue(e.getMessage().contains("check kafka.properties"), e.getMessage());
            assertFalse(e.getMessage().contains(password) || e.getMessage().contains(wrong), e.getMessage());
            assertFalse(Files.exists(dir.resolve("runs").resolve("it-sasl-wrong")), "nothing written");

            // An executor's producer with the wrong password: its flush at the end of the attempt fails fast too.
            KafkaMetricsPublisher publisher = KafkaMetricsPublisher.shared(broker.saslBootstrapServers(),
                    config.kafka().metricsTopic(), config.kafka().properties());
            publisher.publish(EpochMetrics.of("it-sasl-wrong", "run-1", "t0001", 0, "driver", "localhost", 1, 1, 1, 0.5, 0.01, 10,
                    System.currentTimeMillis(), List.of()));
            t0 = System.nanoTime();
            IllegalStateException f = assertThrows(IllegalStateException.class, publisher::flush);
            seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < 15, "the producer gave up after " + seconds + " s");
            assertTrue(f.getMessage().contains("Authentication failed"), f.getMessage());
        } finally {
            KafkaMetricsPublisher.closeAll();
        }
    }
}
