package io.gradtune.driver.study;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.diagnose.Diagnoser;
import io.gradtune.driver.diagnose.Diagnosis;
import io.gradtune.driver.search.Observation;
import io.gradtune.driver.search.SearchHistory;
import io.gradtune.driver.stopping.Decision;
import io.gradtune.driver.stopping.StoppingPolicy;
import io.gradtune.driver.stopping.StudyCurves;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.TrialOutcome;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The driver's state of a study: its trials, their curves as they stream in, and their lifecycle. The consumer
 * thread feeds epoch records, executor threads feed outcomes, the proposal loop reads the history. Every method
 * is thread-safe; terminal trials never change.
 *
 * <p>One owner per piece of state: the curves live only in the study's {@link StudyCurves} (which the comparative
 * rules read), and whether a record extends a curve is decided only in {@link #onEpoch} (see {@link Received}).
 */
public final class Study {

    /** Callbacks out of the study, called without the study's lock held. */
    public interface Listener {
        /** A stopping rule decided to stop a running trial: cancel its work. */
        void stopRequested(String trialId, Decision decision);

        /** A trial changed state (or was decided on). */
        void event(String trialId, String event, Map<String, ?> fields);
    }

    /** What {@link #onEpoch} did with a record. */
    public enum Received {
        /** The next epoch of the trial's current attempt: appended to its curve and decided on. */
        ACCEPTED,
        /**
         * Not the next epoch of the current attempt: a repeat (a producer retry, a re-delivered record), a skipped
         * epoch, or a record of an older attempt than one already seen. Dropped.
         */
        DUPLICATE,
        /** A record of a trial this study does not know or that is already terminal. Dropped. */
        IGNORED
    }

    /**
     * Counts of the records {@link #onEpoch} received, by what it did with them.
     *
     * @param superseded of the accepted records, those whose curve a newer attempt of the same trial replaced
     *                   (a retried Spark task: the trial's code failed, or its executor was lost)
     */
    public record RecordCounts(long accepted, long duplicates, long ignored, long superseded) {
    }

    private final StudyConfig config;
    private final StoppingPolicy policy;
    private final Diagnoser diagnoser;
    private final Listener listener;
    private final Map<String, Trial> trials = new LinkedHashMap<>();
    /** The same trials in creation order, for the scans of results() and history(). */
    private final List<Trial> order = new ArrayList<>();
    private final List<Observation> finishedOrder = new ArrayList<>();
    /** Every trial's curve, indexed for the comparative rules; updated per record, never rebuilt. */
    private final StudyCurves curves;
    private int active;
    private long accepted;
    private long duplicates;
    private long ignored;
    private long superseded;
    /** Epoch records finished trials' outcomes reported that never arrived within the wait. */
    private long missing;
    /** Why the study was aborted, or null. */
    private String abortReason;

    /**
     * A study with the stopping policy and diagnosis thresholds of its config ({@code config.stopping()}, the
     * policy sized for {@code config.training().epochs()}).
     */
    public Study(StudyConfig config, Listener listener) {
        this(config, config.stopping().toPolicy(config.training().epochs()), Diagnoser.forSettings(config.stopping()),
                listener);
    }

    /**
     * @param policy    the stopping rules, combined as {@link StoppingPolicy} combines them
     * @param diagnoser names what happened in each trial when it becomes terminal
     */
    public Study(StudyConfig config, StoppingPolicy policy, Diagnoser diagnoser, Listener listener) {
        this.config = config;
        this.policy = policy;
        this.diagnoser = diagnoser;
        this.listener = listener;
        this.curves = new StudyCurves(config.objective().metric(), config.objective().maximize());
    }

    public StudyConfig config() {
        return config;
    }

    /** Registers a new QUEUED trial and returns its id ({@code t0001}, ...). */
    public String create(Map<String, Object> params) {
        String id;
        synchronized (this) {
            int number = trials.size() + 1;
            id = String.format("t%04d", number);
            Trial t = new Trial(id, number, params);
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
     * An epoch record arrived from Kafka: extend the curve and ask the stopping policy. A record of a newer
     * attempt (a retried Spark task) replaces the older attempt's curve. Costs the rules' own work on this trial's
     * curve plus O(log n + n) for the cross-trial index (n = trials at this epoch); nothing is copied.
     *
     * @return what was done with the record
     */
    public Received onEpoch(EpochMetrics m) {
        Decision decision = null;
        synchronized (this) {
            Trial t = trials.get(m.trialId());
            if (t == null || t.state.isTerminal()) {
                ignored++;
                return Received.IGNORED;
            }
            if (m.attempt() < t.attempt) {
                duplicates++;
                return Received.DUPLICATE;
            }
            if (m.attempt() > t.attempt) {
                t.attempt = m.attempt();
                superseded += curves.curve(t.id).size();
                curves.reset(t.id); // a newer attempt replaces the curve
            }
            if (m.epoch() != curves.curve(t.id).size() + 1) {
                duplicates++;
                return Received.DUPLICATE;
            }
            accepted++;
            curves.append(m);
            if (t.stop == null) {
                // The policy is called under the lock and keeps nothing, so it may see the live curve.
                Decision d = policy.evaluate(curves.curve(t.id), curves);
                if (d.stops()) {
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
        }
        if (decision != null) {
            listener.event(m.trialId(), "stop_decided", Map.of("rule", decision.rule(), "epoch", decision.epoch(),
                    "action", decision.action().name(), "reason", decision.reason(), "evidence", decision.evidence()));
            listener.stopRequested(m.trialId(), decision);
        }
        return Received.ACCEPTED;
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
     * @param attempts Spark task attempts the trial's job ran, when the caller knows (a job that failed after all
     *                 its attempts); 0 when unknown. The result's count is the largest of this, the outcome's
     *                 attempt + 1 and the newest attempt whose records arrived + 1.
     */
    public TrialResult finish(String trialId, TrialOutcome outcome, String sparkError, int attempts, long waitMillis)
            throws InterruptedException {
        TrialResult result;
        synchronized (this) {
            Trial t = trial(trialId);
            int expected = outcome == null ? 0 : outcome.epochsRun();
            int outcomeAttempt = outcome == null ? -1 : outcome.attempt();
            long deadline = System.nanoTime() + waitMillis * 1_000_000;
            t.recordWaiters++;
            try {
                while (abortReason == null && System.nanoTime() < deadline && (curves.curve(t.id).size() < expected
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
            List<EpochMetrics> curve = curves.curve(t.id);
            t.outcome = outcome;
            t.seconds = (System.nanoTime() - t.submittedNanos) / 1e9;
            if (t.stop != null) {
                t.state = t.stop.action() == Decision.Action.COMPLETE ? TrialState.COMPLETED : TrialState.PRUNED;
            } else if (outcome != null && outcome.status() == TrialOutcome.Status.COMPLETED
                    && curve.size() >= expected) {
                t.state = TrialState.COMPLETED;
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
            if (curve.size() < expected) {
                missing += expected - curve.size();
            }
            if (outcome != null && curve.size() < expected && t.error == null) {
                t.error = "only " + curve.size() + " of " + expected + " epoch records arrived through Kafka"
                        + (abortReason == null ? "" : " (study aborted: " + abortReason + ")");
            }
            Diagnosis diagnosis = curve.isEmpty() ? null : diagnoser.diagnose(curve, t.stop);
            EpochMetrics last = curve.isEmpty() ? null : curve.get(curve.size() - 1);
            TrialResult.Placement placement = new TrialResult.Placement(attemptsRun,
                    last == null ? null : last.executorId(), last == null ? null : last.host());
            result = t.toResult(config.objective(), curve, diagnosis, placement);
            t.result = result; // terminal trials never change: results() reuses it
            finishedOrder.add(observation(result));
            notifyAll();
        }
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

    private Observation observation(TrialResult r) {
        double v = config.objective().toMinimization(r.objective());
        Observation.Kind kind = switch (r.state()) {
            case COMPLETED -> Observation.Kind.COMPLETED;
            case PRUNED -> r.stop() != null && r.stop().marksInfeasible()
                    ? Observation.Kind.INFEASIBLE : Observation.Kind.PRUNED;
            default -> Observation.Kind.FAILED;
        };
        return new Observation(r.params(), v, kind);
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
        return new RecordCounts(accepted, duplicates, ignored, superseded);
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
