package io.gradtune.driver.run;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradtune.driver.journal.Journal;
import io.gradtune.driver.search.Sampler;
import io.gradtune.driver.search.SearchHistory;
import io.gradtune.driver.study.Study;
import io.gradtune.driver.study.TrialResult;
import io.gradtune.driver.study.TrialState;
import io.gradtune.worker.protocol.Decoded;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.ProtocolCodec;
import io.gradtune.worker.stopping.Decision;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What a study writes to its run directory's {@link Journal}, and how a resumed study reads it back. Events, one a
 * line, each durable before the driver acts on it:
 * <ul>
 *   <li>{@code study_started}: how the study was launched (config file and text, command-line arguments), the
 *       process, {@code mode} {@code run} or {@code resume};</li>
 *   <li>{@code trial_created}: id, number, parameters, seed, and {@code seen_finished}, how many finished trials
 *       the sampler had seen when it proposed them (trials finish on other threads, so that count, not the
 *       position in the file, says what the sampler saw);</li>
 *   <li>{@code trial_running}, {@code stop_decided} (rule, epoch, action, reason, evidence);</li>
 *   <li>{@code trial_finished}: the terminal state, stop decision, error, seconds, parameter count, attempts and
 *       executor, and the curve (the epoch records the result was computed from), written under the study's lock
 *       in the order the sampler sees finished trials; INTERRUPTED trials are journaled too, and run again;</li>
 *   <li>{@code refit_planned} (the best trial, its parameters, seed and best epoch) and {@code refit_finished} (the
 *       test figure) when a study ends normally: a resume keeps a finished refit and runs an unfinished one again;</li>
 *   <li>{@code study_ended}: status, and why (reason and detail).</li>
 * </ul>
 * {@link #replay} rebuilds a study from these events through the study's own methods and the sampler, so a resumed
 * study's state and its sampler's state are those of the interrupted one.
 *
 * <p>A write that fails (a full disk, a lost mount) is not thrown at the thread that made the event (a trial's
 * submitter, the consumer): the journal stops writing, and the {@link #onFailure} handler stops the study. Every
 * event written before stays; a half-written last line is dropped when the journal is read.
 */
public final class StudyJournal implements Study.Recorder {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Journal journal;
    private volatile String failure;
    /** The journal's end after the last end {@link #finished} wrote (written under the study's lock). */
    private volatile long writtenEnd;
    private volatile Consumer<String> onFailure = reason -> { };

    /** A study's journal on {@code journal}; public for {@code bench scale}, which journals as a study does. */
    public StudyJournal(Journal journal) {
        this.journal = journal;
    }

    /** What to do (once) when a write fails: stop the study. */
    void onFailure(Consumer<String> handler) {
        this.onFailure = handler;
    }

    /** Why the journal stopped writing, or null while it writes. */
    String failure() {
        return failure;
    }

    private void append(Map<String, ?> e) {
        appendAll(List.of(e));
    }

    private void appendAll(List<? extends Map<String, ?>> events) {
        guarded(() -> journal.appendAll(events));
    }

    /** Runs a journal operation unless the journal already failed; a failure of the disk fails the journal. */
    private void guarded(Runnable operation) {
        if (failure != null) {
            return;
        }
        try {
            operation.run();
        } catch (UncheckedIOException ex) {
            failed(ex.getMessage() + (ex.getCause() == null ? "" : ": " + ex.getCause().getMessage()));
        }
    }

    /**
     * The run directory cannot be written (this journal, or another file of it such as metrics.jsonl): the journal
     * stops writing and the handler runs, once.
     */
    void failed(String reason) {
        synchronized (this) {
            if (failure != null) {
                return;
            }
            failure = reason;
        }
        onFailure.accept(reason);
    }

    void started(String mode, Map<String, Object> launch) {
        Map<String, Object> e = event("study_started");
        e.put("mode", mode);
        e.put("pid", ProcessHandle.current().pid());
        e.put("launch", launch);
        append(e);
    }

    public void created(String trialId, int number, Map<String, Object> params, long seed, int seenFinished) {
        append(createdEvent(trialId, number, params, seed, seenFinished));
    }

    public void running(String trialId) {
        append(runningEvent(trialId));
    }

    /**
     * {@link #created} and {@link #running} of a new trial as one append with one disk flush instead of two: they are
     * journaled back to back on the path from a free slot to the next trial's start.
     */
    public void createdAndRunning(String trialId, int number, Map<String, Object> params, long seed, int seenFinished) {
        appendAll(List.of(createdEvent(trialId, number, params, seed, seenFinished), runningEvent(trialId)));
    }

    private Map<String, Object> createdEvent(String trialId, int number, Map<String, Object> params, long seed,
                                             int seenFinished) {
        Map<String, Object> e = event("trial_created");
        e.put("trial", trialId);
        e.put("number", number);
        e.put("params", params);
        e.put("seed", seed);
        e.put("seen_finished", seenFinished);
        return e;
    }

    private Map<String, Object> runningEvent(String trialId) {
        Map<String, Object> e = event("trial_running");
        e.put("trial", trialId);
        return e;
    }

    public void stopDecided(String trialId, Map<String, ?> fields) {
        Map<String, Object> e = event("stop_decided");
        e.put("trial", trialId);
        e.putAll(fields);
        append(e);
    }

    @Override
    public void finished(TrialResult r, List<EpochMetrics> curve) {
        Map<String, Object> e = event("trial_finished");
        e.put("trial", r.trialId());
        e.put("state", r.state().name());
        if (r.stop() != null) {
            Map<String, Object> stop = new LinkedHashMap<>();
            stop.put("action", r.stop().action().name());
            stop.put("rule", r.stop().rule());
            stop.put("epoch", r.stop().epoch());
            stop.put("reason", r.stop().reason());
            stop.put("evidence", r.stop().evidence());
            e.put("stop", stop);
        }
        e.put("error", r.error());
        e.put("seconds", r.seconds());
        e.put("num_params", r.numParams());
        e.put("attempts", r.placement().attempts());
        e.put("executor", r.placement().executorId());
        e.put("host", r.placement().host());
        e.put("curve", curve.stream().map(ProtocolCodec::encode).toList());
        write(e); // under the study's lock: the order; the flush in awaitDurable, after it
    }

    /** Flushes the ends {@link #finished} wrote (shared with other threads' appends: {@link Journal#force}). */
    @Override
    public void awaitDurable() {
        guarded(() -> journal.force(writtenEnd));
    }

    /** Writes an event without its disk flush ({@link #awaitDurable} makes it durable). */
    private void write(Map<String, ?> e) {
        guarded(() -> writtenEnd = Math.max(writtenEnd, journal.write(List.of(e))));
    }

    /** The refit the study's end plans ({@code refit_planned}, {@link io.gradtune.driver.refit.StudyRefit}). */
    void refitPlanned(Map<String, Object> plan) {
        Map<String, Object> e = event(io.gradtune.driver.refit.StudyRefit.PLANNED);
        e.put("plan", plan);
        append(e);
    }

    /** The refit's test figure ({@code refit_finished}), once its files are written. */
    void refitFinished(Map<String, Object> test) {
        Map<String, Object> e = event(io.gradtune.driver.refit.StudyRefit.FINISHED);
        e.put("test", test);
        append(e);
    }

    void ended(String status, String reason, String detail) {
        Map<String, Object> e = event("study_ended");
        e.put("status", status);
        e.put("reason", reason);
        e.put("detail", detail);
        append(e);
    }

    private static Map<String, Object> event(String name) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("event", name);
        e.put("at", Instant.now().toString());
        return e;
    }

    /** A trial the journal created but did not finish: a resumed study runs it again with these. */
    record Pending(String trialId, int number, Map<String, Object> params, long seed) {
    }

    /** The launch recorded by the journal's first {@code study_started}, or empty. */
    static Optional<JsonNode> launch(List<ObjectNode> events) {
        return events.stream().filter(e -> e.path("event").asText().equals("study_started"))
                .map(e -> e.path("launch")).filter(JsonNode::isObject).findFirst();
    }

    /**
     * Rebuilds the study from the journal: each created trial is proposed again by the sampler with the history it
     * saw then (its {@code seen_finished} finished trials, in journal order, the others pending), so the sampler's
     * own state (its random stream, its grid cursor) advances as it did; the trial is registered with the journal's
     * parameters (a proposal that differs is reported: the sampler or its inputs changed). Finished trials are
     * restored in journal order, INTERRUPTED ones stay pending.
     *
     * @return the trials to run again, in creation order
     */
    static List<Pending> replay(List<ObjectNode> events, Study study, Sampler sampler, Consumer<String> notes) {
        List<ObjectNode> finished = new ArrayList<>();
        Set<String> finishedIds = new HashSet<>();
        for (ObjectNode e : events) {
            if (e.path("event").asText().equals("trial_finished")
                    && TrialState.valueOf(e.path("state").asText()).isFinal()) {
                if (!finishedIds.add(e.path("trial").asText())) {
                    throw new IllegalStateException("journal: trial " + e.path("trial").asText() + " finished twice");
                }
                finished.add(e);
            }
        }
        int restored = 0;
        List<Pending> created = new ArrayList<>();
        int mismatches = 0;
        for (ObjectNode e : events) {
            if (!e.path("event").asText().equals("trial_created")) {
                continue;
            }
            int seen = e.path("seen_finished").asInt();
            while (restored < seen && restored < finished.size()) {
                restore(study, finished.get(restored++));
            }
            Map<String, Object> params = JSON.convertValue(e.path("params"), new TypeReference<>() { });
            Optional<Map<String, Object>> proposal = sampler.propose(study.history());
            if (proposal.isEmpty() || !normalized(proposal.get()).equals(params)) {
                mismatches++;
            }
            String id = study.restoreCreated(e.path("trial").asText(), params);
            created.add(new Pending(id, e.path("number").asInt(), params, e.path("seed").asLong()));
        }
        while (restored < finished.size()) {
            restore(study, finished.get(restored++));
        }
        if (mismatches > 0) {
            notes.accept("warning: the sampler proposed " + mismatches + " of the journal's " + created.size()
                    + " trials differently than before (its code, the config or the seed changed); the journal's "
                    + "parameters are kept, and new proposals may differ from an uninterrupted study's");
        }
        return created.stream().filter(p -> !finishedIds.contains(p.trialId())).toList();
    }

    private static void restore(Study study, ObjectNode e) {
        List<EpochMetrics> curve = new ArrayList<>();
        for (JsonNode raw : e.path("curve")) {
            Decoded<EpochMetrics> d = ProtocolCodec.decodeEpochMetrics(raw.asText());
            if (!d.isAccepted()) {
                throw new IllegalStateException("journal: a record of trial " + e.path("trial").asText()
                        + " cannot be read: " + d.reason());
            }
            curve.add(d.value());
        }
        Decision stop = null;
        JsonNode s = e.path("stop");
        if (s.isObject()) {
            Map<String, Double> evidence = JSON.convertValue(s.path("evidence"), new TypeReference<>() { });
            stop = new Decision(Decision.Action.valueOf(s.path("action").asText()), s.path("rule").asText(),
                    s.path("epoch").asInt(), s.path("reason").asText(), evidence);
        }
        TrialResult recorded = new TrialResult(e.path("trial").asText(), 0, Map.of(),
                TrialState.valueOf(e.path("state").asText()), Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0,
                curve.size(), e.path("seconds").asDouble(), stop, text(e.path("error")), e.path("num_params").asLong(),
                null, new TrialResult.Placement(e.path("attempts").asInt(), text(e.path("executor")),
                text(e.path("host"))));
        study.restoreFinished(recorded, curve);
    }

    /** A proposal as the journal would read it back (numbers and maps as JSON gives them). */
    public static Map<String, Object> normalized(Map<String, Object> params) {
        return JSON.convertValue(params, new TypeReference<>() { });
    }

    private static String text(JsonNode n) {
        return n.isNull() || n.isMissingNode() ? null : n.asText();
    }
}
