package io.gradtune.driver.exec;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * How many Spark tasks are running, from Spark's task start and end events. A cancelled job ends on the driver at
 * once while its task thread trains on until its next mini-batch check; Spark still reports that task's end
 * (killed or finished) when the thread returns, after the task released its block locks. {@link SparkTrialExecutor#close}
 * waits for zero before stopping Spark.
 */
final class RunningTasks extends SparkListener {

    private final AtomicInteger running = new AtomicInteger();

    @Override
    public void onTaskStart(SparkListenerTaskStart task) {
        running.incrementAndGet();
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd task) {
        running.decrementAndGet();
    }

    /** Tasks started and not yet ended, as Spark's listener bus has delivered their events so far. */
    int count() {
        return running.get();
    }

    /**
     * Polls until no task runs or the deadline passes.
     *
     * @return true when none runs
     */
    boolean awaitNone(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (running.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);   // a poll interval, not a wait for something to happen
        }
        return true;
    }
}
