package io.gradtune.driver.exec;

import io.gradtune.driver.distributed.DataParallelSettings;
import io.gradtune.driver.distributed.DataParallelTrial;
import io.gradtune.worker.data.DataLoader;
import io.gradtune.worker.data.SharedData;
import io.gradtune.worker.protocol.Decoded;
import io.gradtune.worker.protocol.ProtocolCodec;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.protocol.TrialSpec;
import io.gradtune.worker.secret.MissingSecretException;
import io.gradtune.worker.telemetry.KafkaMetricsPublisher;
import io.gradtune.worker.telemetry.KafkaVerdicts;
import io.gradtune.worker.telemetry.MetricsPublisher;
import io.gradtune.worker.telemetry.Verdicts;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.scheduler.TaskSchedulerImpl;
import org.apache.spark.status.api.v1.ExecutorSummary;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs each trial as its own Spark job of one task, with the trial id as job group, so a trial can be
 * cancelled alone. As many trials are in flight as the cluster has task slots now ({@link #slots()}, re-read from
 * Spark's executor list at most every {@value #SLOT_REFRESH_MILLIS} ms, so executors that join get trials and
 * executors that leave stop counting); by default a trial is one task of one core and trains with one native
 * thread (OMP_NUM_THREADS=1), so trials, not threads, use the cores.
 *
 * <p>Attempts: a trial's task may run {@link #maxAttempts()} times (Spark's task failure limit, which the study
 * sets from {@code spark.max_attempts}). An attempt whose executor is lost, or whose training code fails, is rerun
 * by Spark as the next attempt, on whichever executor has a free slot; {@link #onAttemptStarted} reports each attempt
 * Spark starts (the study accepts records only of those), and the driver's study lets the newer attempt's records
 * replace the older's. The last attempt of a trial whose code failed returns its FAILED outcome, so the
 * trial ends with the worker's own error ({@link TrainTrialFunction}); a job that fails without an outcome on its
 * last attempt (a lost executor) ends with Spark's cause and attempt count ({@link JobEnd#failed}).
 *
 * <p>The study's data reaches the executors as one broadcast ({@link #share}), which each executor JVM fetches once
 * and every trial's task then finds in that JVM.
 *
 * <p>Data-parallel trials ({@link #trainDataParallel}, {@code training.workers: N}): a trial is not one task but a
 * {@link DataParallelTrial} run on its submitter thread in the driver, whose dl4j-spark jobs (N tasks each) carry the
 * trial id as job group, so {@link #cancel} stops it as it stops a task; it occupies N slots
 * ({@link TaskSlots#of(List, int, TaskSlots.DynamicAllocation, int)}). It has one attempt (0), reported as started
 * when it starts; its jobs' task attempts (Spark's retries of one partition) are not trial attempts.
 */
public final class SparkTrialExecutor implements AutoCloseable {

    /**
     * Spark's {@code spark.redaction.regex} unless set: its default ({@code secret|password|token|access[.]key}) widened
     * to gradtune's rule for secret settings ({@code io.gradtune.worker.secret.Redaction}), so Spark's UI, event log
     * and REST API hide what gradtune's reports hide.
     */
    static final String REDACTION_REGEX = "(?i)secret|password|token|key|jaas|credential";

    private static final scala.reflect.ClassTag<String> STRING = scala.reflect.ClassTag$.MODULE$.apply(String.class);

    /** The slot count is read from Spark's status store at most this often. */
    static final long SLOT_REFRESH_MILLIS = 200;

    private final JavaSparkContext sc;
    private final ExecutorService submitters;
    private final int taskCpus;
    private final int maxAttempts;
    private final TaskSlots.DynamicAllocation dynamicAllocation;
    private final Object slotLock = new Object();
    private TaskSlots slots;
    private long slotsReadNanos;
    private volatile Broadcast<SharedData> data;
    private volatile Broadcast<byte[]> initModel;
    private volatile int trialWorkers = 1;
    private volatile ObjIntConsumer<String> attemptStarted = (trial, attempt) -> { };
    private final Map<String, AtomicBoolean> stopFlags = new ConcurrentHashMap<>();
    private final RunningTasks runningTasks = new RunningTasks();

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
        sc.sc().addSparkListener(runningTasks);
        this.taskCpus = sc.getConf().getInt("spark.task.cpus", 1);
        // The scheduler's own limit: local[N,F] masters take F from the master URL, not from spark.task.maxFailures.
        this.maxAttempts = sc.sc().taskScheduler() instanceof TaskSchedulerImpl scheduler ? scheduler.maxTaskFailures()
                : sc.getConf().getInt("spark.task.maxFailures", 4);
        this.dynamicAllocation = sc.isLocal() || !sc.getConf().getBoolean("spark.dynamicAllocation.enabled", false)
                ? TaskSlots.DynamicAllocation.OFF
                : new TaskSlots.DynamicAllocation(true, sc.getConf().getInt("spark.dynamicAllocation.maxExecutors",
                        Integer.MAX_VALUE), sc.getConf().getInt("spark.executor.cores", 0));
        // One thread per trial in flight; the proposal loop bounds how many that is, and it changes with the cluster.
        this.submitters = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "gradtune-trial-submitter");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * JVM flags of executor JVMs the cluster manager starts (local mode's one JVM gets the same from the launcher,
     * {@code ./gradtune}): C1 only and the parallel collector. Measured (BENCHMARKS.md, "Session 11: the JVM's own
     * CPU"): a trial's numbers are native code, while C2 spent most of the JIT's CPU compiling Spark, Kafka, Jackson
     * and ND4J glue, and G1's threads ran beside the trials; with both flags the unpruned bench study used 0.83-0.87 x
     * the CPU seconds (the trials' own threads 17-19 % more, as C1 code), same trials.csv. Set as {@code spark.executor.defaultJavaOptions} when not set, so a user's
     * {@code spark.executor.extraJavaOptions} (appended after it by Spark) wins, except for another collector, which
     * the JVM refuses beside this one: to choose one, set {@code spark.executor.defaultJavaOptions}.
     */
    static final String EXECUTOR_JVM_FLAGS = "-XX:TieredStopAtLevel=1 -XX:+UseParallelGC";

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
                .setIfMissing("spark.executor.defaultJavaOptions", EXECUTOR_JVM_FLAGS)
                .setIfMissing("spark.ui.enabled", "false")
                .setIfMissing("spark.ui.showConsoleProgress", "false")
                .setIfMissing("spark.executorEnv.OMP_NUM_THREADS", "1")
                .setIfMissing("spark.scheduler.mode", "FAIR")
                .setIfMissing("spark.redaction.regex", REDACTION_REGEX);
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

    /** Number of trials to keep in flight now: {@link TaskSlots#inFlight()} of {@link #taskSlots()}. */
    public int slots() {
        return taskSlots().inFlight();
    }

    /**
     * The cluster's task slots now: read from Spark's executor list (the status store behind
     * {@code SparkStatusTracker}, whose public view lacks the executors' cores) at most every
     * {@value #SLOT_REFRESH_MILLIS} ms, else the last reading. Cheap: a scan of the live executors.
     */
    public TaskSlots taskSlots() {
        synchronized (slotLock) {
            long now = System.nanoTime();
            if (slots == null || now - slotsReadNanos >= SLOT_REFRESH_MILLIS * 1_000_000) {
                slots = TaskSlots.of(liveExecutors(), taskCpus, dynamicAllocation, trialWorkers);
                slotsReadNanos = now;
            }
            return slots;
        }
    }

    /**
     * Attempts a trial's task may take: the task scheduler's failure limit ({@code spark.task.maxFailures}, or F of
     * a {@code local[N,F]} master; 1 for {@code local[N]}, which never retries).
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** {@code spark.task.cpus}: cores, and native threads, one trial gets. */
    public int taskCpus() {
        return taskCpus;
    }

    /**
     * The active executors with the cores each offers. {@code SparkStatusTracker.getExecutorInfos()} has no core
     * count, so this reads the same store it reads ({@code AppStatusStore.executorList}, Spark-internal but
     * public in bytecode; the REST API's {@code ExecutorSummary} is its public model).
     */
    private List<TaskSlots.Executor> liveExecutors() {
        List<TaskSlots.Executor> live = new ArrayList<>();
        scala.collection.Iterator<ExecutorSummary> it = sc.sc().statusStore().executorList(true).iterator();
        while (it.hasNext()) {
            ExecutorSummary e = it.next();
            live.add(new TaskSlots.Executor(e.id(), e.hostPort(), e.totalCores(), e.isExcluded()));
        }
        return live;
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
     * Broadcasts the bytes of a fine-tuned study's saved model ({@code model.init_from}): each executor JVM writes them
     * to a local file once and its trials restore the model from there, so the path need not exist on the executors.
     */
    public void shareInitModel(byte[] bytes) {
        initModel = sc.broadcast(bytes);
    }

    /**
     * How a trial's Spark job ended.
     *
     * @param outcome  the worker's outcome of the trial's last attempt, or null when the job failed or was cancelled
     * @param error    why the job failed or was cancelled, null when an outcome came back
     * @param attempts task attempts the job took when known: the outcome's attempt + 1, or Spark's count when the
     *                 task failed on every attempt; 0 when unknown (a cancelled job)
     */
    public record JobEnd(TrialOutcome outcome, String error, int attempts) {

        /**
         * Spark's message when a task failed on every attempt: {@code Task 0 in stage 7.0 failed 2 times, most recent
         * failure: Lost task 0.1 in stage 7.0 (TID 9) (host executor 2): <cause>}.
         */
        private static final Pattern TASK_FAILED = Pattern.compile("failed (\\d+) times?, most recent failure: "
                + "(?:Lost task \\S+ in stage \\S+ \\(TID \\d+\\) \\([^)]*\\): )?(.*)");

        static JobEnd of(TrialOutcome outcome) {
            return new JobEnd(outcome, null, outcome.attempt() + 1);
        }

        /**
         * The end of a job that threw (Spark's checked SparkException: cancelled, or the task failed on every
         * attempt): the cause's first line and the attempt count when Spark's message gives them, else the
         * exception's first line and 0.
         */
        static JobEnd failed(Exception e) {
            String first = firstLine(e.getMessage());
            Matcher m = TASK_FAILED.matcher(first);
            if (m.find()) {
                return new JobEnd(null, m.group(2), Integer.parseInt(m.group(1)));
            }
            return new JobEnd(null, e.getClass().getSimpleName() + ": " + first, 0);
        }
    }

    /**
     * Makes every trial submitted from now on data-parallel over {@code workers} partitions ({@code training.workers};
     * 1: one task per trial, the default) with dl4j-spark's default averaging frequency; the slot count then counts
     * {@code workers} slots per trial.
     */
    public void trainDataParallel(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("training.workers must be at least 1, was " + workers);
        }
        synchronized (slotLock) {
            trialWorkers = workers;
            slots = null; // recount with the new width
        }
    }

    /** Partitions per trial: 1, or N of {@code training.workers: N}. */
    public int trialWorkers() {
        return trialWorkers;
    }

    /**
     * Submits a trial. {@code done} receives how its job ended (the worker's outcome, or the error when the Spark
     * job failed or was cancelled); it runs on a submitter thread.
     */
    public void submit(TrialSpec spec, Consumer<JobEnd> done) {
        if (trialWorkers > 1) {
            submitDataParallel(spec, done);
            return;
        }
        String json = ProtocolCodec.encode(spec);
        submitters.execute(() -> {
            sc.setJobGroup(spec.trialId(), "gradtune trial " + spec.trialId(), true);
            sc.setLocalProperty(TrainTrialFunction.MAX_ATTEMPTS, String.valueOf(maxAttempts));
            JobEnd end;
            try {
                // runJob with a named function, not map(fn).collect(): no closure cleaning per trial (TrialJobFunction)
                String[] out = (String[]) sc.sc().runJob(sc.parallelize(List.of(json), 1).rdd(),
                        new TrialJobFunction(new TrainTrialFunction(data, initModel)), STRING);
                Decoded<TrialOutcome> d = ProtocolCodec.decodeTrialOutcome(out[0]);
                end = d.isAccepted() ? JobEnd.of(d.value()) : new JobEnd(null, "unreadable trial outcome: " + d.reason(), 0);
            } catch (Exception e) {
                // Spark throws its checked SparkException here (job cancelled or task failed) without declaring it.
                end = JobEnd.failed(e);
            } finally {
                sc.clearJobGroup();
                sc.setLocalProperty(TrainTrialFunction.MAX_ATTEMPTS, null);
            }
            done.accept(end);
        });
    }

    /**
     * A data-parallel trial on a submitter thread: the driver's own {@link DataParallelTrial}, its Spark jobs in the
     * trial's job group (marked {@link AttemptStartListener#DATA_PARALLEL}, so their tasks are not taken for trial
     * attempts); its one attempt is reported started before it trains.
     */
    private void submitDataParallel(TrialSpec spec, Consumer<JobEnd> done) {
        AtomicBoolean stop = new AtomicBoolean();
        stopFlags.put(spec.trialId(), stop);
        submitters.execute(() -> {
            sc.setJobGroup(spec.trialId(), "gradtune data-parallel trial " + spec.trialId(), true);
            sc.setLocalProperty(AttemptStartListener.DATA_PARALLEL, "true");
            JobEnd end;
            try {
                if (data != null) {
                    DataLoader.provide(spec.data(), data::value);
                }
                attemptStarted.accept(spec.trialId(), 0);
                end = JobEnd.of(runDataParallel(spec, stop));
            } catch (RuntimeException e) {
                end = JobEnd.failed(e);
            } finally {
                sc.clearJobGroup();
                sc.setLocalProperty(AttemptStartListener.DATA_PARALLEL, null);
                stopFlags.remove(spec.trialId());
            }
            done.accept(end);
        });
    }

    private TrialOutcome runDataParallel(TrialSpec spec, AtomicBoolean stop) {
        MetricsPublisher publisher;
        try {
            publisher = KafkaMetricsPublisher.shared(spec.kafkaBootstrap(), spec.metricsTopic(), spec.kafkaProperties(),
                    spec.kafkaOutageTolerance());
        } catch (MissingSecretException | IllegalArgumentException e) {
            return TrialOutcome.of(spec.study(), spec.trialId(), 0, TrialOutcome.Status.FAILED, 0, Double.NaN,
                    Double.NaN, Double.NaN, 0, 0, "cannot start the driver's Kafka producer for a data-parallel trial: "
                            + e.getMessage());
        }
        Verdicts verdicts = null;
        if (spec.controlTopic() != null && spec.decisionEpochs() != null) {
            try {
                verdicts = KafkaVerdicts.shared(spec.kafkaBootstrap(), spec.controlTopic(), spec.kafkaProperties());
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(SparkTrialExecutor.class).warn("no verdict reader for {} ({}): trial {} "
                        + "trains on at its decision epochs; the driver's cancel stops it", spec.controlTopic(),
                        e.toString(), spec.trialId());
            }
        }
        return new DataParallelTrial(sc, trialWorkers, DataParallelSettings.DEFAULT_AVERAGING_FREQUENCY, publisher,
                verdicts).run(spec, stop::get);
    }

    /**
     * Calls {@code started} with (trial id, attempt number) each time Spark starts a task attempt of a trial, the
     * first and every rerun (on Spark's listener-bus thread, asynchronously: a fast attempt's first records may
     * arrive before its start). This is how the study learns which attempts are real.
     */
    public void onAttemptStarted(ObjIntConsumer<String> started) {
        attemptStarted = started;
        sc.sc().addSparkListener(new AttemptStartListener(started));
    }

    /**
     * Cancels a trial's job group; the task is interrupted and stops within one mini-batch (a data-parallel trial:
     * its running round's job is cancelled and its loop stops).
     */
    public void cancel(String trialId) {
        AtomicBoolean stop = stopFlags.get(trialId);
        if (stop != null) {
            stop.set(true);
        }
        sc.cancelJobGroup(trialId);
    }

    /** Cancels every running trial (the study is giving up). */
    public void cancelAll() {
        stopFlags.values().forEach(f -> f.set(true));
        sc.cancelAllJobs();
    }

    /** Spark tasks running now (trials' tasks, including cancelled ones whose thread has not returned yet). */
    public int runningTasks() {
        return runningTasks.count();
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    /** How long {@link #close} waits for running tasks (a cancelled trial's thread finishing its mini-batch). */
    static final long TASK_DRAIN_MILLIS = 60_000;

    /**
     * Stops Spark once no task runs. A cancelled trial's job ends on the driver at once, but its task thread trains
     * on until its next mini-batch check; stopping Spark under it clears the block manager the task still holds
     * read locks in (its task binary, the data broadcast). So: cancel what still runs (nothing, after a study that
     * ended normally), wait up to {@value #TASK_DRAIN_MILLIS} ms for Spark to report every task's end, then stop.
     */
    @Override
    public void close() {
        drainTasks();
        sc.close();
    }

    /**
     * As {@link #close}, with Spark's stop on a new thread, returned, so the caller can stop other services (the
     * embedded broker) meanwhile and join it. The tasks are drained here first, on the caller's thread.
     */
    public Thread closeInBackground() {
        drainTasks();
        Thread t = new Thread(sc::close, "gradtune-spark-stop");
        t.start();
        return t;
    }

    /** The first half of {@link #close}: no new submissions, running tasks cancelled and waited for. */
    private void drainTasks() {
        submitters.shutdownNow();
        try {
            if (runningTasks.count() > 0) {
                sc.cancelAllJobs();
                if (!runningTasks.awaitNone(TASK_DRAIN_MILLIS)) {
                    System.err.println("gradtune: " + runningTasks.count() + " Spark task(s) still running after "
                            + TASK_DRAIN_MILLIS / 1000 + " s; stopping Spark anyway");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();   // stop at once; the interrupt stays set for the caller
        }
    }
}
