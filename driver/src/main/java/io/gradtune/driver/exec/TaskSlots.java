package io.gradtune.driver.exec;

import java.util.List;

/**
 * How many trials to keep in flight, from the executors Spark has right now: one trial per task slot, where an
 * executor offers {@code floor(cores / spark.task.cpus)} slots (Spark's own rule for tasks that need only CPUs).
 * In local mode the one executor is the driver with the master's N threads; on a cluster the driver offers no
 * cores. Executors that Spark excluded after failures get no tasks and count for nothing; executors that left
 * are not in the list.
 *
 * <p>At least one trial is always in flight, so Spark has a task to place while no executor is registered yet.
 * With dynamic allocation Spark requests executors only for tasks that wait, so while fewer than
 * {@code spark.dynamicAllocation.maxExecutors} executors run, one more executor's worth of trials is kept waiting
 * ({@code spark.executor.cores / spark.task.cpus}, or the largest live executor's slots when executor cores are
 * not set); those trials start as soon as the requested executor registers.
 *
 * <p>A data-parallel trial ({@code training.workers: N}, N &ge; 2) occupies N slots: its dl4j-spark jobs have N
 * tasks. Then {@code floor(slots / N)} trials are in flight (at least one; the dynamic-allocation extra is divided
 * by N too).
 *
 * @param slots     task slots of the live executors
 * @param executors live executors that offer cores
 * @param inFlight  trials to keep submitted: what the proposal loop fills up to
 */
public record TaskSlots(int slots, int executors, int inFlight) {

    /**
     * One live executor as the slot count sees it.
     *
     * @param id       Spark executor id ({@code driver} for the driver)
     * @param hostPort its host and port
     * @param cores    cores it offers to tasks (0 for the driver of a cluster)
     * @param excluded whether Spark excluded it from scheduling after task failures
     */
    public record Executor(String id, String hostPort, int cores, boolean excluded) {
    }

    /**
     * The dynamic-allocation settings that matter here.
     *
     * @param enabled       {@code spark.dynamicAllocation.enabled} on a master that supports it (not local)
     * @param maxExecutors  {@code spark.dynamicAllocation.maxExecutors}
     * @param executorCores {@code spark.executor.cores}, 0 when not set
     */
    public record DynamicAllocation(boolean enabled, int maxExecutors, int executorCores) {
        public static final DynamicAllocation OFF = new DynamicAllocation(false, 0, 0);
    }

    /**
     * @param live     the executors Spark has now (active ones only)
     * @param taskCpus {@code spark.task.cpus}
     */
    public static TaskSlots of(List<Executor> live, int taskCpus, DynamicAllocation dynamicAllocation) {
        return of(live, taskCpus, dynamicAllocation, 1);
    }

    /**
     * As {@link #of(List, int, DynamicAllocation)} for trials of {@code slotsPerTrial} slots each (a data-parallel
     * trial's {@code training.workers}).
     */
    public static TaskSlots of(List<Executor> live, int taskCpus, DynamicAllocation dynamicAllocation,
                               int slotsPerTrial) {
        if (slotsPerTrial < 1) {
            throw new IllegalArgumentException("slots per trial must be >= 1, was " + slotsPerTrial);
        }
        if (taskCpus < 1) {
            throw new IllegalArgumentException("spark.task.cpus must be >= 1, was " + taskCpus);
        }
        int slots = 0;
        int executors = 0;
        int largest = 0;
        for (Executor e : live) {
            if (e.excluded() || e.cores() <= 0) {
                continue;
            }
            int s = e.cores() / taskCpus;
            slots += s;
            executors++;
            largest = Math.max(largest, s);
        }
        int inFlight = Math.max(1, slots / slotsPerTrial);
        if (dynamicAllocation.enabled() && executors < dynamicAllocation.maxExecutors()) {
            int perExecutor = dynamicAllocation.executorCores() > 0 ? dynamicAllocation.executorCores() / taskCpus
                    : largest;
            inFlight += Math.max(1, perExecutor / slotsPerTrial);
        }
        return new TaskSlots(slots, executors, inFlight);
    }
}
