package io.gradtune.driver.exec;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The slot arithmetic on made-up executors: what the proposal loop keeps in flight. */
class TaskSlotsTest {

    private static TaskSlots.Executor exec(String id, int cores) {
        return new TaskSlots.Executor(id, "10.0.0." + id + ":40000", cores, false);
    }

    @Test
    void oneSlotPerCoreOfEveryLiveExecutorAndNoneOnAClusterDriver() {
        TaskSlots s = TaskSlots.of(List.of(new TaskSlots.Executor("driver", "10.0.0.1:7078", 0, false),
                exec("1", 4), exec("2", 2)), 1, TaskSlots.DynamicAllocation.OFF);
        assertEquals(6, s.slots());
        assertEquals(2, s.executors(), "the driver of a cluster offers no cores and is no executor here");
        assertEquals(6, s.inFlight());
    }

    @Test
    void localModeIsTheDriverWithAllItsThreads() {
        TaskSlots s = TaskSlots.of(List.of(new TaskSlots.Executor("driver", "127.0.0.1:0", 3, false)), 1,
                TaskSlots.DynamicAllocation.OFF);
        assertEquals(3, s.slots());
        assertEquals(1, s.executors());
    }

    @Test
    void taskCpusDivideEachExecutorsCoresRoundingDown() {
        TaskSlots s = TaskSlots.of(List.of(exec("1", 4), exec("2", 3), exec("3", 1)), 2,
                TaskSlots.DynamicAllocation.OFF);
        assertEquals(2 + 1 + 0, s.slots(), "3 cores hold one 2-cpu task; 1 core none");
    }

    @Test
    void excludedExecutorsDoNotCount() {
        TaskSlots s = TaskSlots.of(List.of(exec("1", 4), new TaskSlots.Executor("2", "h:1", 4, true)), 1,
                TaskSlots.DynamicAllocation.OFF);
        assertEquals(4, s.slots());
        assertEquals(1, s.executors());
    }

    @Test
    void withNoExecutorYetOneTrialIsInFlightSoSparkHasWorkToPlace() {
        TaskSlots s = TaskSlots.of(List.of(new TaskSlots.Executor("driver", "h:1", 0, false)), 1,
                TaskSlots.DynamicAllocation.OFF);
        assertEquals(0, s.slots());
        assertEquals(1, s.inFlight());
    }

    @Test
    void anExecutorThatLeavesStopsCounting() {
        TaskSlots before = TaskSlots.of(List.of(exec("1", 2), exec("2", 2)), 1, TaskSlots.DynamicAllocation.OFF);
        TaskSlots after = TaskSlots.of(List.of(exec("2", 2)), 1, TaskSlots.DynamicAllocation.OFF);
        assertEquals(4, before.inFlight());
        assertEquals(2, after.inFlight());
    }

    /**
     * Dynamic allocation asks for executors only for tasks waiting to run, so one executor's worth of trials more
     * than the slots is kept waiting until the maximum number of executors is reached.
     */
    @Test
    void dynamicAllocationKeepsOneExecutorsWorthOfTrialsWaitingUntilItsMaximum() {
        TaskSlots.DynamicAllocation da = new TaskSlots.DynamicAllocation(true, 3, 0);
        assertEquals(1 + 1, TaskSlots.of(List.of(), 1, da).inFlight(), "no executor: one to run, one to ask with");
        assertEquals(4 + 4, TaskSlots.of(List.of(exec("1", 4)), 1, da).inFlight(),
                "without spark.executor.cores the largest executor's slots");
        assertEquals(8 + 4, TaskSlots.of(List.of(exec("1", 4), exec("2", 4)), 1, da).inFlight());
        assertEquals(12, TaskSlots.of(List.of(exec("1", 4), exec("2", 4), exec("3", 4)), 1, da).inFlight(),
                "at maxExecutors: no backlog");
        TaskSlots.DynamicAllocation sized = new TaskSlots.DynamicAllocation(true, 10, 6);
        assertEquals(2 + 3, TaskSlots.of(List.of(exec("1", 4)), 2, sized).inFlight(),
                "spark.executor.cores 6 / spark.task.cpus 2 = 3 per new executor");
    }

    @Test
    void aDataParallelTrialTakesItsWorkersSlotsAndOneTrialIsAlwaysInFlight() {
        List<TaskSlots.Executor> live = List.of(exec("1", 4), exec("2", 3));
        assertEquals(3, TaskSlots.of(live, 1, TaskSlots.DynamicAllocation.OFF, 2).inFlight(), "7 slots / 2");
        assertEquals(7, TaskSlots.of(live, 1, TaskSlots.DynamicAllocation.OFF, 2).slots(), "slots stay slots");
        assertEquals(1, TaskSlots.of(live, 1, TaskSlots.DynamicAllocation.OFF, 8).inFlight(),
                "wider than the cluster: one trial, its partitions in waves");
        assertEquals(3 + 2, TaskSlots.of(live, 1, new TaskSlots.DynamicAllocation(true, 10, 4), 2).inFlight(),
                "an executor's worth more (4 cores = 2 trials of 2) while dynamic allocation may add executors");
    }
}
