package io.gradtune.driver.study;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.diagnose.ChanceLevel;
import io.gradtune.driver.diagnose.Diagnoser;
import io.gradtune.driver.diagnose.Diagnosis;
import io.gradtune.driver.diagnose.DiagnosisKind;
import io.gradtune.driver.search.Observation;
import io.gradtune.driver.search.SearchHistory;
import io.gradtune.driver.stopping.StoppingPolicy;
import io.gradtune.driver.stopping.StudyCurves;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.stopping.Decision;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The driver's state of a study: its trials, their curves as they stream in, and their lifecycle. The consumer
 * thread feeds epoch records, executor threads feed outcomes, the proposal loop reads the history. Every method
 * is thread-safe; terminal trials never change.
 *
 * <p>One owner per piece of state: the curves live only in the study's {@link StudyCurves} (which the comparative
 * rules read), and whether a record extends a curve is decided only in {@link #onEpoch} (see {@link Received}).
 *
 * <p>Records cannot lie their way in: a record is accepted only when it carries this run's id, names a trial of this
 * study that is not terminal and an attempt Spark started for it ({@link #attemptStarted}), and is the next epoch of
 * that attempt (the first record of an attempt is epoch 1). A record of an attempt not yet known to have started is
 * held back, a bounded number per attempt, and replayed when the start arrives (the start event and the records
 * travel separately; one per epoch and attempt, so at most the epoch budget per attempt); what is still held back
 * when the trial ends is counted as an unlaunched attempt. Everything
 * else is counted by reason ({@link RecordCounts}) and changes nothing.
 */
public final class Study {

    /** Diagnoses that make a pruned trial INFEASIBLE for the sampler when diagnosis feedback is on. */
    private static final Set<DiagnosisKind> INFEASIBLE_DIAGNOSES = Set.of(DiagnosisKind.VANISHING_GRADIENT,
            DiagnosisKind.EXPLODING_GRADIENT);

    /** Callbacks out of the study, called without the study's lock held. */
    public interface Listener {
        /** A stopping rule decided to stop a running trial: cancel its work. */
        void stopRequested(String trialId, Decision decision);

        /**
         * An accepted record of a trial's current attempt at one of the policy's decision epochs
         * ({@link StoppingPolicy#decisionEpochs}) was decided on: the worker waits for this answer before it trains
         * on. {@code stop} is the trial's stop decision (this record's or an earlier one), or null to go on.
         */
        default void verdict(EpochMetrics record, Decision stop) {
        }

        /** A trial changed state (or was decided on). */
        void event(String trialId, String event, Map<String, ?> fields);

        /**
         * A record was accepted (once per record; on the consumer's thread, or on the thread that reported its
         * attempt's start when it had been held back): what {@code metrics.jsonl} holds.
         *
         * @param rawJson the record as received, or null when it was handed to {@link #onEpoch(EpochMetrics)}
         *                without it
         */
        default void recordAccepted(EpochMetrics m, String rawJson) {
        }
    }

    /**
     * Makes a trial's end durable (the run's journal) before {@link #finish} returns: {@link #finished} is called under
     * the study's lock, in the order trials finish, which is the order the sampler sees them in {@link #history()}; the
     * disk flush ({@link #awaitDurable}) comes after the lock. A resumed study replays these ends in the same order
     * ({@link #restoreFinished}). Between the two, the proposal loop may already see the end; what it journals next
     * (the trial it proposes) comes after the end in the journal, so that flush covers the end too.
     */
    public interface Recorder {
        /** Records nothing (studies without a run directory: benchmarks, unit tests). */
        Recorder NONE = (result, curve) -> { };

        /**
         * @param result the trial's terminal result (INTERRUPTED included: a resumed study runs it again)
         * @param curve  the records its result was computed from, in epoch order
         */
        void finished(TrialResult result, List<EpochMetrics> curve);

        /**
         * Returns once every end {@link #finished} was given is durable. {@link #finished} is called under the
         * study's lock, which fixes the ends' order; this after the lock is released and before {@link #finish}
         * returns, so a disk flush does not hold the lock that every epoch record's decision needs. Default: nothing
         * to wait for.
         */
        default void awaitDurable() {
        }
    }

    /** What {@link #onEpoch} did with a record. Everything but ACCEPTED and PARKED is a rejection. */
    public enum Received {
        /**
         * The next epoch of a started attempt: an epoch trained. A record of the trial's newest attempt extends its
         * curve and is decided on; one of an older attempt counts as superseded at once.
         */
        ACCEPTED,
        /** Of an attempt of a running trial that Spark has not yet been seen to start: held back, decided later. */
        PARKED,
        /** Another run's record (another process of a study with the same name on the same topic). */
        OTHER_RUN,
        /** Of a trial this run has not created. */
        UNKNOWN_TRIAL,
        /** Of a trial that is already terminal. */
        TRIAL_ENDED,
        /**
         * Of an attempt Spark cannot have started: its number is not below the trial's attempt limit, or it was held
         * back and the trial ended without that attempt starting.
         */
        UNLAUNCHED_ATTEMPT,
        /** An epoch of its attempt already accepted (or held back): a producer retry, a re-delivered record. */
        DUPLICATE,
        /** Not the next epoch of its attempt: a skipped epoch, an epoch past the budget. */
        OUT_OF_ORDER
    }

    /**
     * Counts of the records {@link #onEpoch} received, by what became of them. Rejections changed nothing.
     *
     * @param accepted          records accepted: epochs trained, including those of superseded attempts
     * @param superseded        of the accepted records, those whose curve a newer attempt of the same trial replaced
     *                          (a retried Spark task: the trial's code failed, or its executor was lost)
     * @param otherRun          rejected: another run's ({@link Received#OTHER_RUN})
     * @param unknownTrial      rejected: {@link Received#UNKNOWN_TRIAL}
     * @param unlaunchedAttempt rejected: {@link Received#UNLAUNCHED_ATTEMPT}
     * @param duplicates        rejected: {@link Received#DUPLICATE}
     * @param outOfOrder        rejected: {@link Received#OUT_OF_ORDER}
     * @param trialEnded        rejected: {@link Received#TRIAL_ENDED}
     * @param parked            held back now, waiting for their attempt's start (0 once every trial ended)
     */
    public record RecordCounts(long accepted, long superseded, long otherRun, long unknownTrial,
                               long unlaunchedAttempt, long duplicates, long outOfOrder, long trialEnded,
                               long parked) {

        /** Records rejected, all reasons together. */
        public long rejected() {
            return otherRun + unknownTrial + unlaunchedAttempt + duplicates + outOfOrder + trialEnded;
        }
    }

    private final StudyConfig config;
    private final String runId;
    private final StoppingPolicy policy;
    /** The epochs at which the worker waits for a verdict ({@link Listener#verdict}). */
    private final Set<Integer> decisionEpochs;
    private final Diagnoser diagnoser;
    private final Listener listener;
    private final Map<String, Trial> trials = new LinkedHashMap<>();
    /** The same trials in creation order, for the scans of results() and history(). */
    private final List<Trial> order = new ArrayList<>();
    private final List<Observation> finishedOrder = new ArrayList<>();
    /** Every trial's curve, indexed for the comparative rules; updated per record, never rebuilt. */
    private final StudyCurves curves;
    /** Attempts a trial may take: attempts 0 to maxAttempts - 1 can be real. */
    private final int maxAttempts;
    private int active;
    private long accepted;
    private long superseded;
    private long otherRun;
    private long unknownTrial;
    private long unlaunchedAttempt;
    private long duplicates;
    private long outOfOrder;
    private long trialEnded;
    /** Epoch records finished trials' outcomes reported that never arrived within the wait. */
    private long missing;
    /** Why the study was aborted, or null. */
    private String abortReason;
    /** Why the study was interrupted (a signal), or null. */
    private String interruptReason;
    private Recorder recorder = Recorder.NONE;

    /**
     * A study with the stopping policy and diagnosis thresholds of its config ({@code config.stopping()}, the
     * policy sized for {@code config.training().epochs()}).
     *
     * @param runId this run's id: only records that carry it are accepted
     */
    public Study(StudyConfig config, String runId, Listener listener) {
        this(config, runId, config.stopping().toPolicy(config.training().epochs()),
                Diagnoser.forSettings(config.stopping()), listener);
    }

    /**
     * A study as {@link #Study(StudyConfig, String, Listener)} whose diagnoses judge underfitting against the
     * dataset's chance level ({@link Diagnoser#withChance}), the split's as the driver read it.
     */
    public Study(StudyConfig config, String runId, ChanceLevel chance, Listener listener) {
        this(config, runId, config.stopping().toPolicy(config.training().epochs(), chance.prior()),
                Diagnoser.forSettings(config.stopping()).withChance(chance), listener);
    }

    /**
     * @param policy    the stopping rules, combined as {@link StoppingPolicy} combines them
     * @param diagnoser names what happened in each trial when it becomes terminal
     */
    public Study(StudyConfig config, String runId, StoppingPolicy policy, Diagnoser diagnoser, Listener listener) {
        this.config = config;
        this.runId = runId;
        this.policy = policy;
        this.decisionEpochs = Set.copyOf(policy.decisionEpochs(config.training().epochs()));
        this.diagnoser = diagnoser;
        this.listener = listener;
        this.curves = new StudyCurves(config.objective().metric(), config.objective().maximize());
        this.maxAttempts = config.spark() == null ? StudyConfig.Spark.DEFAULT_MAX_ATTEMPTS : config.spark().maxAttempts();
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("a study needs its run id");
        }
    }

    /** The id of this run, which every record of its trials carries. */
    public String runId() {
        return runId;
    }

    public StudyConfig config() {
        return config;
    }

    /** Makes every trial's end durable through {@code recorder} from now on (before the first trial). */
    public synchronized void recordTo(Recorder recorder) {
        this.recorder = recorder;
    }

    /** Registers a new QUEUED trial and returns its id ({@code t0001}, ...). */
    public String create(Map<String, Object> params) {
        String id;
        synchronized (this) {
            int number = trials.size() + 1;
            id = String.format("t%04d", number);
            Trial t = new Trial(id, number, params, new Attempts(maxAttempts, config.training().epochs()));
            trials.put(id, t);
            order.add(t);
            active++;
        }
        listener.event(id, "queued", Map.of("params", params));
        return id;
    }

    public void markRunning(String trialId) {
        synchronized (this) {
            Trial t = trial(trialId);
            if (t.state.isTerminal()) {
                active++;
            }
            t.state = TrialState.RUNNING;
        }
        listener.event(trialId, "running", Map.of());
    }

    /**
     * Spark started an attempt of a trial (its task began on an executor): that attempt's records may now be
     * accepted, and those held back for it are decided on now, in their order of arrival. A start of a trial this
     * run did not create, or of one already terminal, changes nothing.
     */
    public void attemptStarted(String trialId, int attempt) {
        List<Handled> handled = new ArrayList<>();
        synchronized (this) {
            Trial t = trials.get(trialId);
            if (t == null || t.state.isTerminal() || !t.attempts.possible(attempt)) {
                return;
            }
            for (Attempts.Held h : t.attempts.start(attempt)) {
                handled.add(receive(t, h.record(), h.raw()));
            }
        }
        handled.forEach(this::announce);
    }

    /** {@link #onEpoch(EpochMetrics, String)} without the record's JSON (in-process callers: tests, the warm-up). */
    public Received onEpoch(EpochMetrics m) {
        return onEpoch(m, null);
    }

    /**
     * An epoch record arrived from Kafka: accept it or say why not (see the class comment). An accepted record of the
     * trial's newest attempt extends its curve and is put to the stopping policy; a record of a newer attempt (a
     * retried Spark task) replaces the older attempt's curve. Costs the rules' own work on this trial's curve plus
     * O(log n + n) for the cross-trial index (n = trials at this epoch); nothing is copied.
     *
     * @param raw the record's JSON as received, handed to {@link Listener#recordAccepted} if it is accepted
     * @return what was done with the record
     */
    public Received onEpoch(EpochMetrics m, String raw) {
        Handled h;
        synchronized (this) {
            if (!runId.equals(m.runId())) {
                otherRun++;
                return Received.OTHER_RUN;
            }
            Trial t = trials.get(m.trialId());
            if (t == null) {
                unknownTrial++;
                return Received.UNKNOWN_TRIAL;
            }
            if (t.state.isTerminal()) {
                trialEnded++;
                return Received.TRIAL_ENDED;
            }
            if (!t.attempts.possible(m.attempt())) {
                unlaunchedAttempt++;
                return Received.UNLAUNCHED_ATTEMPT;
            }
            if (!t.attempts.withinBudget(m.epoch())) {
                outOfOrder++;
                return Received.OUT_OF_ORDER;
            }
            if (!t.attempts.started(m.attempt())) {
                if (t.attempts.hold(m, raw)) {
                    return Received.PARKED;
                }
                duplicates++;
                return Received.DUPLICATE;
            }
            h = receive(t, m, raw);
        }
        announce(h);
        return h.received();
    }

    /** A record of a started attempt, once decided: what to tell the listener outside the lock. */
    private record Handled(Received received, EpochMetrics record, String raw, Decision decision, boolean verdictDue,
                           Decision stop) {
        Handled(Received received, EpochMetrics record, String raw, Decision decision) {
            this(received, record, raw, decision, false, null);
        }
    }

    /** Decides on a record of a started attempt of a running trial; called with the lock held. */
    private Handled receive(Trial t, EpochMetrics m, String raw) {
        int last = t.attempts.lastEpoch(m.attempt());
        if (m.epoch() <= last) {
            duplicates++;
            return new Handled(Received.DUPLICATE, m, raw, null);
        }
        if (m.epoch() != last + 1) {
            outOfOrder++;
            return new Handled(Received.OUT_OF_ORDER, m, raw, null);
        }
        t.attempts.accepted(m.attempt(), m.epoch());
        accepted++;
        if (m.attempt() < t.attempt) {
            // An older attempt's epoch, trained before Spark gave up on it: an epoch trained, not the curve.
            superseded++;
            t.supersededEpochs++;
            return new Handled(Received.ACCEPTED, m, raw, null);
        }
        if (m.attempt() > t.attempt) {
            t.attempt = m.attempt();
            int replaced = curves.curve(t.id).size();
            superseded += replaced;
            t.supersededEpochs += replaced;
            curves.reset(t.id); // a newer attempt replaces the curve
        }
        curves.append(m);
        Decision decision = null;
        if (t.stop == null) {
            // The policy is called under the lock and keeps nothing, so it may see the live curve.
            Decision d = policy.evaluate(curves.curve(t.id), curves);
            // A COMPLETE (plateau) on the budget's last epoch stops nothing: the trial ran its whole budget and is
            // not "stopped early" (TrialResult.stop is null for it). A PRUNE there still judges the result.
            if (d.stops() && !(d.action() == Decision.Action.COMPLETE && m.epoch() >= config.training().epochs())) {
                t.stop = d;
                decision = d;
            }
        }
        // Wake waiters only when someone waits for this trial's records or a stop was decided: a notifyAll per
        // record woke every waiting thread for every record, and the consumer then queued behind them for
        // the lock (see BENCHMARKS.md, stream decision latency).
        if (t.recordWaiters > 0 || decision != null) {
            notifyAll();
        }
        return new Handled(Received.ACCEPTED, m, raw, decision, decisionEpochs.contains(m.epoch()), t.stop);
    }

    /** Tells the listener about an accepted record and its stop decision; called without the lock. */
    private void announce(Handled h) {
        if (h.received() != Received.ACCEPTED) {
            return;
        }
        listener.recordAccepted(h.record(), h.raw());
        if (h.verdictDue()) {
            listener.verdict(h.record(), h.stop());
        }
        Decision decision = h.decision();
        if (decision != null) {
            String trialId = h.record().trialId();
            listener.event(trialId, "stop_decided", Map.of("rule", decision.rule(), "epoch", decision.epoch(),
                    "action", decision.action().name(), "reason", decision.reason(), "evidence", decision.evidence()));
            listener.stopRequested(trialId, decision);
        }
    }

    /** {@link #finish(String, TrialOutcome, String, int, long)} with the number of attempts taken from the outcome. */
    public TrialResult finish(String trialId, TrialOutcome outcome, String sparkError, long waitMillis)
            throws InterruptedException {
        return finish(trialId, outcome, sparkError, 0, waitMillis);
    }

    /**
     * The worker's outcome of the trial's last attempt (or null with an error when the Spark job failed). Waits up
     * to {@code waitMillis} for that attempt's epoch records to arrive through Kafka (not at all once the study is
     * {@link #abort aborted}): the curve must be the outcome's attempt's, not a lost earlier attempt's, even when
     * the earlier one had as many epochs. Then makes the trial terminal and diagnoses it. A COMPLETED outcome whose
     * records did not all arrive ends FAILED: never completed with a short curve. A trial that failed says on how
     * many attempts and why: {@code failed on 2 attempts: <cause>}.
     *
     * <p>The outcome came back through Spark, so its attempt certainly started, as did the attempts Spark says the
     * job ran: they count as started here even if their start events are still on their way. Records still held back
     * when the trial ends are counted as of unlaunched attempts.
     *
     * @param attempts Spark task attempts the trial's job ran, when the caller knows (a job that failed after all
     *                 its attempts); 0 when unknown. The result's count is the largest of this, the outcome's
     *                 attempt + 1 and the newest attempt whose records arrived + 1.
     */
    public TrialResult finish(String trialId, TrialOutcome outcome, String sparkError, int attempts, long waitMillis)
            throws InterruptedException {
        if (outcome != null && trialId.equals(outcome.trialId())) {
            attemptStarted(trialId, outcome.attempt());
        }
        for (int a = 0; a < attempts; a++) {
            attemptStarted(trialId, a);
        }
        TrialResult result;
        Recorder durable;
        synchronized (this) {
            Trial t = trial(trialId);
            int expected = outcome == null ? 0 : outcome.epochsRun();
            int outcomeAttempt = outcome == null ? -1 : outcome.attempt();
            long deadline = System.nanoTime() + waitMillis * 1_000_000;
            t.recordWaiters++;
            try {
                while (abortReason == null && interruptReason == null && System.nanoTime() < deadline && (curves.curve(t.id).size() < expected
                        || expected > 0 && t.attempt < outcomeAttempt)) {
                    wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                }
            } finally {
                t.recordWaiters--;
            }
            int attemptsRun = Math.max(attempts, Math.max(outcomeAttempt + 1, t.attempt + 1));
            if (!t.state.isTerminal()) {
                active--;
            }
            unlaunchedAttempt += t.attempts.dropHeld();
            List<EpochMetrics> curve = curves.curve(t.id);
            t.outcome = outcome;
            t.seconds = (System.nanoTime() - t.submittedNanos) / 1e9;
            if (t.stop != null) {
                t.state = t.stop.action() == Decision.Action.COMPLETE ? TrialState.COMPLETED : TrialState.PRUNED;
            } else if (outcome != null && outcome.status() == TrialOutcome.Status.COMPLETED
                    && curve.size() >= expected) {
                t.state = TrialState.COMPLETED;
            } else if (interruptReason != null) {
                // Cancelled (or never started) because the study was stopped: not the trial's failure. A trial whose
                // records had not all arrived when the study stopped is interrupted too: resume runs it again rather
                // than keep a curve with holes.
                t.state = TrialState.INTERRUPTED;
                t.error = "interrupted: " + interruptReason + (outcome != null && curve.size() < expected
                        ? " (" + curve.size() + " of " + expected + " epoch records had arrived)" : "");
            } else if (outcome != null && outcome.status() == TrialOutcome.Status.COMPLETED) {
                // A completed run whose curve has a hole is not a result: its records were lost on the way.
                t.state = TrialState.FAILED;
                t.error = "only " + curve.size() + " of " + expected + " epoch records arrived through Kafka"
                        + (abortReason == null ? " within " + waitMillis / 1000 + " s" : " (study aborted: " + abortReason
                        + ")");
            } else {
                t.state = TrialState.FAILED;
                String cause = outcome != null && outcome.error() != null ? outcome.error()
                        : sparkError != null ? sparkError : "trial ended without finishing (" +
                        (outcome == null ? "no outcome" : outcome.status()) + ")";
                // Failed: the worker's last attempt failed, or the job failed after a known number of attempts
                // (not: cancelled, or interrupted when the study ended).
                boolean failed = outcome != null ? outcome.status() == TrialOutcome.Status.FAILED : attempts > 0;
                t.error = failed ? "failed on " + attemptsRun + (attemptsRun == 1 ? " attempt: " : " attempts: ") + cause
                        : cause;
            }
            if (curve.size() < expected && t.state != TrialState.INTERRUPTED) { // an interrupted trial runs again
                missing += expected - curve.size();
            }
            if (outcome != null && curve.size() < expected && t.error == null) {
                t.error = "only " + curve.size() + " of " + expected + " epoch records arrived through Kafka"
                        + (abortReason == null ? "" : " (study aborted: " + abortReason + ")");
            }
            Diagnosis diagnosis = curve.isEmpty() ? null : diagnoser.diagnose(curve, t.stop);
            EpochMetrics last = curve.isEmpty() ? null : curve.get(curve.size() - 1);
            TrialResult.Placement placement = new TrialResult.Placement(attemptsRun,
                    last == null ? null : last.executorId(), last == null ? null : last.host(), t.supersededEpochs);
            result = t.toResult(config.objective(), curve, diagnosis, placement);
            t.result = result; // terminal trials never change: results() reuses it
            durable = recorder;
            recorder.finished(result, curve);
            if (result.state().isFinal()) {
                finishedOrder.add(observation(result, curve));
            }
            notifyAll();
        }
        durable.awaitDurable(); // the end's disk flush, outside the lock (group commit, Recorder.awaitDurable)
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("state", result.state().name());
        fields.put("objective", result.objective());
        fields.put("epochs", result.epochs());
        fields.put("attempts", result.placement().attempts());
        if (result.error() != null) {
            fields.put("error", result.error());
        }
        listener.event(trialId, "finished", fields);
        return result;
    }

    /**
     * The trial as the sampler sees it. With diagnosis feedback on ({@code search.feedback}, the default), a pruned
     * trial is INFEASIBLE when an infeasible rule stopped it, or when a comparative rule (ASHA, median) pruned it and
     * its diagnosis is a vanishing or exploding gradient (diagnosed from the epochs it had); with it off, every pruned
     * trial is PRUNED (the sampler is unaware of why it stopped). A completed trial stays COMPLETED either way.
     * Its cost per epoch is the median of its epochs' times ({@link #secondsPerEpoch}), for the cost-aware search.
     */
    private Observation observation(TrialResult r, List<EpochMetrics> curve) {
        double v = config.objective().toMinimization(r.objective());
        boolean feedback = config.search() == null || config.search().feedback(); // search.feedback: false: unaware
        Observation.Kind kind = switch (r.state()) {
            case COMPLETED -> Observation.Kind.COMPLETED;
            case PRUNED -> feedback && (r.stop() != null && r.stop().marksInfeasible()
                    || r.diagnosis() != null && INFEASIBLE_DIAGNOSES.contains(r.diagnosis().primary()))
                    ? Observation.Kind.INFEASIBLE : Observation.Kind.PRUNED;
            default -> Observation.Kind.FAILED;
        };
        return new Observation(r.params(), v, kind, r.diagnosis() == null ? null : r.diagnosis().primary(),
                secondsPerEpoch(curve));
    }

    /**
     * The median of the epochs' times in seconds (one slow first epoch or a stall does not move it), or NaN without
     * an epoch that took time.
     */
    static double secondsPerEpoch(List<EpochMetrics> curve) {
        double[] s = curve.stream().mapToLong(EpochMetrics::epochMillis).filter(m -> m > 0)
                .mapToDouble(m -> m / 1000.0).sorted().toArray();
        if (s.length == 0) {
            return Double.NaN;
        }
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /**
     * Gives up on the study (for example when the metrics stream died): no trial waits for records any more, and
     * {@link #abortReason()} says why. Trials still running end as their outcomes arrive.
     */
    public synchronized void abort(String reason) {
        if (abortReason == null) {
            abortReason = reason;
        }
        notifyAll();
    }

    /**
     * Stops the study on a signal: no trial waits for records any more, and trials that end from now on without a
     * result of their own (cancelled, or never started) are INTERRUPTED, not FAILED, so a resumed study runs them
     * again.
     */
    public synchronized void interrupt(String reason) {
        if (interruptReason == null) {
            interruptReason = reason;
        }
        notifyAll();
    }

    /** Why the study was interrupted, or null. */
    public synchronized String interruptReason() {
        return interruptReason;
    }

    /**
     * Resuming: registers the next trial as the journal recorded it, without telling the listener (it was told when
     * the trial was first created).
     *
     * @param expectedId the id the journal gave it; a different one means the journal and the study disagree
     * @throws IllegalStateException when the ids differ
     */
    public String restoreCreated(String expectedId, Map<String, Object> params) {
        synchronized (this) {
            String id = String.format("t%04d", trials.size() + 1);
            if (!id.equals(expectedId)) {
                throw new IllegalStateException("journal out of order: trial " + expectedId + " recorded where "
                        + id + " was expected");
            }
            Trial t = new Trial(id, trials.size() + 1, params, new Attempts(maxAttempts, config.training().epochs()));
            trials.put(id, t);
            order.add(t);
            active++;
            return id;
        }
    }

    /**
     * Resuming: a trial's end as the journal recorded it. Its curve is rebuilt in the study's curves (the comparative
     * stopping rules see it as before), its result and diagnosis are computed from it as {@link #finish} computed
     * them, and the sampler sees it in {@link #history()} in the order the calls come. Nothing is recorded again.
     *
     * @param recorded the journaled result: state, stop, error, seconds, parameter count and placement are kept
     * @param curve    the records the result was computed from
     */
    public TrialResult restoreFinished(TrialResult recorded, List<EpochMetrics> curve) {
        if (!recorded.state().isFinal()) {
            throw new IllegalArgumentException("only final trials are restored, not " + recorded.state());
        }
        synchronized (this) {
            Trial t = trial(recorded.trialId());
            if (t.state.isTerminal()) {
                throw new IllegalStateException("trial " + t.id + " finished twice in the journal");
            }
            active--;
            curves.reset(t.id);
            for (EpochMetrics m : curve) {
                curves.append(m);
                t.attempt = m.attempt();
            }
            t.state = recorded.state();
            t.stop = recorded.stop();
            t.error = recorded.error();
            t.seconds = recorded.seconds();
            t.restoredNumParams = recorded.numParams();
            Diagnosis diagnosis = curve.isEmpty() ? null : diagnoser.diagnose(curve, t.stop);
            t.result = t.toResult(config.objective(), curves.curve(t.id), diagnosis, recorded.placement());
            finishedOrder.add(observation(t.result, curves.curve(t.id)));
            notifyAll();
            return t.result;
        }
    }

    /** Why the study was aborted, or null. */
    public synchronized String abortReason() {
        return abortReason;
    }

    /** What the sampler sees: finished trials in finishing order and the assignments still pending. */
    public synchronized SearchHistory history() {
        List<Map<String, Object>> pending = order.stream().filter(t -> !t.state.isTerminal())
                .map(t -> t.params).toList();
        return new SearchHistory(finishedOrder, pending);
    }

    public synchronized int active() {
        return active;
    }

    public synchronized int size() {
        return trials.size();
    }

    /** The records received so far, by what {@link #onEpoch} did with them. */
    public synchronized RecordCounts recordCounts() {
        long parked = 0;
        for (Trial t : order) {
            parked += t.attempts.held();
        }
        return new RecordCounts(accepted, superseded, otherRun, unknownTrial, unlaunchedAttempt, duplicates, outOfOrder,
                trialEnded, parked);
    }

    /**
     * Epoch records that finished trials' outcomes say were trained but that never arrived within the wait of
     * {@link #finish}: lost through Kafka (or still on their way when the study gave up).
     */
    public synchronized long recordsMissing() {
        return missing;
    }

    /** Results of terminal trials, in trial order. */
    public synchronized List<TrialResult> results() {
        // StudyRunner calls this after every finished trial, under the lock the consumer needs: keep it a plain scan.
        List<TrialResult> out = new ArrayList<>();
        for (Trial t : order) {
            if (t.state.isTerminal()) {
                out.add(t.result);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** A copy of one trial's curve (empty before its first record). */
    public synchronized List<EpochMetrics> curve(String trialId) {
        return List.copyOf(curves.curve(trial(trialId).id));
    }

    /** Whether a {@link #finish} is waiting for this trial's records (for tests that must not sleep). */
    synchronized boolean awaitingRecords(String trialId) {
        return trial(trialId).recordWaiters > 0;
    }

    /**
     * Waits until a trial finishes, a stop is decided, a record arrives for a trial whose outcome is waiting for
     * its records, the study is aborted, or the timeout passes (plain epoch records do not wake it).
     */
    public synchronized void awaitChange(long millis) throws InterruptedException {
        wait(millis);
    }

    private Trial trial(String id) {
        Trial t = trials.get(id);
        if (t == null) {
            throw new IllegalArgumentException("unknown trial " + id);
        }
        return t;
    }
}
