package io.gradtune.driver.exec;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskStart;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ObjIntConsumer;

/**
 * Learns from Spark which attempts of which trial it started: a task start names its stage; the stage belongs to a
 * job, whose job group is the trial id ({@link SparkTrialExecutor#submit}); the task's attempt number is the
 * trial's attempt. Spark reruns a failed task by itself, so this is the only place the driver hears of a retry
 * before its records. Jobs without a job group (reading the data, broadcasts) are not trials and are skipped.
 *
 * <p>Spark calls a listener on its listener-bus thread, after the fact and in order (a job's start before its
 * tasks' starts); the callback runs on that thread and must be quick.
 */
final class AttemptStartListener extends SparkListener {

    /** The local property Spark keeps a job's group in (what {@code setJobGroup} sets). */
    static final String JOB_GROUP = "spark.jobGroup.id";

    /**
     * Local property of a data-parallel trial's jobs: their tasks are partitions of one attempt, not attempts of the
     * trial (the executor reports that attempt itself), so they are skipped.
     */
    static final String DATA_PARALLEL = "gradtune.dataParallel";

    private final ObjIntConsumer<String> started;
    private final Map<Integer, String> trialOfStage = new ConcurrentHashMap<>();
    private final Map<Integer, List<Integer>> stagesOfJob = new ConcurrentHashMap<>();

    /** @param started called with (trial id, attempt number) when a trial's task attempt starts */
    AttemptStartListener(ObjIntConsumer<String> started) {
        this.started = started;
    }

    @Override
    public void onJobStart(SparkListenerJobStart job) {
        Properties p = job.properties();
        String group = p == null ? null : p.getProperty(JOB_GROUP);
        if (group == null || p.getProperty(DATA_PARALLEL) != null) {
            return;
        }
        List<Integer> stages = new java.util.ArrayList<>();
        scala.collection.Iterator<Object> it = job.stageIds().iterator();
        while (it.hasNext()) {
            int stage = (Integer) it.next();
            stages.add(stage);
            trialOfStage.put(stage, group);
        }
        stagesOfJob.put(job.jobId(), stages);
    }

    @Override
    public void onTaskStart(SparkListenerTaskStart task) {
        String trialId = trialOfStage.get(task.stageId());
        if (trialId != null) {
            started.accept(trialId, task.taskInfo().attemptNumber());
        }
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd job) {
        List<Integer> stages = stagesOfJob.remove(job.jobId());
        if (stages != null) {
            stages.forEach(trialOfStage::remove);
        }
    }
}
