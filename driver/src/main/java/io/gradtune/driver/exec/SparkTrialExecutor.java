package io.gradtune.driver.exec;

import io.gradtune.worker.protocol.Decoded;
import io.gradtune.worker.protocol.ProtocolCodec;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.protocol.TrialSpec;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;

/**
 * Runs each trial as its own Spark job of one task, with the trial id as job group, so a trial can be
 * cancelled alone. As many trials are in flight as the cluster has task slots ({@link #slots()}); every
 * executor trains with one native thread (OMP_NUM_THREADS=1), so trials, not threads, use the cores.
 */
public final class SparkTrialExecutor implements AutoCloseable {

    private final JavaSparkContext sc;
    private final ExecutorService submitters;
    private final int slots;

    public SparkTrialExecutor(String master, String appName, Map<String, String> properties) {
        SparkConf submitted = new SparkConf();   // spark.* system properties: spark-submit's --master and --conf
        String ignored = ignoredSubmitMaster(submitted, master);
        if (ignored != null) {
            System.err.println("gradtune: spark.master " + ignored + " (spark-submit's --master, default local[*], or "
                    + "-Dspark.master) is not used: the study runs on " + master
                    + " (--master after 'run', else the config's spark.master)");
        }
        SparkConf conf = sparkConf(submitted, master, appName, properties);
        this.sc = new JavaSparkContext(conf);
        this.slots = Math.max(1, sc.defaultParallelism());
        this.submitters = Executors.newFixedThreadPool(slots, r -> {
            Thread t = new Thread(r, "gradtune-trial-submitter");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The study's Spark configuration, in increasing precedence: gradtune's defaults, what {@code base} already holds
     * (for a real run the {@code spark.*} system properties, which is where spark-submit puts its {@code --conf}
     * values), then the config's {@code spark.properties}. The master and application name are always the study's.
     *
     * <p>Driver host and bind address: on a local master ({@link #isLocalMaster}) every executor runs on this
     * machine, so the driver listens on 127.0.0.1 only. On any other master they are left to Spark's own
     * defaults (this host's name and address, or {@code SPARK_LOCAL_IP} / {@code SPARK_LOCAL_HOSTNAME}), so
     * executors on other hosts can reach the driver; set {@code spark.driver.host} / {@code
     * spark.driver.bindAddress} in {@code spark.properties} or with {@code --conf} to choose.
     *
     * @param base a SparkConf whose entries win over gradtune's defaults; it is modified and returned
     */
    static SparkConf sparkConf(SparkConf base, String master, String appName, Map<String, String> properties) {
        SparkConf conf = base.setMaster(master).setAppName(appName)
                .setIfMissing("spark.ui.enabled", "false")
                .setIfMissing("spark.ui.showConsoleProgress", "false")
                .setIfMissing("spark.executorEnv.OMP_NUM_THREADS", "1")
                .setIfMissing("spark.task.maxFailures", "2")
                .setIfMissing("spark.scheduler.mode", "FAIR");
        if (isLocalMaster(master)) {
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1")
                    .setIfMissing("spark.driver.host", "127.0.0.1");
        }
        properties.forEach(conf::set);
        return conf;
    }

    /**
     * True for masters whose executors all run on this machine: {@code local}, {@code local[...]} and
     * {@code local-cluster[...]}.
     */
    static boolean isLocalMaster(String master) {
        String m = master.trim();
        return m.equals("local") || m.startsWith("local[") || m.startsWith("local-cluster[");
    }

    /**
     * The master spark-submit passed ({@code spark.master} in {@code submitted}) when it differs from the study's
     * and so is not used, else null.
     */
    static String ignoredSubmitMaster(SparkConf submitted, String master) {
        String m = submitted.get("spark.master", null);
        return m == null || m.equals(master) ? null : m;
    }

    /** Number of trials that can train at once. */
    public int slots() {
        return slots;
    }

    public String sparkVersion() {
        return sc.version();
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
                List<String> out = sc.parallelize(List.of(json), 1).map(new TrainTrialFunction()).collect();
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
