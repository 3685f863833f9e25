package io.gradtune.driver.exec;

import io.gradtune.worker.data.SharedData;
import io.gradtune.worker.protocol.Decoded;
import io.gradtune.worker.protocol.ProtocolCodec;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.protocol.TrialSpec;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;

/**
 * Runs each trial as its own Spark job of one task, with the trial id as job group, so a trial can be
 * cancelled alone. As many trials are in flight as the cluster has task slots ({@link #slots()}); every
 * executor trains with one native thread (OMP_NUM_THREADS=1), so trials, not threads, use the cores.
 *
 * <p>The study's data reaches the executors as one broadcast ({@link #share}), which each executor JVM fetches once
 * and every trial's task then finds in that JVM.
 */
public final class SparkTrialExecutor implements AutoCloseable {

    private final JavaSparkContext sc;
    private final ExecutorService submitters;
    private final int slots;
    private volatile Broadcast<SharedData> data;

    public SparkTrialExecutor(String master, String appName, Map<String, String> properties) {
        SparkConf conf = new SparkConf().setMaster(master).setAppName(appName)
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false")
                .set("spark.executorEnv.OMP_NUM_THREADS", "1")
                .set("spark.task.maxFailures", "2")
                .set("spark.scheduler.mode", "FAIR")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.driver.host", "127.0.0.1");
        properties.forEach(conf::set);
        this.sc = new JavaSparkContext(conf);
        this.slots = Math.max(1, sc.defaultParallelism());
        this.submitters = Executors.newFixedThreadPool(slots, r -> {
            Thread t = new Thread(r, "gradtune-trial-submitter");
            t.setDaemon(true);
            return t;
        });
    }

    /** Number of trials that can train at once. */
    public int slots() {
        return slots;
    }

    public String sparkVersion() {
        return sc.version();
    }

    /** The study's Spark context, for reading the data through Spark SQL on the driver. */
    public SparkContext sparkContext() {
        return sc.sc();
    }

    /**
     * Broadcasts the study's prepared rows; every trial submitted afterwards gets them from its executor JVM's copy
     * instead of reading the data itself.
     */
    public void share(SharedData prepared) {
        data = sc.broadcast(prepared);
    }

    /**
     * Submits a trial. {@code done} receives the worker's outcome, or null and the error text when the Spark job
     * failed or was cancelled; it runs on a submitter thread.
     */
    public void submit(TrialSpec spec, BiConsumer<TrialOutcome, String> done) {
        String json = ProtocolCodec.encode(spec);
        submitters.execute(() -> {
            sc.setJobGroup(spec.trialId(), "gradtune trial " + spec.trialId(), true);
            TrialOutcome outcome = null;
            String error = null;
            try {
                List<String> out = sc.parallelize(List.of(json), 1).map(new TrainTrialFunction(data)).collect();
                Decoded<TrialOutcome> d = ProtocolCodec.decodeTrialOutcome(out.get(0));
                if (d.isAccepted()) {
                    outcome = d.value();
                } else {
                    error = "unreadable trial outcome: " + d.reason();
                }
            } catch (Exception e) {
                // Spark throws its checked SparkException here (job cancelled or task failed) without declaring it.
                error = e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
            } finally {
                sc.clearJobGroup();
            }
            done.accept(outcome, error);
        });
    }

    /** Cancels a trial's job group; the task is interrupted and stops within one mini-batch. */
    public void cancel(String trialId) {
        sc.cancelJobGroup(trialId);
    }

    /** Cancels every running trial (the study is giving up). */
    public void cancelAll() {
        sc.cancelAllJobs();
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    @Override
    public void close() {
        submitters.shutdownNow();
        sc.close();
    }
}
