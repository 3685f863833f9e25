package io.gradtune.driver.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.driver.search.RandomSampler;
import io.gradtune.driver.study.TrialResult;
import io.gradtune.driver.study.TrialState;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.ProtocolCodec;
import io.gradtune.worker.train.FaultInjection;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retried attempts end to end in local mode (Spark, the embedded broker, DL4J on digits): the study's
 * {@code local[2]} runs as {@code local[2,2]} ({@code spark.max_attempts} 2 by default), and the worker's test-only
 * fault injection fails chosen attempts inside the epoch loop. A trial whose first attempt fails after two epochs
 * ends COMPLETED with its second attempt's curve; a trial that fails on every attempt ends FAILED after two attempts
 * with the cause. What the cluster test does with a killed executor, minus the kill.
 */
class TrialAttemptsIT {

    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        System.clearProperty(FaultInjection.PROPERTY);
    }

    @Test
    void aFailedFirstAttemptIsRetriedAndSupersededAndAnAlwaysFailingTrialFailsAfterMaxAttempts() throws Exception {
        Path digits = Path.of("../data/digits.csv").toAbsolutePath().normalize();
        Path cfg = dir.resolve("attempts.yaml");
        Files.writeString(cfg, """
                study: it-attempts
                data: {source: %s, label_column: label}
                search: {algorithm: random, max_trials: 2, seed: 7}
                space:
                  learning_rate: {type: float, low: 3.0e-3, high: 1.0e-2, log: true}
                training: {epochs: 4, batch_size: 64, units: 32, layers: 1, optimizer: adam}
                early_stopping: none
                spark: {master: "local[2]"}
                """.formatted(digits));
        StudyConfig config = StudyConfigLoader.load(cfg).withOutputDir(dir.resolve("runs"));
        assertEquals("local[2,2]", config.spark().sparkMaster());
        System.setProperty(FaultInjection.PROPERTY, FaultInjection.fault("t0001", 1, 2) + ","
                + FaultInjection.fault("t0002", 99, 1));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        StudyRunner.Outcome outcome = new StudyRunner(config, new RandomSampler(config.space(), 7),
                new PrintStream(console, true)).run();
        assertNull(outcome.failure(), console.toString());
        Map<String, TrialResult> byId = outcome.results().stream()
                .collect(Collectors.toMap(TrialResult::trialId, r -> r));
        assertEquals(2, byId.size(), console.toString());

        // Every record of the run, as received; the curve of a trial is its records of the highest attempt.
        List<EpochMetrics> records = Files.readAllLines(outcome.runDir().resolve("metrics.jsonl")).stream()
                .map(l -> ProtocolCodec.decodeEpochMetrics(l).value()).toList();

        TrialResult retried = byId.get("t0001");
        assertEquals(TrialState.COMPLETED, retried.state(), console.toString());
        assertNull(retried.error());
        assertEquals(new TrialResult.Placement(2, "driver", records.get(0).host(), 2), retried.placement(),
                "attempt 0's two epochs superseded");
        List<EpochMetrics> first = records.stream().filter(m -> m.trialId().equals("t0001") && m.attempt() == 0).toList();
        List<EpochMetrics> second = records.stream().filter(m -> m.trialId().equals("t0001") && m.attempt() == 1).toList();
        assertEquals(List.of(1, 2), first.stream().map(EpochMetrics::epoch).toList(), "attempt 0 published 2 epochs");
        assertEquals(List.of(1, 2, 3, 4), second.stream().map(EpochMetrics::epoch).toList(), "attempt 1: every epoch once");
        // The result is attempt 1's curve alone: 4 epochs, its best epoch and value are attempt 1's.
        assertEquals(4, retried.epochs());
        EpochMetrics best = second.stream().max(Comparator.comparingDouble(EpochMetrics::valAccuracy)
                .thenComparing(m -> -m.epoch())).orElseThrow();
        assertEquals(best.valAccuracy(), retried.objective());
        assertEquals(best.epoch(), retried.bestEpoch());

        // Two faults injected into training code (t0001 attempt 0, t0002 every attempt): survived = the study went
        // on to its end with each trial ending as the fault allows (t0001 completed on its retry, t0002 FAILED).
        System.out.printf("[fault] executor-task-failure-retry | injected=2 | survived=%d | records_lost=%d | "
                + "trials_duplicated=%d%n", (retried.state() == TrialState.COMPLETED ? 1 : 0)
                + (byId.get("t0002").state() == TrialState.FAILED ? 1 : 0), 4 - retried.epochs(),
                outcome.results().size() - byId.size());
        TrialResult failed = byId.get("t0002");
        assertEquals(TrialState.FAILED, failed.state(), console.toString());
        assertEquals("failed on 2 attempts: InjectedFault: injected fault: t0002 attempt 1 after epoch 1",
                failed.error());
        assertEquals(2, failed.placement().attempts());
        assertEquals(1, failed.epochs(), "the last attempt's one epoch");

        // t0001: 2 records of attempt 0 superseded; t0002: attempt 0's one record.
        assertEquals(6 + 2, outcome.records().accepted());
        assertEquals(2 + 1, outcome.records().superseded());
        assertEquals(0, outcome.records().duplicates());

        List<CSVRecord> csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(Files.readString(outcome.runDir().resolve("trials.csv")))).getRecords();
        for (CSVRecord row : csv) {
            assertEquals("2", row.get("attempts"), row.toString());
            assertEquals("driver", row.get("executor"), row.toString());
        }
        JsonNode study = new ObjectMapper().readTree(outcome.runDir().resolve("study.json").toFile());
        assertEquals(3, study.path("records").path("superseded").asInt(), study.path("records").toString());
        // Epochs trained count every attempt's accepted records: the lines of metrics.jsonl.
        assertEquals(records.size(), study.path("records").path("accepted").asInt());
        assertEquals(records.size(), study.path("totals").path("epochsTrained").asInt());
        assertEquals(records.size(), outcome.results().stream().mapToInt(TrialResult::epochsTrained).sum());
        assertEquals(0, study.path("records").path("rejected").asInt(), study.path("records").toString());
        assertEquals(2, study.path("effective").path("maxAttempts").asInt());
        assertEquals("local[2,2]", study.path("effective").path("sparkMaster").asText());
        assertTrue(console.toString().contains("failed on 2 attempts"), console.toString());
    }
}
