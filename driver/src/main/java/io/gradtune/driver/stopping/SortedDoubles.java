package io.gradtune.driver.stopping;

import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * A multiset of doubles kept in ascending {@link Double#compare} order (the order of {@link Arrays#sort(double[])}),
 * for order statistics that stopping rules need at one epoch across trials. Insert and remove are a binary search
 * plus one {@link System#arraycopy}; reading the i-th value is O(1). Not thread-safe.
 *
 * <p>Outside this package it is read only: {@link StudyCurves#valuesAt} and {@link StudyCurves#runningAveragesAt}
 * hand out the study's own index, which only the study changes (by appending records), and a rule can query it with
 * {@link #size}, {@link #get}, {@link #select} and {@link #toArray} but neither add nor remove values.
 */
public final class SortedDoubles {

    private double[] values = new double[8];
    private int size;

    /** An empty multiset; only the study's index creates them. */
    SortedDoubles() {
    }

    /** The number of values (duplicates counted). */
    public int size() {
        return size;
    }

    /**
     * The i-th smallest value, 0-based.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= i < size()}
     */
    public double get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i + " of " + size);
        }
        return values[i];
    }

    void add(double v) {
        int i = lowerBound(v);
        if (size == values.length) {
            values = Arrays.copyOf(values, 2 * size);
        }
        System.arraycopy(values, i, values, i + 1, size - i);
        values[i] = v;
        size++;
    }

    /** Removes one occurrence of {@code v} (compared with {@link Double#compare}). */
    void remove(double v) {
        int i = indexOf(v);
        System.arraycopy(values, i + 1, values, i, size - i - 1);
        size--;
    }

    /**
     * The i-th smallest value (0-based) of this multiset with one occurrence of {@code removed} taken out, if
     * present, and {@code added} put in, if present, without changing this multiset.
     *
     * <p>This is how a rule leaves a trial's own entry out of the others' order statistics, or puts its newest value in,
     * without copying: {@code select(i, study.valueAt(id, t), OptionalDouble.empty())} is the i-th smallest value at
     * epoch {@code t} among the other trials. O(log n).
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= i <} the size after the removal and addition
     * @throws IllegalArgumentException  if {@code removed} is present but not in the multiset
     */
    public double select(int i, OptionalDouble removed, OptionalDouble added) {
        int n = size - (removed.isPresent() ? 1 : 0) + (added.isPresent() ? 1 : 0);
        if (i < 0 || i >= n) {
            throw new IndexOutOfBoundsException(i + " of " + n);
        }
        int gap = removed.isPresent() ? indexOf(removed.getAsDouble()) : Integer.MAX_VALUE;
        if (added.isEmpty()) {
            return values[i < gap ? i : i + 1];
        }
        double y = added.getAsDouble();
        int below = lowerBound(y); // values strictly below y, before the removal
        if (gap < below) {
            below--;
        }
        if (i == below) {
            return y;
        }
        int j = i < below ? i : i - 1; // index into the multiset without the removed value
        return values[j < gap ? j : j + 1];
    }

    /** A copy of the values in ascending order. */
    public double[] toArray() {
        return Arrays.copyOf(values, size);
    }

    private int indexOf(double v) {
        int i = lowerBound(v);
        if (i == size || Double.compare(values[i], v) != 0) {
            throw new IllegalArgumentException("value " + v + " is not in the set");
        }
        return i;
    }

    /** The number of values strictly below {@code v}. */
    private int lowerBound(double v) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Double.compare(values[mid], v) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
