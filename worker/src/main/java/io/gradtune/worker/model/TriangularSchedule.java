package io.gradtune.worker.model;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Cyclic learning rate per epoch: a triangle wave that starts at {@code max}, falls linearly to {@code min} at
 * half the period and climbs back. ND4J's {@code CycleSchedule} is the one-cycle policy (a single cycle then
 * annealing), not a repeating cycle, hence this class.
 *
 * @param max          rate at the start of every period
 * @param min          rate at the middle of every period
 * @param periodEpochs length of one cycle in epochs (at least 2)
 */
public record TriangularSchedule(@JsonProperty("max") double max, @JsonProperty("min") double min,
                                 @JsonProperty("periodEpochs") int periodEpochs) implements ISchedule {

    public TriangularSchedule {
        if (periodEpochs < 2) {
            throw new IllegalArgumentException("cycle period must be at least 2 epochs, got " + periodEpochs);
        }
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        double phase = (double) Math.floorMod(epoch, periodEpochs) / periodEpochs;
        double distance = Math.abs(2 * phase - 1);
        return min + (max - min) * distance;
    }

    @Override
    public ISchedule clone() {
        return this;
    }
}
