package io.gradtune.driver.study;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.search.Observation;
import io.gradtune.driver.search.SearchHistory;
import io.gradtune.driver.stopping.Decision;
import io.gradtune.driver.stopping.StoppingRule;
import io.gradtune.driver.stopping.StudyCurves;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.TrialOutcome;

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
 */
public final class Study {

    /** Rules whose stops mark a region of the space as bad, not merely behind (see {@link Observation.Kind}). */
    public static final Set<String> INFEASIBLE_RULES = Set.of("divergence", "exploding_gradients", "vanishing_gradients");

    /** Callbacks out of the study, called without the study's lock held. */
    public interface Listener {
        /** A stopping rule decided to stop a running trial: cancel its work. */
        void stopRequested(String trialId, Decision decision);

        /** A trial changed state (or was decided on). */
        void event(String trialId, String event, Map<String, ?> fields);
    }

    private final StudyConfig config;
    private final List<StoppingRule> rules;
    private final Listener listener;
    private final Map<String, Trial> trials = new LinkedHashMap<>();
    /** The same trials in creation order, for the scans of results() and history(). */
    private final List<Trial> order = new ArrayList<>();
    private final List<Observation> finishedOrder = new ArrayList<>();
    /** Every trial's curve, indexed for the comparative rules; updated per record, never rebuilt. */
    private final StudyCurves curves;
    private int active;

    public Study(StudyConfig config, List<StoppingRule> rules, Listener listener) {
        this.config = config;
        this.rules = List.copyOf(rules);
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
     * An epoch record arrived from Kafka: extend the curve and ask the stopping rules. Costs the rules' own work on
     * this trial's curve plus O(log n + n) for the cross-trial index (n = trials at this epoch); nothing is copied.
     */
    public void onEpoch(EpochMetrics m) {
        Decision decision = null;
        synchronized (this) {
            Trial t = trials.get(m.trialId());
            if (t == null || t.state.isTerminal()) {
                return;
            }
            int attempt = t.attempt;
            boolean added = t.add(m);
            if (t.attempt != attempt) {
                curves.reset(t.id); // a newer attempt replaced the curve
            }
            if (!added) {
                return;
            }
            curves.append(m);
            if (t.stop == null && !rules.isEmpty()) {
                // Rules are called under the lock and keep nothing, so they may see the live curve.
                List<EpochMetrics> curve = curves.curve(t.id);
                for (StoppingRule rule : rules) {
                    Decision d = rule.evaluate(curve, curves);
                    if (d.stops()) {
                        t.stop = d;
                        decision = d;
                        break;
                    }
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
    }

    /**
     * The worker's outcome (or null with an error when the Spark job failed). Waits up to {@code waitMillis}
     * for the trial's epoch records to arrive through Kafka, then makes the trial terminal.
     */
    public TrialResult finish(String trialId, TrialOutcome outcome, String sparkError, long waitMillis)
            throws InterruptedException {
        TrialResult result;
        synchronized (this) {
            Trial t = trial(trialId);
            int expected = outcome == null ? 0 : outcome.epochsRun();
            long deadline = System.nanoTime() + waitMillis * 1_000_000;
            t.recordWaiters++;
            try {
                while (t.curve.size() < expected && System.nanoTime() < deadline) {
                    wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                }
            } finally {
                t.recordWaiters--;
            }
            if (!t.state.isTerminal()) {
                active--;
            }
            t.outcome = outcome;
            t.seconds = (System.nanoTime() - t.submittedNanos) / 1e9;
            if (t.stop != null) {
                t.state = t.stop.action() == Decision.Action.COMPLETE ? TrialState.COMPLETED : TrialState.PRUNED;
            } else if (outcome != null && outcome.status() == TrialOutcome.Status.FINISHED) {
                t.state = TrialState.COMPLETED;
            } else {
                t.state = TrialState.FAILED;
                t.error = outcome != null && outcome.error() != null ? outcome.error()
                        : sparkError != null ? sparkError : "trial ended without finishing (" +
                        (outcome == null ? "no outcome" : outcome.status()) + ")";
            }
            if (outcome != null && t.curve.size() < expected && t.error == null) {
                t.error = "only " + t.curve.size() + " of " + expected + " epoch records arrived through Kafka";
            }
            result = t.toResult(config.objective());
            t.result = result; // terminal trials never change: results() reuses it
            finishedOrder.add(observation(result));
            notifyAll();
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("state", result.state().name());
        fields.put("objective", result.objective());
        fields.put("epochs", result.epochs());
        if (result.error() != null) {
            fields.put("error", result.error());
        }
        listener.event(trialId, "finished", fields);
        return result;
    }

    private Observation observation(TrialResult r) {
        double v = config.objective().toMinimization(r.objective());
        Observation.Kind kind = switch (r.state()) {
            case COMPLETED -> Observation.Kind.COMPLETE;
            case PRUNED -> r.stop() != null && INFEASIBLE_RULES.contains(r.stop().rule())
                    ? Observation.Kind.INFEASIBLE : Observation.Kind.PRUNED;
            default -> Observation.Kind.FAILED;
        };
        return new Observation(r.params(), v, kind);
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

    /** A copy of one trial's curve. */
    public synchronized List<EpochMetrics> curve(String trialId) {
        return List.copyOf(trial(trialId).curve);
    }

    /**
     * Waits until a trial finishes, a stop is decided, a record arrives for a trial whose outcome is waiting for
     * its records, or the timeout passes (plain epoch records do not wake it).
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
