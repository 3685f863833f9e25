package io.gradtune.driver.faults;

import io.gradtune.driver.testing.DigitsStudy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.driver.journal.Journal;
import io.gradtune.driver.journal.RunDirectory;
import io.gradtune.driver.search.RandomSampler;
import io.gradtune.driver.search.SearchHistory;
import io.gradtune.driver.space.Parameter;
import io.gradtune.driver.testing.DriverProcess;
import io.gradtune.worker.protocol.Decoded;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.ProtocolCodec;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real driver process (its own JVM, the launcher's flags) killed and stopped at the points where a crash hurts,
 * then started again: the study must go on from its journal to the budget, with the proposals of an uninterrupted
 * study of the same seed, no trial twice and no epoch record lost. Random search proposes independently of the
 * history, so the uninterrupted study's proposals are the sampler's first {@code max_trials} draws, computed here.
 *
 * <p>Prints one {@code [fault]} line per family for BENCHMARKS.md's reliability table.
 */
class DriverKillFaultIT {

    private static final int TRIALS = 6;
    private static final Duration START = Duration.ofMinutes(3);
    /** The searched parameters (the space also holds the fixed training settings). */
    private static final Set<String> SEARCHED = Set.of("learning_rate", "units");

    @TempDir
    Path dir;

    /**
     * SIGKILL at four points of one study, each followed by the command a person would type next: during start-up
     * (only a stale lock is left: the same {@code run} again), mid-trial, between trials and while the reports are
     * written ({@code resume} each time).
     */
    @Test
    void aKilledDriverResumesToTheBudgetWithTheSameProposals() throws Exception {
        Path cfg = config("fault-kill");
        Path runs = dir.resolve("runs");
        Path run = runs.resolve("fault-kill");
        String[] runArgs = {"run", cfg.toString(), "--output", runs.toString()};
        String[] resumeArgs = {"resume", run.toString()};
        List<Map<String, String>> finishedAtKill = new ArrayList<>();
        int injected = 0;

        // 1. During start-up: the broker is up (its temp directory exists), nothing is written but the lock.
        long firstPid;
        try (DriverProcess p = DriverProcess.start(dir.resolve("1-startup.log"), List.of(), runArgs)) {
            assertTrue(p.awaitLine(l -> l.startsWith("kafka: "), START), p.console());
            firstPid = p.pid();
            p.kill();
            injected++;
            finishedAtKill.add(finishedRows(run));
        }
        // 2. Mid-trial: a trial has finished and another one's records are arriving.
        try (DriverProcess p = DriverProcess.start(dir.resolve("2-mid-trial.log"), List.of(), runArgs)) {
            assertTrue(p.await(() -> finishedEvents(run) >= 1, START), p.console());
            long size = size(run.resolve("metrics.jsonl"));
            assertTrue(p.await(() -> size(run.resolve("metrics.jsonl")) > size, START), p.console());
            p.kill();
            injected++;
            assertTrue(p.console().contains("taking over the lock"), "the stale lock of kill 1: " + p.console());
            // Removed by this start; on a shared machine another gradtune's start may have removed it first (every
            // start cleans every dead broker's directory): either way it is gone.
            assertTrue(p.console().contains("removed the log directory of a dead embedded broker")
                            || brokerDirectories(firstPid).isEmpty(),
                    "the broker directory of kill 1: " + brokerDirectories(firstPid) + "\n" + p.console());
            finishedAtKill.add(finishedRows(run));
        }
        // 3. Between trials: right after a trial's end is journaled and printed.
        try (DriverProcess p = DriverProcess.start(dir.resolve("3-between.log"), List.of(), resumeArgs)) {
            assertTrue(p.awaitLine(l -> l.matches("t\\d{4} +(COMPLETED|PRUNED|FAILED) .*"), START), p.console());
            p.kill();
            injected++;
            finishedAtKill.add(finishedRows(run));
        }
        // 4. While writing the reports (test hook: a pause between leaderboard.txt and study.json).
        try (DriverProcess p = DriverProcess.start(dir.resolve("4-reports.log"),
                List.of("gradtune.test.reportPauseMillis=60000"), resumeArgs)) {
            assertTrue(p.awaitLine(l -> l.startsWith("writing reports"), START), p.console());
            p.kill();
            injected++;
            finishedAtKill.add(finishedRows(run));
        }
        int exit;
        String console;
        try (DriverProcess p = DriverProcess.start(dir.resolve("5-resume.log"), List.of(), resumeArgs)) {
            exit = p.waitFor(START);
            console = p.console();
        }

        List<CSVRecord> rows = rows(run);
        int duplicated = duplicated(rows, run);
        int lost = recordsLost(rows, run);
        boolean complete = exit == 0 && rows.size() == TRIALS && assignments(rows).equals(reference(cfg))
                && statusOf(run).equals("finished") && duplicated == 0;
        int survived = 0;
        for (Map<String, String> before : finishedAtKill) {
            if (complete && unchanged(before, rows)) {
                survived++;
            }
        }
        System.out.printf("[fault] driver_kill | injected=%d | survived=%d | records_lost=%d | trials_duplicated=%d%n",
                injected, survived, lost, duplicated);
        assertEquals(0, exit, console);
        assertEquals(TRIALS, rows.size(), console);
        assertEquals(reference(cfg), assignments(rows), "the uninterrupted study's proposals");
        assertEquals(0, duplicated);
        assertEquals(0, lost);
        assertEquals(injected, survived, "every trial finished before a kill kept its result");
        assertFalse(Files.exists(run.resolve(RunDirectory.LOCK)));
        assertEquals(0, RunDirectory.removeTempFiles(run), "no temp files left");
    }

    /**
     * SIGTERM mid-study: exit 143, the reports written with status interrupted, the running trials INTERRUPTED (none
     * FAILED), no lock, temp file or broker directory left; then {@code resume} completes the budget.
     */
    @Test
    void aTerminatedDriverWritesItsReportsAndResumes() throws Exception {
        Path cfg = config("fault-term");
        Path runs = dir.resolve("runs");
        Path run = runs.resolve("fault-term");
        int exit;
        long pid;
        try (DriverProcess p = DriverProcess.start(dir.resolve("term.log"), List.of(), "run", cfg.toString(),
                "--output", runs.toString())) {
            pid = p.pid();
            assertTrue(p.await(() -> finishedEvents(run) >= 1, START), p.console());
            long size = size(run.resolve("metrics.jsonl"));
            assertTrue(p.await(() -> size(run.resolve("metrics.jsonl")) > size, START), p.console());
            p.terminate();
            exit = p.waitFor(Duration.ofMinutes(1));
        }
        JsonNode study = new ObjectMapper().readTree(run.resolve("study.json").toFile());
        List<CSVRecord> interruptedRows = rows(run);
        long interrupted = interruptedRows.stream().filter(r -> r.get("state").equals("INTERRUPTED")).count();
        long failed = interruptedRows.stream().filter(r -> r.get("state").equals("FAILED")).count();
        boolean brokerLeft = brokerDirsOf(pid);
        boolean clean = exit == 143 && study.path("status").asText().equals("interrupted") && interrupted >= 1
                && failed == 0 && !Files.exists(run.resolve(RunDirectory.LOCK)) && !brokerLeft
                && RunDirectory.removeTempFiles(run) == 0;

        int resumed;
        try (DriverProcess p = DriverProcess.start(dir.resolve("term-resume.log"), List.of(), "resume", run.toString())) {
            resumed = p.waitFor(START);
        }
        List<CSVRecord> rows = rows(run);
        int duplicated = duplicated(rows, run);
        boolean survived = clean && resumed == 0 && rows.size() == TRIALS && assignments(rows).equals(reference(cfg));
        System.out.printf("[fault] driver_sigterm | injected=1 | survived=%d | records_lost=%d | trials_duplicated=%d%n",
                survived ? 1 : 0, recordsLost(rows, run), duplicated);
        assertEquals(143, exit);
        assertEquals("interrupted", study.path("status").asText(), study.toString());
        assertEquals("signal", study.path("ended").path("reason").asText(), study.toString());
        assertTrue(interrupted >= 1, "the running trials are INTERRUPTED");
        assertEquals(0, failed, "no trial is FAILED by the stop");
        assertFalse(brokerLeft, "the embedded broker's directory is removed");
        assertTrue(clean);
        assertEquals(0, resumed);
        assertEquals(TRIALS, rows.size());
        assertTrue(rows.stream().noneMatch(r -> r.get("state").equals("INTERRUPTED")));
        assertEquals(reference(cfg), assignments(rows));
        assertEquals(0, duplicated);
    }

    private Path config(String study) {
        return DigitsStudy.named(study).trials(TRIALS).epochs(4).batchSize(32).write(dir);
    }

    /** The uninterrupted study's assignments: random search's first draws with this seed, as trials.csv writes them. */
    static Set<Map<String, String>> reference(Path cfg) {
        StudyConfig config = StudyConfigLoader.load(cfg);
        RandomSampler sampler = new RandomSampler(config.space(), config.search().seed());
        Set<Map<String, String>> out = new HashSet<>();
        for (int i = 0; i < config.search().maxTrials(); i++) {
            Map<String, Object> p = sampler.propose(SearchHistory.empty()).orElseThrow();
            Map<String, String> row = new TreeMap<>();
            for (Parameter parameter : config.space().parameters()) {
                Object v = p.get(parameter.name());
                row.put(parameter.name(), v == null ? "" : String.valueOf(v));
            }
            row.keySet().retainAll(SEARCHED);
            out.add(row);
        }
        return out;
    }

    static Set<Map<String, String>> assignments(List<CSVRecord> rows) {
        Set<Map<String, String>> out = new HashSet<>();
        for (CSVRecord r : rows) {
            Map<String, String> row = new TreeMap<>(r.toMap());
            row.keySet().retainAll(SEARCHED);
            out.add(row);
        }
        return out;
    }

    static List<CSVRecord> rows(Path run) throws IOException {
        Path csv = run.resolve("trials.csv");
        if (!Files.exists(csv)) {
            return List.of();
        }
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(Files.readString(csv))).getRecords();
    }

    /** trial id -> state/epochs/objective of the trials the journal had finished when the driver was killed. */
    private static Map<String, String> finishedRows(Path run) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode e : Journal.read(run.resolve(Journal.FILE))) {
            if (e.path("event").asText().equals("trial_finished") && !e.path("state").asText().equals("INTERRUPTED")) {
                out.put(e.path("trial").asText(), e.path("state").asText() + "/" + e.path("curve").size());
            }
        }
        return out;
    }

    private static boolean unchanged(Map<String, String> before, List<CSVRecord> rows) {
        Map<String, String> after = new HashMap<>();
        for (CSVRecord r : rows) {
            after.put(r.get("trial_id"), r.get("state") + "/" + r.get("epochs"));
        }
        return before.entrySet().stream().allMatch(e -> e.getValue().equals(after.get(e.getKey())));
    }

    /** Trial ids appearing twice in trials.csv, plus trials the journal finished twice. */
    private static int duplicated(List<CSVRecord> rows, Path run) {
        Set<String> ids = new HashSet<>();
        int twice = 0;
        for (CSVRecord r : rows) {
            if (!ids.add(r.get("trial_id"))) {
                twice++;
            }
        }
        Set<String> finished = new HashSet<>();
        for (JsonNode e : Journal.read(run.resolve(Journal.FILE))) {
            if (e.path("event").asText().equals("trial_finished") && !e.path("state").asText().equals("INTERRUPTED")
                    && !finished.add(e.path("trial").asText())) {
                twice++;
            }
        }
        return twice;
    }

    /** Epochs a trial reports (trials.csv) that metrics.jsonl has no record of (its curve: highest attempt). */
    private static int recordsLost(List<CSVRecord> rows, Path run) throws IOException {
        Map<String, Map<Integer, Set<Integer>>> epochs = new HashMap<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            Decoded<EpochMetrics> d = ProtocolCodec.decodeEpochMetrics(line);
            if (d.isAccepted()) {
                epochs.computeIfAbsent(d.value().trialId(), k -> new TreeMap<>())
                        .computeIfAbsent(d.value().attempt(), k -> new HashSet<>()).add(d.value().epoch());
            }
        }
        int lost = 0;
        for (CSVRecord r : rows) {
            Map<Integer, Set<Integer>> byAttempt = epochs.getOrDefault(r.get("trial_id"), Map.of());
            int have = byAttempt.isEmpty() ? 0 : ((TreeMap<Integer, Set<Integer>>) byAttempt).lastEntry().getValue().size();
            lost += Math.max(0, Integer.parseInt(r.get("epochs")) - have);
        }
        return lost;
    }

    private static String statusOf(Path run) throws IOException {
        return new ObjectMapper().readTree(run.resolve("study.json").toFile()).path("status").asText();
    }

    private static int finishedEvents(Path run) {
        try {
            return (int) Journal.read(run.resolve(Journal.FILE)).stream()
                    .filter(e -> e.path("event").asText().equals("trial_finished")).count();
        } catch (RuntimeException e) {
            return 0; // being written
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static boolean brokerDirsOf(long pid) throws IOException {
        try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return tmp.anyMatch(d -> d.getFileName().toString().startsWith("gradtune-kafka-" + pid + "-"));
        }
    }

    /** The embedded-broker log directories process {@code pid} left in the temp directory. */
    private static List<Path> brokerDirectories(long pid) {
        try (java.util.stream.Stream<Path> all = java.nio.file.Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return all.filter(d -> d.getFileName().toString().startsWith("gradtune-kafka-" + pid + "-")).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
