package io.gradtune.driver.run;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.diagnose.Diagnosis;
import io.gradtune.driver.diagnose.DiagnosisKind;
import io.gradtune.driver.journal.Journal;
import io.gradtune.driver.journal.RunDirectory;
import io.gradtune.driver.rank.Leaderboard;
import io.gradtune.driver.study.TrialResult;
import io.gradtune.driver.study.TrialState;
import io.gradtune.worker.protocol.Decoded;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.ProtocolCodec;
import io.gradtune.worker.stopping.Decision;
import io.gradtune.worker.stopping.Objective;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A study's state read from its run directory alone, for {@code gradtune status RUN_DIR}: whether it runs, how its
 * trials stand, the best so far and the leaderboard. Read only: it never takes the study's lock and writes nothing,
 * so it works from another shell while the study runs, and it tolerates the files a running study is writing (a
 * half-written last line of {@code journal.jsonl} or {@code metrics.jsonl} is left out).
 *
 * <p>Whether the study runs: its {@code .lock} names the writing process (pid, host, start time); the study runs
 * while that process is alive ({@link RunDirectory#holder}; on another host it cannot be checked and is taken as
 * running). Otherwise the journal's last {@code study_ended} (after its last {@code study_started}) says how it
 * ended: finished, interrupted (a signal) or failed; with none, the process died without ending it ("stopped":
 * killed or crashed; {@code resume} continues it).
 *
 * <p>Sources: trials, states, curves and stop reasons from {@code journal.jsonl} (the study's durable record); the
 * epochs of running trials from {@code metrics.jsonl}; each finished trial's diagnosis from {@code trials.csv} when
 * it is there; the objective and budget from the config text the journal keeps (plain YAML, nothing loaded), with
 * the {@code --max-trials} and {@code --epochs} of its command line.
 */
public final class StudyStatus {

    /** The study's state as {@code status} prints it. */
    public enum State {
        /** Its process holds the run directory's lock and is alive. */
        RUNNING,
        /** It ended normally. */
        FINISHED,
        /** A signal stopped it; {@code resume} continues it. */
        INTERRUPTED,
        /** It ended failed (metrics stream, storage, Kafka loss). */
        FAILED,
        /** Its process is gone without ending it (killed, crashed); {@code resume} continues it. */
        STOPPED
    }

    /** A directory that holds no study: no {@code journal.jsonl}, or a journal without a start. */
    public static final class NotARunDirectory extends RuntimeException {
        public NotARunDirectory(String message) {
            super(message);
        }
    }

    /**
     * One running (or unfinished) trial.
     *
     * @param trialId trial id
     * @param epochs  epoch records written to metrics.jsonl for it so far (its latest attempt's)
     */
    public record Unfinished(String trialId, int epochs) {
    }

    /**
     * What {@code status} shows.
     *
     * @param state       running, finished, ...
     * @param detail      for people: the process, or how it ended
     * @param study       the study's name (the run directory's)
     * @param objective   metric and direction
     * @param budget      the trial budget
     * @param epochBudget epochs per trial
     * @param counts      trials by state: COMPLETED, PRUNED, FAILED, INTERRUPTED, RUNNING, QUEUED
     * @param unfinished  trials created and not finished, with their epochs so far
     * @param results     finished trials, in journal order
     * @param epochs      epoch records in metrics.jsonl (every attempt's, as study.json's {@code epochsTrained})
     * @param lastEvent   when the journal's last event was written, or null
     */
    public record Report(State state, String detail, String study, StudyConfig.Objective objective, int budget,
                         int epochBudget, Map<TrialState, Integer> counts, List<Unfinished> unfinished,
                         List<TrialResult> results, long epochs, Instant lastEvent) {

        /** The leaderboard of the finished trials. */
        public Leaderboard leaderboard() {
            return new Leaderboard(objective, results);
        }

        /** How many trials are in a state (0 when none). */
        public int count(TrialState s) {
            return counts.getOrDefault(s, 0);
        }

        /** The text {@code status} prints. */
        public String render(Instant now) {
            StringBuilder sb = new StringBuilder();
            sb.append("study ").append(study).append(": ").append(state.name().toLowerCase(Locale.ROOT))
                    .append(" (").append(detail).append(")\n");
            if (lastEvent != null) {
                sb.append("last journal event: ").append(lastEvent).append(" (")
                        .append(Math.max(0, Duration.between(lastEvent, now).toSeconds())).append(" s ago)\n");
            }
            int ended = count(TrialState.COMPLETED) + count(TrialState.PRUNED) + count(TrialState.FAILED);
            sb.append(String.format(Locale.ROOT, "trials: %d of %d ended: %d completed, %d pruned, %d failed; "
                            + "%d running, %d queued, %d interrupted%n", ended, budget, count(TrialState.COMPLETED),
                    count(TrialState.PRUNED), count(TrialState.FAILED), count(TrialState.RUNNING),
                    count(TrialState.QUEUED), count(TrialState.INTERRUPTED)));
            if (!unfinished.isEmpty()) {
                sb.append(state == State.RUNNING ? "running: " : "unfinished (run again by resume): ");
                List<String> parts = new ArrayList<>();
                for (Unfinished u : unfinished) {
                    parts.add(u.trialId() + " epoch " + u.epochs() + "/" + epochBudget);
                }
                sb.append(String.join(", ", parts)).append('\n');
            }
            sb.append("epochs recorded: ").append(epochs).append('\n');
            Leaderboard board = leaderboard();
            TrialResult best = board.best();
            sb.append("best so far: ").append(best == null ? "none (no trial completed yet)" : String.format(Locale.ROOT,
                    "%s %.4f (%s, epoch %d)", objective.metric(), best.objective(), best.trialId(), best.bestEpoch()))
                    .append('\n');
            sb.append('\n').append("leaderboard (completed trials; ").append(objective.metric()).append(", ")
                    .append(objective.maximize() ? "max" : "min").append("):\n").append(board.render(Integer.MAX_VALUE));
            String stopped = Leaderboard.renderStopped(results);
            if (!stopped.isEmpty()) {
                sb.append("\nstopped early or failed:\n").append(stopped);
            }
            return sb.toString();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private StudyStatus() {
    }

    /**
     * Reads the study of a run directory.
     *
     * @throws NotARunDirectory when it holds no study's journal
     * @throws Journal.JournalException when the journal is damaged before its last line
     */
    public static Report read(Path dir) {
        Path journalFile = dir.resolve(Journal.FILE);
        if (!Files.isRegularFile(journalFile)) {
            throw new NotARunDirectory(dir + " is not a run directory: it has no " + Journal.FILE + " (give the "
                    + "directory a study writes, e.g. runs/quickstart: output.dir, else runs/, then the study's name)");
        }
        RunDirectory.Holder holder = RunDirectory.holder(dir);
        List<ObjectNode> events = Journal.read(journalFile);
        ObjectNode ended = lastEnd(events);
        if (ended == null && !(holder.held() && holder.alive())) {
            // the process may have ended the study and released its lock between the two reads: read again
            events = Journal.read(journalFile);
            ended = lastEnd(events);
            holder = RunDirectory.holder(dir);
        }
        JsonNode launch = StudyJournal.launch(events).orElseThrow(() -> new NotARunDirectory(dir + " is not a run "
                + "directory: its " + Journal.FILE + " has no study_started event (a study that never started?)"));
        State state;
        String detail;
        if (holder.held() && holder.alive()) {
            state = State.RUNNING;
            detail = holder.pid() < 0 ? "its lock is being written" : "pid " + holder.pid() + " on " + holder.host()
                    + (RunDirectory.isThisHost(holder.host()) ? "" : ", another host: not checked from here");
        } else if (ended != null) {
            String status = ended.path("status").asText();
            state = switch (status) {
                case "finished" -> State.FINISHED;
                case "interrupted" -> State.INTERRUPTED;
                default -> State.FAILED;
            };
            detail = ended.path("reason").asText() + ": " + ended.path("detail").asText()
                    + (state == State.FINISHED ? "" : "; ./gradtune resume " + dir + " continues it");
        } else {
            state = State.STOPPED;
            detail = (holder.stale() != null ? holder.stale() : "no process holds it") + ", without ending the "
                    + "study (killed or crashed); ./gradtune resume " + dir + " continues it";
        }
        Settings settings = Settings.of(launch);
        long[] records = new long[1];
        Map<String, Integer> epochsByTrial = epochsByTrial(dir.resolve("metrics.jsonl"), records);
        Map<String, String> diagnoses = diagnoses(dir.resolve("trials.csv"));
        Map<String, ObjectNode> created = new LinkedHashMap<>();
        Map<String, TrialState> states = new LinkedHashMap<>();
        Map<String, ObjectNode> finished = new LinkedHashMap<>();
        for (ObjectNode e : events) {
            String trial = e.path("trial").asText();
            switch (e.path("event").asText()) {
                case "trial_created" -> {
                    created.put(trial, e);
                    states.put(trial, TrialState.QUEUED);
                }
                case "trial_running" -> states.put(trial, TrialState.RUNNING);
                case "trial_finished" -> {
                    TrialState s = TrialState.valueOf(e.path("state").asText());
                    states.put(trial, s);
                    finished.put(trial, e);
                }
                default -> { }
            }
        }
        Map<TrialState, Integer> counts = new LinkedHashMap<>();
        List<Unfinished> unfinished = new ArrayList<>();
        List<TrialResult> results = new ArrayList<>();
        for (Map.Entry<String, TrialState> t : states.entrySet()) {
            TrialState s = t.getValue();
            if (!s.isTerminal() && state != State.RUNNING) {
                s = TrialState.INTERRUPTED; // its process is gone: resume runs it again
            }
            counts.merge(s, 1, Integer::sum);
            if (s.isFinal()) {
                results.add(result(created.get(t.getKey()), finished.get(t.getKey()), settings.objective,
                        diagnoses.get(t.getKey())));
            } else {
                unfinished.add(new Unfinished(t.getKey(), epochsByTrial.getOrDefault(t.getKey(), 0)));
            }
        }
        long epochs = records[0];
        Instant last = null;
        if (!events.isEmpty()) {
            try {
                last = Instant.parse(events.get(events.size() - 1).path("at").asText());
            } catch (RuntimeException e) {
                last = null;
            }
        }
        return new Report(state, detail, dir.getFileName().toString(), settings.objective, settings.maxTrials,
                settings.epochs, counts, unfinished, results, epochs, last);
    }

    /** The last {@code study_ended} after the last {@code study_started}, or null. */
    private static ObjectNode lastEnd(List<ObjectNode> events) {
        ObjectNode last = null;
        for (ObjectNode e : events) {
            String name = e.path("event").asText();
            if (name.equals("study_started")) {
                last = null;
            } else if (name.equals("study_ended")) {
                last = e;
            }
        }
        return last;
    }

    /** A finished trial's result from its journal events, its best epoch by the objective. */
    private static TrialResult result(ObjectNode createdEvent, ObjectNode e, StudyConfig.Objective objective,
                                      String diagnosis) {
        List<EpochMetrics> curve = new ArrayList<>();
        for (JsonNode raw : e.path("curve")) {
            Decoded<EpochMetrics> d = ProtocolCodec.decodeEpochMetrics(raw.asText());
            if (d.isAccepted()) {
                curve.add(d.value());
            }
        }
        EpochMetrics best = null;
        for (EpochMetrics m : curve) {
            double v = Objective.valueOf(objective.metric(), m);
            if (!Double.isNaN(v) && (best == null || (objective.maximize()
                    ? v > Objective.valueOf(objective.metric(), best) : v < Objective.valueOf(objective.metric(), best)))) {
                best = m;
            }
        }
        Decision stop = null;
        JsonNode s = e.path("stop");
        if (s.isObject()) {
            Map<String, Double> evidence = JSON.convertValue(s.path("evidence"), new TypeReference<>() { });
            stop = new Decision(Decision.Action.valueOf(s.path("action").asText()), s.path("rule").asText(),
                    s.path("epoch").asInt(), s.path("reason").asText(), evidence == null ? Map.of() : evidence);
        }
        Map<String, Object> params = createdEvent == null ? Map.of()
                : JSON.convertValue(createdEvent.path("params"), new TypeReference<>() { });
        int number = createdEvent == null ? 0 : createdEvent.path("number").asInt();
        Diagnosis diag = null;
        if (diagnosis != null && !diagnosis.isEmpty()) {
            try {
                DiagnosisKind kind = DiagnosisKind.valueOf(diagnosis);
                diag = new Diagnosis(kind, List.of(kind), Map.of(), "");
            } catch (IllegalArgumentException ignored) {
                diag = null;
            }
        }
        TrialResult.Placement placement = new TrialResult.Placement(e.path("attempts").asInt(), text(e.path("executor")),
                text(e.path("host")));
        TrialState state = TrialState.valueOf(e.path("state").asText());
        String error = text(e.path("error"));
        double seconds = e.path("seconds").asDouble();
        long numParams = e.path("num_params").asLong();
        if (best == null) {
            return new TrialResult(e.path("trial").asText(), number, params, state, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, 0, curve.size(), seconds, stop, error, numParams, diag, placement);
        }
        return new TrialResult(e.path("trial").asText(), number, params, state,
                Objective.valueOf(objective.metric(), best), best.valAccuracy(), best.valLoss(), best.trainLoss(),
                best.epoch(), curve.size(), seconds, stop, error, numParams, diag, placement, null, best.valMaeOrNaN(),
                best.valR2OrNaN());
    }

    /**
     * Epoch records per trial in metrics.jsonl (the latest attempt's: a newer attempt starts its count again); lines
     * that do not decode (a half-written last line) are skipped. Empty when the file is missing.
     *
     * @param records set to the count of every record read (every attempt's: study.json's {@code epochsTrained})
     */
    static Map<String, Integer> epochsByTrial(Path file, long[] records) {
        Map<String, Integer> epochs = new HashMap<>();
        Map<String, Integer> attempts = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return epochs;
        }
        try (var lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = lines.readLine()) != null) {
                Decoded<EpochMetrics> d = ProtocolCodec.decodeEpochMetrics(line);
                if (!d.isAccepted()) {
                    continue;
                }
                EpochMetrics m = d.value();
                records[0]++;
                int attempt = attempts.getOrDefault(m.trialId(), 0);
                if (m.attempt() > attempt) {
                    attempts.put(m.trialId(), m.attempt());
                    epochs.put(m.trialId(), 0);
                } else if (m.attempt() < attempt) {
                    continue;
                }
                epochs.merge(m.trialId(), 1, Integer::sum);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return epochs;
    }

    /** Each trial's diagnosis from trials.csv (written whole after each finished trial); empty if unreadable. */
    private static Map<String, String> diagnoses(Path file) {
        Map<String, String> out = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build().parse(r)) {
            if (!parser.getHeaderMap().containsKey("trial_id") || !parser.getHeaderMap().containsKey("diagnosis")) {
                return out;
            }
            for (CSVRecord rec : parser) {
                if (rec.isConsistent()) {
                    out.put(rec.get("trial_id"), rec.get("diagnosis"));
                }
            }
        } catch (IOException | RuntimeException e) {
            return out; // the diagnosis column is a nicety: the journal is the source
        }
        return out;
    }

    private static String text(JsonNode n) {
        return n.isNull() || n.isMissingNode() ? null : n.asText();
    }

    /** What status needs of the config: read from the journaled text as plain YAML, with the command line's. */
    private record Settings(StudyConfig.Objective objective, int maxTrials, int epochs) {

        static Settings of(JsonNode launch) {
            JsonNode root;
            try {
                root = YAML.readTree(launch.path("config_text").asText(""));
            } catch (IOException e) {
                root = null;
            }
            if (root == null) {
                root = JSON.createObjectNode();
            }
            boolean regression = root.path("data").path("task").asText("").equals("regression");
            String metric = root.path("objective").path("metric").asText(regression ? "val_r2" : "val_accuracy");
            boolean scoreMetric = metric.equals("val_accuracy") || metric.equals("val_r2");
            String direction = root.path("objective").path("direction").asText(scoreMetric ? "maximize" : "minimize");
            int maxTrials = root.path("search").path("max_trials").asInt(20);
            int epochs = root.path("training").path("epochs").asInt(10);
            List<String> args = new ArrayList<>();
            launch.path("args").forEach(a -> args.add(a.asText()));
            for (int i = 0; i + 1 < args.size(); i++) {
                if (args.get(i).equals("--max-trials")) {
                    maxTrials = parse(args.get(i + 1), maxTrials);
                } else if (args.get(i).equals("--epochs")) {
                    epochs = parse(args.get(i + 1), epochs);
                }
            }
            return new Settings(new StudyConfig.Objective(metric, direction.equals("maximize")), maxTrials, epochs);
        }

        private static int parse(String s, int fallback) {
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
    }
}
