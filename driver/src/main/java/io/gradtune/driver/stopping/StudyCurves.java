package io.gradtune.driver.stopping;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.stopping.Objective;
import io.gradtune.worker.stopping.Objectives;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The study's curves as comparative stopping rules need them: the objective value of each trial at each epoch,
 * indexed across trials so that a rule's question about epoch {@code t} costs a lookup, not a scan of every curve.
 *
 * <p>For each epoch {@code t} two sorted multisets are kept over the trials that have a record at {@code t}: their
 * objective at {@code t} ({@link AshaRule}'s rungs) and their running average of the objective over epochs
 * {@code 1..t} ({@link MedianStoppingRule}). Values go through {@link Objectives#value}, so a non-finite objective
 * is the worst value.
 *
 * <p>The queries a comparative rule needs are public, so a rule can live in any package: {@link #valuesAt} and
 * {@link #runningAveragesAt} (sorted, read-only {@link SortedDoubles}), {@link #valueAt} and {@link #runningAverage}
 * (one trial's entries in them), {@link #curve} and {@link #curves}, with {@link Objectives} for the study's
 * direction. {@link MedianStoppingRule} and {@link AshaRule} use nothing else.
 *
 * <p>Two ways to build one:
 * <ul>
 *   <li>{@link #StudyCurves(String, boolean)} and then {@link #append} per record and {@link #reset} when a
 *       trial's curve restarts (a retried attempt): what the driver's {@code Study} keeps, updated in
 *       O(log n + n) per record with a small constant (n = trials at that epoch; a binary search and one
 *       array shift), instead of copying every curve for every record;</li>
 *   <li>{@link #StudyCurves(String, boolean, Map)}: a snapshot of given curves (tests, tools).</li>
 * </ul>
 * The running average at {@code t} is, as it always was, the sum of the objective over the records with epoch
 * {@code <= t} in curve order divided by their number, and the value at {@code t} is the first record with epoch
 * {@code t}; the snapshot constructor computes exactly that for any list, the incremental path for records in
 * strictly increasing epoch order. Not thread-safe: the study guards it with its lock.
 */
public final class StudyCurves implements Objective {

    /** Shared, never modified. */
    private static final SortedDoubles EMPTY = new SortedDoubles();

    private final String objectiveMetric;
    private final boolean maximize;
    private final Map<String, TrialIndex> trials = new LinkedHashMap<>();
    private final Map<String, List<EpochMetrics>> view = new LinkedHashMap<>();
    private final Map<Integer, SortedDoubles> valuesAt = new HashMap<>();
    private final Map<Integer, SortedDoubles> averagesAt = new HashMap<>();

    /**
     * An empty study to be filled with {@link #append}.
     *
     * @param objectiveMetric name of the objective metric ({@code val_accuracy}, {@code val_loss} or {@code train_loss})
     * @param maximize        whether larger objective values are better
     */
    public StudyCurves(String objectiveMetric, boolean maximize) {
        this.objectiveMetric = objectiveMetric;
        this.maximize = maximize;
    }

    /**
     * A snapshot of the given curves (copied).
     *
     * @param objectiveMetric name of the objective metric
     * @param maximize        whether larger objective values are better
     * @param curves          per trial id, its records in epoch order (running and finished trials)
     */
    public StudyCurves(String objectiveMetric, boolean maximize, Map<String, List<EpochMetrics>> curves) {
        this(objectiveMetric, maximize);
        for (Map.Entry<String, List<EpochMetrics>> e : curves.entrySet()) {
            List<EpochMetrics> records = List.copyOf(e.getValue());
            TrialIndex t = index(e.getKey());
            t.records.addAll(records);
            if (strictlyIncreasing(records)) {
                for (EpochMetrics m : records) {
                    t.push(m.epoch(), value(m));
                }
            } else {
                snapshotAnyOrder(t, records);
            }
            for (int i = 0; i < t.n; i++) {
                at(valuesAt, t.epochs[i]).add(t.values[i]);
                at(averagesAt, t.epochs[i]).add(t.averages[i]);
            }
        }
    }

    @Override
    public String objectiveMetric() {
        return objectiveMetric;
    }

    @Override
    public boolean maximize() {
        return maximize;
    }


    /** Per trial id, its records in epoch order; a read-only view that follows later appends. */
    public Map<String, List<EpochMetrics>> curves() {
        return Collections.unmodifiableMap(view);
    }

    /** One trial's records (read-only view), empty for a trial without records. */
    public List<EpochMetrics> curve(String trialId) {
        List<EpochMetrics> c = view.get(trialId);
        return c == null ? List.of() : c;
    }

    /**
     * Adds the next record of its trial.
     *
     * @throws IllegalArgumentException if its epoch is not above the trial's last epoch
     */
    public void append(EpochMetrics m) {
        TrialIndex t = index(m.trialId());
        if (t.n > 0 && m.epoch() <= t.epochs[t.n - 1]) {
            throw new IllegalArgumentException("trial " + m.trialId() + ": epoch " + m.epoch()
                    + " after epoch " + t.epochs[t.n - 1] + "; records must be appended in epoch order");
        }
        double v = value(m);
        t.records.add(m);
        t.push(m.epoch(), v);
        at(valuesAt, m.epoch()).add(v);
        at(averagesAt, m.epoch()).add(t.averages[t.n - 1]);
    }

    /** Forgets a trial's records (its curve restarts, as when a retried attempt replaces it). */
    public void reset(String trialId) {
        TrialIndex t = trials.remove(trialId);
        view.remove(trialId);
        if (t == null) {
            return;
        }
        for (int i = 0; i < t.n; i++) {
            valuesAt.get(t.epochs[i]).remove(t.values[i]);
            averagesAt.get(t.epochs[i]).remove(t.averages[i]);
        }
    }

    /**
     * The objectives at {@code epoch} of the trials with a record at that epoch, sorted ascending: the first record
     * with that epoch of each trial, through {@link Objectives#value} (a non-finite objective is the worst value).
     * ASHA's rung; any comparative rule's "where do the trials stand at epoch t".
     *
     * <p>The study's own index, not a copy: read-only to rules (see {@link SortedDoubles}), and it changes when the
     * study appends, so query it within one {@link StoppingRule#evaluate} call and do not keep it. It may include the
     * evaluated trial's own entry; {@link #valueAt} says which value that is, so a rule can leave it out with
     * {@link SortedDoubles#select}. Empty for an epoch no trial has reached.
     */
    public SortedDoubles valuesAt(int epoch) {
        return valuesAt.getOrDefault(epoch, EMPTY);
    }

    /**
     * The running averages over epochs 1..{@code epoch} (the mean of {@link Objectives#value} over each trial's
     * records up to that epoch) of the trials with a record at that epoch, sorted ascending: what the median rule
     * compares with. The same kind of live, read-only index as {@link #valuesAt}.
     */
    public SortedDoubles runningAveragesAt(int epoch) {
        return averagesAt.getOrDefault(epoch, EMPTY);
    }

    /**
     * The trial's entry in {@link #valuesAt(int)}, if it has a record at that epoch; empty for an unknown trial (for
     * instance one whose first record the study has not appended yet).
     */
    public OptionalDouble valueAt(String trialId, int epoch) {
        TrialIndex t = trials.get(trialId);
        int i = t == null ? -1 : t.find(epoch);
        return i < 0 ? OptionalDouble.empty() : OptionalDouble.of(t.values[i]);
    }

    /** The trial's entry in {@link #runningAveragesAt(int)}, if it has a record at that epoch. */
    public OptionalDouble runningAverage(String trialId, int epoch) {
        TrialIndex t = trials.get(trialId);
        int i = t == null ? -1 : t.find(epoch);
        return i < 0 ? OptionalDouble.empty() : OptionalDouble.of(t.averages[i]);
    }

    private double value(EpochMetrics m) {
        return Objectives.value(m, this);
    }

    private TrialIndex index(String trialId) {
        TrialIndex t = trials.get(trialId);
        if (t == null) {
            t = new TrialIndex();
            trials.put(trialId, t);
            view.put(trialId, Collections.unmodifiableList(t.records));
        }
        return t;
    }

    private static SortedDoubles at(Map<Integer, SortedDoubles> byEpoch, int epoch) {
        return byEpoch.computeIfAbsent(epoch, e -> new SortedDoubles());
    }

    private static boolean strictlyIncreasing(List<EpochMetrics> records) {
        for (int i = 1; i < records.size(); i++) {
            if (records.get(i).epoch() <= records.get(i - 1).epoch()) {
                return false;
            }
        }
        return true;
    }

    /** Repeated or unordered epochs: the per-epoch definitions applied literally, once per distinct epoch. */
    private void snapshotAnyOrder(TrialIndex t, List<EpochMetrics> records) {
        int[] distinct = records.stream().mapToInt(EpochMetrics::epoch).distinct().sorted().toArray();
        for (int epoch : distinct) {
            double first = Double.NaN;
            double sum = 0;
            int n = 0;
            for (EpochMetrics m : records) {
                if (m.epoch() == epoch && Double.isNaN(first)) { // values are never NaN (see Objectives.value)
                    first = value(m);
                }
                if (m.epoch() <= epoch) {
                    sum += value(m);
                    n++;
                }
            }
            t.put(epoch, first, sum / n);
        }
        for (EpochMetrics m : records) { // so that a later append continues the running sum in curve order
            t.sum += value(m);
            t.count++;
        }
    }

    /** One trial's records and, per epoch it has, its value and running average (epochs ascending). */
    private static final class TrialIndex {
        final List<EpochMetrics> records = new ArrayList<>();
        int[] epochs = new int[8];
        double[] values = new double[8];
        double[] averages = new double[8];
        int n;
        double sum;
        int count;

        /** Appends the next record in strictly increasing epoch order. */
        void push(int epoch, double value) {
            sum += value;
            count++;
            put(epoch, value, sum / count);
        }

        void put(int epoch, double value, double average) {
            if (n == epochs.length) {
                epochs = Arrays.copyOf(epochs, 2 * n);
                values = Arrays.copyOf(values, 2 * n);
                averages = Arrays.copyOf(averages, 2 * n);
            }
            epochs[n] = epoch;
            values[n] = value;
            averages[n] = average;
            n++;
        }

        /** Index of the epoch, or -1. Curves are usually 1..n, so try the direct position first. */
        int find(int epoch) {
            int guess = epoch - 1;
            if (guess >= 0 && guess < n && epochs[guess] == epoch) {
                return guess;
            }
            int i = Arrays.binarySearch(epochs, 0, n, epoch);
            return i >= 0 ? i : -1;
        }
    }
}
