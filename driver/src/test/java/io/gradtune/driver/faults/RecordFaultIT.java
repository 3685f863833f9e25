package io.gradtune.driver.faults;

import io.gradtune.driver.testing.DigitsStudy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.driver.run.RunnerHooks;
import io.gradtune.driver.run.StudyRunner;
import io.gradtune.driver.search.RandomSampler;
import io.gradtune.driver.stream.EmbeddedKafka;
import io.gradtune.driver.stream.MetricsSink;
import io.gradtune.driver.stream.Topics;
import io.gradtune.driver.study.TrialResult;
import io.gradtune.driver.study.TrialState;
import io.gradtune.worker.protocol.Decoded;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.ProtocolCodec;
import io.gradtune.worker.telemetry.KafkaMetricsPublisher;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records that cannot lie, end to end: real Spark local mode, a real embedded KRaft broker, DL4J on the digits data.
 * While a study runs, {@link RecordForger} publishes 1,000 forged, repeated and broken records on its metrics
 * topic; and two runs of a study with the same name share one broker and its topics. No result may change: every
 * trial ends with its real curve, {@code metrics.jsonl} holds exactly the accepted records (as many as the epochs
 * trained), and every rejected record is counted by reason in {@code study.json}.
 *
 * <p>Each fault family prints one line for the RELIABILITY table of BENCHMARKS.md: {@code [fault] <family> |
 * injected=n | survived=n | records_lost=n | trials_duplicated=n}. {@code survived} counts the family's records in
 * {@code metrics.jsonl}; {@code records_lost} (real records of the run not accepted) and {@code trials_duplicated}
 * (trial ids reported more than once, or never created) are the run's, since the families share one run.
 */
class RecordFaultIT {

    private static final int TRIALS = 4;
    private static final int EPOCHS = 6;

    @TempDir
    Path dir;

    @AfterEach
    void closePublishers() {
        KafkaMetricsPublisher.closeAll();
    }

    private Path configFile(String name, String study, String bootstrap, int trials, int epochs) {
        return DigitsStudy.named(study).trials(trials).epochs(epochs).seed(7).units(16, 48)
                .kafka("  bootstrap: \"" + bootstrap + "\"\n  topic_prefix: " + study + "\n  partitions: 2\n")
                .write(dir, name + ".yaml");
    }

    @Test
    void forgedRepeatedAndBrokenRecordsOnTheMetricsTopicChangeNoResult() throws Exception {
        String name = "it-faults";
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (EmbeddedKafka broker = EmbeddedKafka.start(null)) {
            String bootstrap = broker.bootstrapServers();
            StudyConfig config = StudyConfigLoader.load(configFile(name, name, bootstrap, TRIALS, EPOCHS))
                    .withOutputDir(dir.resolve("runs"));
            Topics.ensure(bootstrap, Map.of(), List.of(config.kafka().metricsTopic(), config.kafka().trialsTopic()),
                    2, null);
            try (RecordForger forger = new RecordForger(bootstrap, config.kafka().metricsTopic(), name, TRIALS,
                    EPOCHS)) {
                CompletableFuture<Void> injecting = CompletableFuture.runAsync(() -> {
                    try {
                        forger.inject(120_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                // Each trial's last real record waits until every forged record is published, so all of them reach
                // the topic before the study can end, however fast the trials run.
                StudyRunner runner = RunnerHooks.withSinkWrapper(config, new RandomSampler(config.space(), 7),
                        new PrintStream(console, true), sink -> new MetricsSink() {
                            @Override
                            public void accept(EpochMetrics m, String raw) {
                                if (m.epoch() == EPOCHS && !m.host().startsWith("forged-")) {
                                    injecting.orTimeout(120, TimeUnit.SECONDS).join();
                                }
                                sink.accept(m, raw);
                            }

                            @Override
                            public void endOfBatch() {
                                sink.endOfBatch();
                            }
                        });
                StudyRunner.Outcome outcome = runner.run();
                assertTrue(injecting.isDone(), "every forged record was published while the study ran");
                injecting.get(1, TimeUnit.SECONDS);
                assertNull(outcome.failure(), console.toString());
                assertEquals(runner.runId(), forger.runId(), "the forger read the run id off the topic");
                assertEquals(1000, forger.injectedTotal());
                check(outcome, runner.runId(), forger, console.toString());
            }
        }
    }

    private void check(StudyRunner.Outcome outcome, String runId, RecordForger forger, String console)
            throws Exception {
        // Every trial is terminal with its whole real curve, once; none was invented.
        List<TrialResult> results = outcome.results();
        assertEquals(TRIALS, results.size(), console);
        Set<String> ids = new HashSet<>();
        results.forEach(r -> ids.add(r.trialId()));
        int trialsDuplicated = results.size() - ids.size()
                + (int) ids.stream().filter(id -> Integer.parseInt(id.substring(1)) > TRIALS).count();

        // metrics.jsonl: exactly the accepted records, all of this run, each a real worker's.
        List<String> lines = Files.readAllLines(outcome.runDir().resolve("metrics.jsonl"));
        Map<RecordForger.Family, Integer> survived = new LinkedHashMap<>();
        for (RecordForger.Family f : RecordForger.Family.values()) {
            survived.put(f, 0);
        }
        Map<String, List<Integer>> epochsByTrial = new TreeMap<>();
        Set<String> keys = new HashSet<>();
        for (String line : lines) {
            Decoded<EpochMetrics> d = ProtocolCodec.decodeEpochMetrics(line);
            if (!d.isAccepted()) {
                survived.merge(d.unsupportedVersion() ? RecordForger.Family.UNKNOWN_SCHEMA
                        : RecordForger.Family.GARBAGE_JSON, 1, Integer::sum);
                continue;
            }
            EpochMetrics m = d.value();
            for (RecordForger.Family f : RecordForger.Family.values()) {
                if (m.host().equals(f.host())) {
                    survived.merge(f, 1, Integer::sum);
                }
            }
            if (!keys.add(RecordForger.key(m))) {
                survived.merge(RecordForger.Family.DUPLICATE, 1, Integer::sum);
            }
            if (!m.host().startsWith("forged-") && m.runId().equals(runId)) {
                epochsByTrial.computeIfAbsent(m.trialId(), k -> new ArrayList<>()).add(m.epoch());
            }
        }
        Set<String> real = forger.realRecordKeys();
        Set<String> lost = new HashSet<>(real);
        lost.removeAll(keys);
        for (RecordForger.Family f : RecordForger.Family.values()) {
            System.out.printf("[fault] %s | injected=%d | survived=%d | records_lost=%d | trials_duplicated=%d%n",
                    f.label(), forger.injected().getOrDefault(f, 0), survived.get(f), lost.size(), trialsDuplicated);
        }
        survived.forEach((f, n) -> assertEquals(0, n, f + " records reached metrics.jsonl"));
        assertEquals(Set.of(), lost, "real records the study did not accept");
        assertEquals(0, trialsDuplicated);

        List<Integer> everyEpoch = IntStream.rangeClosed(1, EPOCHS).boxed().toList();
        for (TrialResult r : results) {
            assertEquals(TrialState.COMPLETED, r.state(), console);
            assertEquals(EPOCHS, r.epochs(), r.toString());
            assertEquals(everyEpoch, epochsByTrial.get(r.trialId()), r.trialId());
            assertNotEquals(RecordForger.FORGED_ACCURACY, r.objective(), r.toString());
            double best = lines.stream().map(l -> ProtocolCodec.decodeEpochMetrics(l).value())
                    .filter(m -> m.trialId().equals(r.trialId())).mapToDouble(EpochMetrics::valAccuracy).max()
                    .orElseThrow();
            assertEquals(best, r.objective(), "the objective is the best of the trial's own records: " + r);
        }
        assertNotEquals(RecordForger.FORGED_ACCURACY, outcome.leaderboard().best().objective());
        List<CSVRecord> csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(Files.readString(outcome.runDir().resolve("trials.csv")))).getRecords();
        assertEquals(TRIALS, csv.size());
        for (CSVRecord row : csv) {
            // The forged accuracy in no metric column (not "seconds": a trial may well take 0.999 s).
            for (String column : List.of("objective", "val_accuracy", "val_loss", "train_loss")) {
                assertTrue(!row.get(column).matches("0\\.9990*"), "a fabricated " + column + " in trials.csv: " + row);
            }
        }

        // Lines = accepted = epochs trained; every rejected record counted by reason, and nothing else rejected.
        JsonNode study = new ObjectMapper().readTree(outcome.runDir().resolve("study.json").toFile());
        JsonNode records = study.path("records");
        System.out.println("[records] " + records);
        assertEquals(TRIALS * EPOCHS, lines.size());
        assertEquals(lines.size(), records.path("accepted").asLong(), records.toString());
        assertEquals(lines.size(), study.path("totals").path("epochsTrained").asLong());
        assertEquals(lines.size(), outcome.records().accepted());
        assertEquals(runId, study.path("runId").asText());
        assertEquals(forger.injectedTotal(), records.path("rejected").asLong(), "every injected record rejected, "
                + "no real one: " + records);
        assertEquals(0, records.path("stillHeldBack").asLong());
        for (String reason : List.of("otherRun", "otherStudy", "unknownTrial", "unlaunchedAttempt", "duplicate",
                "outOfOrder", "malformed", "unknownSchemaVersion")) {
            assertTrue(records.path("rejectedBy").path(reason).asLong() > 0, reason + " counted: " + records);
        }
        long byReason = 0;
        for (JsonNode n : records.path("rejectedBy")) {
            byReason += n.asLong();
        }
        assertEquals(records.path("rejected").asLong(), byReason, records.toString());
    }

    /**
     * Two runs of a study with the same name at once, on one broker and the same topics, in two processes (Spark
     * allows one SparkContext per JVM): each run's results and metrics.jsonl hold only its own records.
     */
    @Test
    void twoRunsOfTheSameStudyOnTheSameTopicsEachTakeOnlyTheirOwnRecords() throws Exception {
        String name = "it-twin";
        int epochs = 60;
        // The other run trains longer and this one starts once the other's records flow, so they overlap for sure.
        int otherEpochs = 400;
        try (EmbeddedKafka broker = EmbeddedKafka.start(null)) {
            String bootstrap = broker.bootstrapServers();
            Path cfg = configFile(name, name, bootstrap, 2, epochs);
            Path otherCfg = configFile(name + "-other", name, bootstrap, 2, otherEpochs);
            Topics.ensure(bootstrap, Map.of(), List.of(name + ".metrics", name + ".trials"), 2, null);
            Path otherOut = dir.resolve("runs-other");
            Path otherLog = dir.resolve("other-run.log");
            Process other = otherProcess(otherCfg, otherOut, otherLog);
            try {
                Path otherMetrics = otherOut.resolve(name).resolve("metrics.jsonl");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
                while (!Files.exists(otherMetrics) || Files.size(otherMetrics) == 0) {
                    assertTrue(other.isAlive() && System.nanoTime() < deadline, "the other run's records flow: "
                            + Files.readString(otherLog));
                    other.waitFor(100, TimeUnit.MILLISECONDS);
                }
                StudyConfig config = StudyConfigLoader.load(cfg).withOutputDir(dir.resolve("runs-this"));
                ByteArrayOutputStream console = new ByteArrayOutputStream();
                StudyRunner runner = new StudyRunner(config, new RandomSampler(config.space(), 7),
                        new PrintStream(console, true));
                StudyRunner.Outcome outcome = runner.run();
                assertNull(outcome.failure(), console.toString());
                assertTrue(other.waitFor(300, TimeUnit.SECONDS), "the other run ended");
                assertEquals(0, other.exitValue(), Files.readString(otherLog));

                JsonNode otherStudy = new ObjectMapper().readTree(otherOut.resolve(name).resolve("study.json").toFile());
                String otherRunId = otherStudy.path("runId").asText();
                assertNotEquals(runner.runId(), otherRunId);
                RunRecords mine = RunRecords.read(outcome.runDir(), runner.runId(), 2, epochs);
                RunRecords theirs = RunRecords.read(otherOut.resolve(name), otherRunId, 2, otherEpochs);
                // Injected: the records each run saw of the other; survived: the other's records in a run's results.
                System.out.printf("[fault] same-study-concurrent-run | injected=%d | survived=%d | records_lost=%d | "
                                + "trials_duplicated=%d%n", mine.otherRun() + theirs.otherRun(),
                        mine.foreignLines() + theirs.foreignLines(), mine.lost() + theirs.lost(),
                        mine.trialsDuplicated() + theirs.trialsDuplicated());
                mine.assertOnlyOwn();
                theirs.assertOnlyOwn();
                assertTrue(mine.otherRun() + theirs.otherRun() > 0, "the runs overlapped: each saw the other's "
                        + "records and rejected them (this " + mine.otherRun() + ", other " + theirs.otherRun() + ")");
            } finally {
                other.destroy();
            }
        }
    }

    /**
     * What one run's directory says about its records.
     *
     * @param otherRun         records of other runs it rejected ({@code records.rejectedBy.otherRun})
     * @param foreignLines     lines of metrics.jsonl of another run
     * @param lost             epochs of its trials' budgets missing from metrics.jsonl
     * @param trialsDuplicated trial ids with more than one row in trials.csv
     */
    private record RunRecords(JsonNode study, List<String> lines, long otherRun, long foreignLines, long lost,
                              long trialsDuplicated, int trials, int epochs) {

        static RunRecords read(Path runDir, String runId, int trials, int epochs) throws Exception {
            JsonNode study = new ObjectMapper().readTree(runDir.resolve("study.json").toFile());
            List<String> lines = Files.readAllLines(runDir.resolve("metrics.jsonl"));
            Set<String> own = new HashSet<>();
            long foreign = 0;
            for (String line : lines) {
                EpochMetrics m = ProtocolCodec.decodeEpochMetrics(line).value();
                if (m.runId().equals(runId)) {
                    own.add(m.trialId() + "/" + m.epoch());
                } else {
                    foreign++;
                }
            }
            List<CSVRecord> csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                    .parse(new StringReader(Files.readString(runDir.resolve("trials.csv")))).getRecords();
            long distinct = csv.stream().map(r -> r.get("trial_id")).distinct().count();
            return new RunRecords(study, lines, study.path("records").path("rejectedBy").path("otherRun").asLong(),
                    foreign, (long) trials * epochs - own.size(), csv.size() - distinct, trials, epochs);
        }

        /** Every trial COMPLETED with all its epochs; metrics.jsonl = accepted = epochs trained; only other runs rejected. */
        void assertOnlyOwn() {
            assertEquals(0, foreignLines);
            assertEquals(0, lost);
            assertEquals(0, trialsDuplicated);
            assertEquals((long) trials * epochs, lines.size());
            assertEquals(lines.size(), study.path("records").path("accepted").asLong());
            assertEquals(lines.size(), study.path("totals").path("epochsTrained").asLong());
            assertEquals(trials, study.path("totals").path("byState").path("COMPLETED").asInt(), study.toString());
            assertEquals(study.path("records").path("rejected").asLong(), otherRun, "only other runs' records rejected");
        }
    }

    /** {@code gradtune run} in a second JVM with this test's classpath and JVM flags. */
    private static Process otherProcess(Path cfg, Path output, Path log) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-agentlib") && !arg.startsWith("-javaagent")) {
                cmd.add(arg);
            }
        }
        cmd.add("-Xmx1500m");
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.gradtune.driver.cli.Gradtune", "run",
                cfg.toString(), "--output", output.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
