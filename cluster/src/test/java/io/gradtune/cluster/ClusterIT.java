package io.gradtune.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradtune.driver.testing.DigitsStudy;
import io.gradtune.driver.testing.SecretScan;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.Reader;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * gradtune on a real standalone cluster of separate JVMs on 127.0.0.1, started through {@code deploy/}: a Spark
 * master, two workers (one core each) and a KRaft broker of its own JVM; studies go in with
 * {@code deploy/gradtune-submit} (spark-submit, client deploy mode, the cluster jar). Everything started here is
 * stopped again, also when a test fails. Runs in the Maven profile {@code cluster} ({@code mvn -Pcluster verify}).
 *
 * <p>The figures it measures (wall times, stop-to-task-end latency) are printed as {@code [cluster-it] ...} lines.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path state;
    private Path work;
    private int sparkPort;
    private int kafkaPort;
    private int saslPort;
    private String sentinel;
    private Map<String, String> env;

    @BeforeAll
    void startClusterAndBroker() throws Exception {
        state = Files.createTempDirectory("gradtune-cluster-it-state");
        work = Files.createTempDirectory("gradtune-cluster-it");
        sparkPort = freePort();
        kafkaPort = freePort();
        saslPort = freePort();
        sentinel = SecretScan.newSentinel();
        env = new HashMap<>();
        env.put("GRADTUNE_DEPLOY_STATE", state.toString());
        // The SASL listener's one user and its password, for the broker (its config names the variable, not the
        // value) and for the study's clients: the driver's and, through the Spark worker daemons' environment,
        // every executor's producer.
        env.put("GRADTUNE_KAFKA_SASL_USERS", "gradtune");
        env.put("GRADTUNE_KAFKA_SASL_PASSWORD_gradtune", sentinel);
        env.put("GRADTUNE_IT_KAFKA_PASSWORD", sentinel);
        env.put("GRADTUNE_SPARK_MASTER", "spark://127.0.0.1:" + sparkPort);
        env.put("GRADTUNE_KAFKA", "127.0.0.1:" + kafkaPort);
        try {
            run(Duration.ofMinutes(3), "deploy/spark-start", "--workers", "2", "--cores", "1", "--memory", "2g",
                    "--port", String.valueOf(sparkPort), "--webui-port", String.valueOf(freePort()));
            run(Duration.ofMinutes(3), "deploy/kafka-start", "--port", String.valueOf(kafkaPort),
                    "--controller-port", String.valueOf(freePort()), "--sasl-port", String.valueOf(saslPort));
        } catch (Exception | AssertionError e) {
            stopEverything();
            throw e;
        }
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (state == null) {
            return;
        }
        // Both, whatever the first says: each stops only the processes it started (their state dir marks them).
        int kafka = exec(Duration.ofMinutes(2), "deploy/kafka-stop");
        int spark = exec(Duration.ofMinutes(2), "deploy/spark-stop", "--delete-work");
        assertEquals(0, kafka, "deploy/kafka-stop");
        assertEquals(0, spark, "deploy/spark-stop");
    }

    /** A small study: every trial terminal, every epoch's record through Kafka once, trials on both executors. */
    @Test
    @Order(1)
    void aStudySubmittedToTheClusterRunsOnSeparateExecutorJvms() throws Exception {
        Path out = work.resolve("basic");
        long t0 = System.nanoTime();
        submit(config("it-basic", 6, 4, "none"), out, "it-basic");
        double wall = (System.nanoTime() - t0) / 1e9;
        Path run = out.resolve("it-basic");

        List<CSVRecord> trials = trials(run);
        assertEquals(6, trials.size());
        Map<String, List<JsonNode>> records = records(run);
        Set<String> executors = new TreeSet<>();
        for (CSVRecord t : trials) {
            assertEquals("COMPLETED", t.get("state"), t.toString());
            List<JsonNode> curve = records.get(t.get("trial_id"));
            assertEquals(4, curve.size(), "one record per epoch for " + t.get("trial_id"));
            for (int i = 0; i < curve.size(); i++) {
                assertEquals(i + 1, curve.get(i).path("epoch").asInt());
                executors.add(curve.get(i).path("executorId").asText());
            }
        }
        assertFalse(executors.contains("driver"), "trials ran on executors, not in the driver: " + executors);
        assertTrue(executors.size() >= 2, "trials ran on at least two executor JVMs: " + executors);
        JsonNode study = JSON.readTree(run.resolve("study.json").toFile());
        assertEquals("finished", study.path("status").asText());
        assertEquals(0, study.path("records").path("rejected").asInt(), study.path("records").toString());
        assertEquals(Files.readAllLines(run.resolve("metrics.jsonl")).size(), study.path("records").path("accepted").asInt());
        System.out.printf("[cluster-it] basic: 6 trials x 4 epochs, wall %.1f s, executors %s%n", wall, executors);
    }

    /**
     * {@code refit.mode: spark} on the cluster: the best trial is retrained data-parallel with dl4j-spark over the
     * application's executor JVMs (parameter averaging, two workers), and the saved model's test figure is well above
     * chance. The executors load dl4j-spark from the cluster jar.
     */
    @Test
    @Order(2)
    void theBestTrialIsRefittedDataParallelOnTheExecutors() throws Exception {
        Path out = work.resolve("refit-spark");
        String yaml = DigitsStudy.named("it-refit-spark").trials(2).epochs(4).seed(7).batchSize(32).earlyStopping("none")
                .yaml() + "refit: {mode: spark, workers: 2}\n";
        Path cfg = Files.writeString(work.resolve("it-refit-spark.yaml"), yaml);
        long t0 = System.nanoTime();
        submit(cfg, out, "it-refit-spark");
        String log = Files.readString(work.resolve("it-refit-spark.log"));
        assertTrue(log.contains("data-parallel over the executors"), tail(work.resolve("it-refit-spark.log")));
        JsonNode test = JSON.readTree(out.resolve("it-refit-spark").resolve("study.json").toFile()).path("test");
        double accuracy = test.path("test_accuracy").asDouble();
        assertTrue(accuracy > 0.8, "test accuracy of the data-parallel refit: " + test);
        assertTrue(Files.isRegularFile(out.resolve("it-refit-spark").resolve("best-model.zip")));
        System.out.printf("[cluster-it] refit.mode spark: test accuracy %.4f, refit %.1f s, study wall %.1f s%n",
                accuracy, test.path("seconds").asDouble(), (System.nanoTime() - t0) / 1e9);
    }

    /**
     * {@code training.workers: 2} on the cluster: every trial is a data-parallel dl4j-spark job run by the driver over
     * both executor JVMs (one core each), its epochs streamed from the driver with the averaged per-layer statistics,
     * one trial at a time (2 slots / 2 workers).
     */
    @Test
    @Order(3)
    void dataParallelTrialsTrainOverBothExecutorsAndStreamTheirEpochs() throws Exception {
        Path out = work.resolve("dp-trials");
        String yaml = DigitsStudy.named("it-dp-trials").trials(2).epochs(3).seed(7).batchSize(32).earlyStopping("none")
                .trainingWorkers(2).yaml();
        Path cfg = Files.writeString(work.resolve("it-dp-trials.yaml"), yaml);
        long t0 = System.nanoTime();
        submit(cfg, out, "it-dp-trials");
        Path run = out.resolve("it-dp-trials");
        Map<String, List<JsonNode>> records = records(run);
        for (CSVRecord t : trials(run)) {
            assertEquals("COMPLETED", t.get("state"), t.toString());
            List<JsonNode> curve = records.get(t.get("trial_id"));
            assertEquals(3, curve.size(), "one record per epoch for " + t.get("trial_id"));
            for (JsonNode r : curve) {
                assertEquals("driver", r.path("executorId").asText(), r.toString());
                for (JsonNode layer : r.path("layers")) {
                    assertTrue(layer.path("averaged").asBoolean(), layer.toString());
                    assertTrue(layer.path("weightL2").asDouble() > 0 && layer.path("updateRatio").asDouble() > 0,
                            layer.toString());
                }
            }
        }
        System.out.printf("[cluster-it] training.workers 2: 2 trials x 3 epochs, wall %.1f s%n",
                (System.nanoTime() - t0) / 1e9);
    }

    /**
     * A comparative stop reaches the remote task at once: at ASHA's rungs each executor waits for the driver's verdict
     * (read from the control topic by one consumer per executor JVM) and a pruned trial trains no mini-batch past its
     * rung, as the worker counts them (study.json {@code stopLatency}).
     */
    @Test
    @Order(4)
    void anAshaStopEndsTheRemoteTrialAtItsRung() throws Exception {
        Path out = work.resolve("asha");
        submit(config("it-asha", 6, 12, "{divergence: false, vanishing_gradients: false, plateau: false, "
                + "exploding_gradients: false, asha: {min_epochs: 1, reduction_factor: 3}}"), out, "it-asha");
        Path run = out.resolve("it-asha");
        int pruned = 0;
        for (CSVRecord t : trials(run)) {
            if (t.get("state").equals("PRUNED")) {
                pruned++;
                assertTrue(t.get("stop_reason").startsWith("asha@"), t.toString());
                int rung = Integer.parseInt(t.get("stop_reason").substring(5, t.get("stop_reason").indexOf(':')));
                assertEquals(rung, Integer.parseInt(t.get("epochs")), "no epoch past the rung: " + t);
            }
        }
        assertTrue(pruned >= 1, "ASHA pruned some of 6 trials");
        JsonNode latency = JSON.readTree(run.resolve("study.json").toFile()).path("stopLatency");
        System.out.println("[cluster-it] asha stops: " + latency);
        assertEquals(pruned, latency.path("stops").asInt(), latency.toString());
        assertEquals(pruned, latency.path("measured").asInt(), latency.toString());
        assertTrue(latency.path("maxMiniBatches").asInt() <= 1, latency.toString());
    }

    /**
     * A stop decision taken on the driver ends the remote task: the exploding-gradients rule with a max_norm far below
     * any real gradient stops every trial at epoch 1 of a 300-epoch budget; the driver's trial events say when the
     * stop was decided and when the trial's Spark job had ended.
     */
    @Test
    @Order(5)
    void aStopDecisionEndsTheRemoteTask() throws Exception {
        Path out = work.resolve("stop");
        submit(config("it-stop", 2, 300, "{divergence: false, vanishing_gradients: false, plateau: false, "
                + "asha: false, exploding_gradients: {max_norm: 1.0e-9}}"), out, "it-stop", 3); // 3: none completed
        Path run = out.resolve("it-stop");
        for (CSVRecord t : trials(run)) {
            assertEquals("PRUNED", t.get("state"), t.toString());
            assertTrue(t.get("stop_reason").startsWith("exploding_gradients@1"), t.get("stop_reason"));
            assertTrue(Integer.parseInt(t.get("epochs")) <= 2, "no more than the epoch in flight: " + t);
        }
        Map<String, Map<String, Long>> events = trialEvents("gradtune", "it-stop");
        List<Long> latencies = new ArrayList<>();
        for (Map.Entry<String, Map<String, Long>> e : events.entrySet()) {
            Long decided = e.getValue().get("stop_decided");
            Long finished = e.getValue().get("finished");
            assertTrue(decided != null && finished != null, e.toString());
            latencies.add(finished - decided);
        }
        assertEquals(2, latencies.size(), events.toString());
        // One mini-batch: epoch 1's training time over its mini-batches (1,078 training rows, batch 32: 34).
        double miniBatchMs = 0;
        for (List<JsonNode> curve : records(run).values()) {
            miniBatchMs = Math.max(miniBatchMs, curve.get(0).path("epochMillis").asDouble() / 34.0);
        }
        System.out.printf("[cluster-it] stop decided -> trial's Spark job ended (ms): %s; one mini-batch %.1f ms, "
                + "so the round trip (cancel to the executor, task end back, job end) took the rest%n",
                latencies, miniBatchMs);
        for (long ms : latencies) {
            assertTrue(ms < miniBatchMs + 5_000, "the remote task ended within a mini-batch and a round trip of the "
                    + "decision: " + latencies + " ms, mini-batch " + miniBatchMs + " ms");
        }
    }

    /**
     * A study against the broker's SASL_PLAINTEXT listener (SASL/PLAIN) only, its password given as
     * {@code ${env:GRADTUNE_IT_KAFKA_PASSWORD}}: every epoch record reaches the driver (so every executor's producer
     * authenticated: a producer without the settings cannot write to that listener), ASHA's verdicts reach the
     * executors' verdict readers over the same listener (a pruned trial trains no mini-batch past its rung; a reader
     * that could not authenticate would wait 30 s and train on), and the random sentinel
     * password appears in no file of the run directory, the Spark event log (which holds the SparkConf Spark's UI
     * shows), the deploy state (Spark master, worker and executor logs, the executors' work directories, the
     * broker's log, config and data), the submit log, any record of the study's three topics, or the command line of
     * any process of the cluster.
     */
    @Test
    @Order(6)
    void aStudyOverSaslLeavesTheSecretNowhere() throws Exception {
        Path out = work.resolve("sasl");
        Path events = Files.createDirectories(work.resolve("sasl-events"));
        String kafka = """
                {topic_prefix: itsasl, properties: {security.protocol: SASL_PLAINTEXT, sasl.mechanism: PLAIN,
                  sasl.jaas.config: 'org.apache.kafka.common.security.plain.PlainLoginModule required username="gradtune" password="${env:GRADTUNE_IT_KAFKA_PASSWORD}";'}}""";
        String spark = "{properties: {spark.eventLog.enabled: 'true', spark.eventLog.dir: '" + events.toUri() + "'}}";
        // ASHA on: at its rung every executor reads the driver's verdicts from the control topic over SASL too
        Path cfg = config("it-sasl", 6, 3, "{asha: {min_epochs: 1, reduction_factor: 3}}", kafka, spark);
        assertFalse(Files.readString(cfg).contains(sentinel), "the config holds the placeholder only");
        Process p = start("deploy/gradtune-submit", cfg.toString(), "--output",
                out.toString(), "--kafka", "127.0.0.1:" + saslPort, "--study", "it-sasl");
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "the study ends");
        assertEquals(0, p.exitValue(), tail(work.resolve("it-sasl.log")));

        Path run = out.resolve("it-sasl");
        Map<String, List<JsonNode>> records = records(run);
        int pruned = 0;
        for (CSVRecord t : trials(run)) {
            int epochs = Integer.parseInt(t.get("epochs"));
            if (t.get("state").equals("PRUNED")) {
                pruned++;
                assertTrue(t.get("stop_reason").startsWith("asha@1:"), t.toString());
                assertEquals(1, epochs, "no epoch past the rung: " + t);
            } else {
                assertEquals("COMPLETED", t.get("state"), t.toString());
            }
            assertEquals(epochs, records.get(t.get("trial_id")).size(), "one record per epoch for " + t.get("trial_id"));
        }
        assertEquals(6, trials(run).size());
        assertTrue(pruned >= 1, "ASHA pruned some of 6 trials");
        JsonNode latency = JSON.readTree(run.resolve("study.json").toFile()).path("stopLatency");
        assertEquals(pruned, latency.path("measured").asInt(), latency.toString());
        assertTrue(latency.path("maxMiniBatches").asInt() <= 1, "the verdicts arrived over SASL: " + latency);
        int accepted = Files.readAllLines(run.resolve("metrics.jsonl")).size();
        assertTrue(Files.readString(work.resolve("it-sasl.log")).contains("127.0.0.1:" + saslPort),
                "the driver used the SASL listener");

        SecretScan scan = new SecretScan(sentinel);
        assertTrue(scan.files(run) >= 4, "the run directory was searched");
        assertTrue(scan.files(events) >= 1, "Spark's event log was written and searched");
        scan.files(work.resolve("it-sasl.log"));
        assertTrue(scan.files(state) > 10, "the deploy state was searched");
        Map<String, String> sasl = Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"gradtune\" password=\"" + sentinel + "\";");
        assertTrue(scan.topic("127.0.0.1:" + saslPort, sasl, "itsasl.metrics") >= accepted, "the metrics topic");
        assertTrue(scan.topic("127.0.0.1:" + saslPort, sasl, "itsasl.trials") >= 6, "the trials topic");
        assertTrue(scan.topic("127.0.0.1:" + saslPort, sasl, "itsasl.control") >= pruned, "the control topic");
        ProcessHandle.allProcesses().forEach(h -> h.info().commandLine().ifPresent(c -> {
            if (c.contains(state.toString())) {
                scan.text("command line of pid " + h.pid(), c);
            }
        }));
        scan.assertNotFound();
        System.out.println("[cluster-it] sasl: sentinel searched in " + scan.searched());
    }

    /**
     * kill -9 of an executor JVM mid-trial costs one retried attempt and nothing else: the trial reruns as a new
     * attempt (on the other executor or a relaunched one), its curve is the new attempt's, the study completes.
     */
    @Test
    @Order(7)
    void aKilledExecutorCostsOneRetriedAttempt() throws Exception {
        Path out = work.resolve("kill");
        Path cfg = config("it-kill", 2, 40, "none");
        Process p = start("deploy/gradtune-submit", cfg.toString(), "--output",
                out.toString(), "--study", "it-kill");
        Path metrics = out.resolve("it-kill").resolve("metrics.jsonl");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (lines(metrics) < 6) { // both trials are training
            if (!p.isAlive() || System.nanoTime() > deadline) {
                fail("the study did not get going: " + tail(work.resolve("it-kill.log")));
            }
            Thread.onSpinWait();
            p.waitFor(50, TimeUnit.MILLISECONDS);
        }
        List<Long> executors = executorPids();
        assertEquals(2, executors.size(), "two executor JVMs: " + executors);
        // Kill an executor that is training: the one of a trial's newest record (Spark may have put both trials on
        // one executor, and killing an idle one retries nothing).
        Map<String, String> trainingOn = new TreeMap<>();
        for (String line : Files.readAllLines(metrics)) {
            JsonNode r = JSON.readTree(line);
            trainingOn.put(r.path("trialId").asText(), r.path("executorId").asText());
        }
        String victim = trainingOn.values().iterator().next();
        long victimPid = executorPid(victim);
        Set<String> hitTrials = new TreeSet<>();
        trainingOn.forEach((trial, executor) -> {
            if (executor.equals(victim)) {
                hitTrials.add(trial);
            }
        });
        ProcessHandle.of(victimPid).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL on Linux
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "the study ends");
        assertEquals(0, p.exitValue(), tail(work.resolve("it-kill.log")));

        Path run = out.resolve("it-kill");
        Map<String, List<JsonNode>> records = allRecords(run);
        int retried = 0;
        for (CSVRecord t : trials(run)) {
            assertEquals("COMPLETED", t.get("state"), t.toString());
            assertEquals("40", t.get("epochs"), t.toString());
            Set<Integer> attempts = new TreeSet<>();
            records.get(t.get("trial_id")).forEach(r -> attempts.add(r.path("attempt").asInt()));
            retried += attempts.size() - 1;
        }
        assertEquals(hitTrials.size(), retried, "exactly the trials on the killed executor " + hitTrials
                + " ran a second attempt, once each");
        JsonNode study = JSON.readTree(run.resolve("study.json").toFile());
        assertEquals("finished", study.path("status").asText());
        System.out.println("[cluster-it] killed executor " + victim + " (pid " + victimPid + ", trials " + hitTrials
                + "): records "
                + study.path("records"));
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private Path config(String study, int trials, int epochs, String earlyStopping) throws IOException {
        return config(study, trials, epochs, earlyStopping, "{}", "{}");
    }

    private Path config(String study, int trials, int epochs, String earlyStopping, String kafka, String spark) {
        DigitsStudy config = DigitsStudy.named(study).trials(trials).epochs(epochs).seed(7).batchSize(32)
                .earlyStopping(earlyStopping).spark(spark);
        return (kafka.equals("{}") ? config : config.kafka(kafka)).write(work);
    }

    private void submit(Path cfg, Path out, String study) throws Exception {
        submit(cfg, out, study, 0);
    }

    private void submit(Path cfg, Path out, String study, int expectedExit) throws Exception {
        Process p = start("deploy/gradtune-submit", cfg.toString(), "--output",
                out.toString(), "--study", study);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "the study ends");
        assertEquals(expectedExit, p.exitValue(), tail(work.resolve(study + ".log")));
    }

    private Process start(String... command) throws IOException {
        String name = command.length > 4 ? command[command.length - 1] : Path.of(command[0]).getFileName().toString();
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    private void run(Duration limit, String... command) throws Exception {
        int rc = exec(limit, command);
        assertEquals(0, rc, String.join(" ", command) + " failed: " + tail(work.resolve(
                Path.of(command[0]).getFileName() + ".log")));
    }

    private int exec(Duration limit, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve(
                        Path.of(command[0]).getFileName() + ".log").toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    /** The executor JVMs of this cluster (their command lines name a work directory under our state dir). */
    /** The pid of the executor JVM with this Spark executor id. */
    private long executorPid(String executorId) {
        List<Long> pids = ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().map(c -> c.contains("CoarseGrainedExecutorBackend")
                        && c.contains(state.toString()) && c.contains("--executor-id " + executorId + " ")).orElse(false))
                .map(ProcessHandle::pid).toList();
        assertEquals(1, pids.size(), "one executor JVM with id " + executorId + ": " + pids);
        return pids.get(0);
    }

    private List<Long> executorPids() {
        return ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().map(c -> c.contains("CoarseGrainedExecutorBackend")
                        && c.contains(state.toString())).orElse(false))
                .map(ProcessHandle::pid).sorted().toList();
    }

    private static List<CSVRecord> trials(Path run) throws IOException {
        try (Reader in = Files.newBufferedReader(run.resolve("trials.csv"));
             CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in)) {
            return csv.getRecords();
        }
    }

    /** metrics.jsonl by trial: the records of each trial's last attempt, in file (= epoch) order. */
    private static Map<String, List<JsonNode>> records(Path run) throws IOException {
        Map<String, List<JsonNode>> all = allRecords(run);
        Map<String, List<JsonNode>> out = new TreeMap<>();
        all.forEach((trial, records) -> {
            int last = records.stream().mapToInt(r -> r.path("attempt").asInt()).max().orElse(0);
            out.put(trial, records.stream().filter(r -> r.path("attempt").asInt() == last).toList());
        });
        return out;
    }

    /** metrics.jsonl by trial, every attempt, in file order. */
    private static Map<String, List<JsonNode>> allRecords(Path run) throws IOException {
        Map<String, List<JsonNode>> out = new TreeMap<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode r = JSON.readTree(line);
            out.computeIfAbsent(r.path("trialId").asText(), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    /** Per trial of the study, the time of each lifecycle event on the trials topic. */
    private Map<String, Map<String, Long>> trialEvents(String prefix, String study) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<String, Map<String, Long>> out = new TreeMap<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = c.partitionsFor(prefix + ".trials", Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    try {
                        JsonNode e = JSON.readTree(r.value());
                        if (study.equals(e.path("study").asText())) {
                            out.computeIfAbsent(e.path("trialId").asText(), k -> new TreeMap<>())
                                    .putIfAbsent(e.path("event").asText(), e.path("timestampMillis").asLong());
                        }
                    } catch (IOException ignored) {
                        // not an event of ours
                    }
                }
            }
        }
        return out;
    }

    private static long lines(Path f) throws IOException {
        if (!Files.exists(f)) {
            return 0;
        }
        try (Stream<String> s = Files.lines(f)) {
            return s.count();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> l = Files.readAllLines(log);
            return String.join("\n", l.subList(Math.max(0, l.size() - 40), l.size()));
        } catch (IOException e) {
            return "(no log " + log + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
