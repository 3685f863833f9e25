package io.gradtune.driver.run;

import io.gradtune.driver.config.ConfigException;
import io.gradtune.driver.config.KafkaSecrets;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.console.ProgressMode;
import io.gradtune.driver.console.ProgressReporter;
import io.gradtune.driver.console.ProgressSnapshot;
import io.gradtune.driver.data.StudyData;
import io.gradtune.driver.diagnose.ChanceLevel;
import io.gradtune.driver.diagnose.Remedies;
import io.gradtune.driver.exec.SparkTrialExecutor;
import io.gradtune.driver.exec.TaskSlots;
import io.gradtune.driver.journal.Journal;
import io.gradtune.driver.journal.RunDirectory;
import io.gradtune.driver.rank.Leaderboard;
import io.gradtune.worker.data.StratifiedSplit;
import io.gradtune.driver.insight.BestModelImportance;
import io.gradtune.driver.refit.RefitPlan;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import io.gradtune.driver.refit.RefitTrainer;
import io.gradtune.driver.refit.StudyRefit;
import io.gradtune.driver.refit.TestFigure;
import io.gradtune.driver.report.AtomicFiles;
import io.gradtune.driver.report.MetricsLog;
import io.gradtune.driver.report.ParquetExports;
import io.gradtune.driver.report.Provenance;
import io.gradtune.driver.report.StudySummary;
import io.gradtune.driver.report.ThrottledFileWriter;
import io.gradtune.driver.report.TrialsCsvRenderer;
import io.gradtune.driver.report.TrialsCsv;
import io.gradtune.driver.report.html.HtmlReport;
import io.gradtune.driver.report.html.LiveReport;
import io.gradtune.driver.report.html.LiveServer;
import io.gradtune.driver.search.RepairingSampler;
import io.gradtune.driver.search.Sampler;
import io.gradtune.driver.search.SearchHistory;
import io.gradtune.driver.stream.EmbeddedKafka;
import io.gradtune.driver.stream.MetricsConsumer;
import io.gradtune.driver.stream.MetricsSink;
import io.gradtune.driver.stream.OutageMonitor;
import io.gradtune.driver.stream.Topics;
import io.gradtune.driver.stream.TrialEventPublisher;
import io.gradtune.driver.stream.VerdictPublisher;
import io.gradtune.driver.study.RunId;
import io.gradtune.driver.study.Study;
import io.gradtune.driver.study.TrialResult;
import io.gradtune.driver.study.TrialState;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.protocol.TrialSpec;
import io.gradtune.worker.secret.SecretResolver;
import io.gradtune.worker.protocol.Verdict;
import io.gradtune.worker.stopping.Decision;
import io.gradtune.worker.stopping.TrialStopping;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Runs one study end to end: brings up Kafka (embedded or external), the metrics consumer and Spark; keeps
 * every task slot busy with proposals (the slots the cluster has now, re-read as the loop goes round); lets
 * stopping rules cancel trials as their records stream in; and writes the run directory as trials finish, so an
 * interrupted study keeps what it finished.
 *
 * <p>This is the application's top layer (package {@code run}): it wires Spark ({@code exec}), Kafka
 * ({@code stream}), the domain ({@code study}, {@code search}, {@code stopping}) and the reports ({@code rank},
 * {@code report}); no other package imports it except the CLI and the benchmarks.
 *
 * <p>Every Kafka client of the study gets {@code kafka.properties}: the driver's admin client, consumer and event
 * publisher with {@code ${env:NAME}} placeholders resolved here, before anything starts (a missing variable is a
 * {@link io.gradtune.driver.config.ConfigException}, exit 2); the workers' producers through the {@link TrialSpec},
 * which carries the properties as written, placeholders unresolved, for each executor to resolve from its own
 * environment.
 *
 * <p>If the metrics consumer dies, the study fails loudly: no new trials, the running ones are cancelled, the
 * reports are written with {@code "status": "failed"} and the reason, and {@link Outcome#failure()} is set (exit 1).
 *
 * <p>The run directory: {@link #run()} refuses one that holds anything (unless {@link #overwrite}; then it is
 * cleared only once Kafka, Spark and the data are up, so a study that fails to start leaves the old run as it was),
 * and holds its lock while it runs. Every trial's lifecycle goes to the run's journal ({@link StudyJournal}) before
 * the driver acts on it; {@link #resume()} replays it and runs the rest of the budget. {@link #interrupt} (a signal)
 * stops the study cleanly: no new trials, the running ones cancelled and recorded INTERRUPTED, the reports written
 * with {@code "status": "interrupted"}.
 *
 * <p>Kafka outages: an {@link OutageMonitor} logs and counts every outage while the study runs, and study.json's
 * {@code kafka} section reports them with the event sends that failed and the epoch records that never arrived.
 * Producers ride out an outage of up to {@code kafka.outage_tolerance}; a study that lost records (or saw an outage
 * longer than the tolerance, during which any running trial may have) ends with {@link Outcome#failure()} set
 * (exit 1), its results kept.
 *
 * <p>Refit: a study that ended normally (not on a signal or a failure) refits its best trial on train + validation in
 * this JVM and scores it once on the test part before the reports are written ({@link StudyRefit}); the plan and the
 * figure are journaled, so a resume after a crash during the refit refits again without training any trial.
 */
public final class StudyRunner {

    /**
     * How long a finished trial's epoch records may take to arrive through Kafka beyond the outage tolerance: a
     * completed attempt's records were all acknowledged by the broker, so only the consumer's lag and another outage
     * (up to the tolerance) can delay them.
     */
    static final long RECORD_WAIT_MILLIS = 30_000;

    /**
     * How long a failed trial's records may take to arrive: a failed attempt's last records may be lost for good (the
     * reason it failed), so its trial does not wait out a whole outage tolerance for them.
     */
    static final long FAILED_RECORD_WAIT_MILLIS = 10_000;

    /**
     * How long the end of a study may spend reading the metrics topic to the end it has when the last trial ends, so
     * that every record published before then is counted (milliseconds on a reachable broker).
     */
    static final Duration END_OF_TOPIC_WAIT = Duration.ofSeconds(2);

    /**
     * What a finished study returns to the CLI and tests.
     *
     * @param records         what the study did with the epoch records it received
     * @param recordsRejected records the consumer skipped before the study saw them (malformed, of an unknown schema
     *                        version, of another study)
     * @param failure         why the study failed (the metrics stream died, ...), or null when it ran to its end
     */
    public record Outcome(Path runDir, List<TrialResult> results, Leaderboard leaderboard, Study.RecordCounts records,
                          long recordsRejected, String failure, Ended ended) {
    }

    /**
     * Why a study ended, in study.json ({@code ended}) and on the last console line.
     *
     * @param reason {@code budget}, {@code time_limit}, {@code target}, {@code grid_exhausted}, {@code signal} or
     *               {@code failure}
     * @param detail for people: counts, the limit, the signal's name, the failure
     */
    public record Ended(String reason, String detail) {
        public static final String BUDGET = "budget";
        public static final String TIME_LIMIT = "time_limit";
        public static final String TARGET = "target";
        public static final String GRID_EXHAUSTED = "grid_exhausted";
        public static final String SIGNAL = "signal";
        public static final String FAILURE = "failure";
    }

    /** The run directory holds a study and {@code run} was not told to overwrite it. */
    public static final class RunDirectoryInUse extends RuntimeException {
        public RunDirectoryInUse(String message) {
            super(message);
        }
    }

    private final StudyConfig config;
    private final Sampler sampler;
    /** The console as given. */
    private final PrintStream console;
    /** Where the study prints: the console, or while a study runs its progress reporter's lines. */
    private volatile PrintStream out;
    private ProgressMode progressMode = ProgressMode.PLAIN;
    private volatile ProgressReporter progress;
    private final UnaryOperator<MetricsSink> sinkWrapper;
    /** This run's id (one per process invocation), carried by every trial spec, epoch record and trial event. */
    private final String runId = RunId.generate();
    /** The epochs after which a comparative rule decides and the worker waits for the driver's verdict. */
    private final List<Integer> decisionEpochs;
    private final Object progressLock = new Object();
    /**
     * trials.csv while the study runs: rewritten off the trials' threads, at most once per
     * {@link #TRIALS_CSV_INTERVAL_MILLIS} (the journal holds every end durably at once); guarded by progressLock.
     */
    private ThrottledFileWriter trialsCsv;
    private boolean trialsCsvClosed;
    /** The least time between two progress rewrites of trials.csv. */
    public static final long TRIALS_CSV_INTERVAL_MILLIS = 1000;
    private Consumer<TrialSpec> specObserver = spec -> { };
    private boolean overwrite;
    private boolean resuming;
    private Map<String, Object> launch = Map.of();
    /** The signal that stopped the study (SIGINT, SIGTERM), or null. */
    private volatile String interruptedBy;
    private volatile Study liveStudy;
    /** The live view ({@code --ui-port}), bound by the command before the study starts; null without one. */
    private LiveServer liveServer;
    private Thread warmUp;
    /** The study's data as the driver read and split it: from {@link #withData}, else read when Spark starts. */
    private StudyData data;
    /** The refit plan of the study's end, for the best trial's feature importance. */
    private RefitPlan refitPlan;
    /** The feature importance computed beside the refit, or null when the refit did not run in this study. */
    private Background<TimedImportance> importanceBesideRefit;
    /** Each submitted trial's seed, for the refit of the best. */
    private final Map<String, Long> seeds = new java.util.concurrent.ConcurrentHashMap<>();
    /** A broker whose start began before the study's ({@link #brokerHeadStart}), or null. */
    private BrokerHeadStart brokerHeadStart;

    /**
     * @param config  the study; its {@code stopping} settings give the stopping policy and diagnosis thresholds
     * @param sampler proposes the trials
     * @param out     where progress is printed
     */
    public StudyRunner(StudyConfig config, Sampler sampler, PrintStream out) {
        this(config, sampler, out, UnaryOperator.identity());
    }

    /** For tests: {@code sinkWrapper} wraps what the metrics consumer hands its records to. */
    StudyRunner(StudyConfig config, Sampler sampler, PrintStream out, UnaryOperator<MetricsSink> sinkWrapper) {
        this.config = config;
        this.decisionEpochs = config.stopping().toPolicy(config.training().epochs())
                .decisionEpochs(config.training().epochs());
        this.sampler = sampler;
        this.console = out;
        this.out = out;
        this.sinkWrapper = sinkWrapper;
    }

    /** For tests: sees every trial spec just before its Spark job is submitted. */
    void observeSpecs(Consumer<TrialSpec> observer) {
        this.specObserver = observer;
    }

    /** This run's id: the study accepts only epoch records that carry it. */
    public String runId() {
        return runId;
    }

    /**
     * The study's data as {@link Preflight#beforeRun} already read, checked and split it, so it is not read again;
     * null (the default): the study reads it when Spark has started.
     */
    public StudyRunner withData(StudyData prepared) {
        this.data = prepared;
        return this;
    }

    /**
     * How progress is shown while trials run ({@code --progress}): {@link ProgressMode#LINE}, a status line redrawn
     * in place on a terminal, or {@link ProgressMode#PLAIN} (the default), log lines with a periodic summary. See
     * {@link ProgressReporter}.
     */
    public StudyRunner progress(ProgressMode mode) {
        this.progressMode = mode;
        return this;
    }

    /**
     * Serves the live report on {@code server} while the study runs ({@code --ui-port}); the caller bound it (a bad
     * port is a usage error before anything starts) and closes it.
     */
    public StudyRunner liveView(LiveServer server) {
        this.liveServer = server;
        return this;
    }

    /**
     * The embedded broker whose start {@code run} began as soon as it had read the config ({@link BrokerHeadStart});
     * the study takes it over where it would have started one. Null (the default): the study starts its own.
     */
    public StudyRunner brokerHeadStart(BrokerHeadStart started) {
        this.brokerHeadStart = started;
        return this;
    }

    /** {@code run --overwrite}: an existing run directory is cleared once the study has started. */
    public StudyRunner overwrite(boolean overwrite) {
        this.overwrite = overwrite;
        return this;
    }

    /**
     * How the study was launched (config file and text, command-line arguments), kept in the journal's
     * {@code study_started} so that {@code resume} can rebuild the config.
     */
    public StudyRunner launch(Map<String, Object> launch) {
        Map<String, Object> kept = new LinkedHashMap<>(launch);
        if (launch.get("config_text") instanceof String text) {
            // Literal secrets stay out of the run directory: resume takes them from the config file again.
            String redacted = redactedConfigText(config, text);
            kept.put("config_text", redacted);
            kept.put("config_redacted", !redacted.equals(text));
        }
        this.launch = kept;
        return this;
    }

    /**
     * A config's text as the journal keeps it: secrets written literally are replaced (as in study.json). A resumed
     * study whose journaled text was redacted reads the config file again, and uses it only when its redacted text is
     * the journaled one.
     */
    public static String redactedConfigText(StudyConfig config, String text) {
        return StudySummary.redactedConfigText(config, text);
    }

    /**
     * Stops the study cleanly (from a signal handler; returns at once): no new trials, the running ones cancelled
     * and recorded INTERRUPTED, the reports written; {@link #run()} then returns with {@link Ended#SIGNAL}.
     *
     * @param signal the signal's name, e.g. {@code SIGTERM}
     */
    public void interrupt(String signal) {
        interruptedBy = signal;
        Study study = liveStudy;
        if (study != null) {
            study.interrupt("received " + signal);
        }
    }

    /** Runs a new study into an empty (or, with {@link #overwrite}, any) run directory. */
    public Outcome run() throws InterruptedException {
        resuming = false;
        return start();
    }

    /**
     * Continues the study of the run directory's journal: finished trials are kept, trials that were running (or
     * interrupted) run again with their parameters and seed, and the sampler, replayed through the journal,
     * proposes the rest of the budget as it would have.
     */
    public Outcome resume() throws InterruptedException {
        resuming = true;
        return start();
    }

    /**
     * Refuses a run directory that holds a study when {@link #run()} was not told to {@link #overwrite} it. Called by
     * {@link #run()} before anything starts; callers may call it earlier.
     *
     * @throws RunDirectoryInUse when the directory holds anything but a lock
     */
    public void checkRunDirectory() {
        checkRunDirectory(config, overwrite);
    }

    /** {@link #checkRunDirectory()} before there is a runner: {@code run} calls it before anything starts. */
    public static void checkRunDirectory(StudyConfig config, boolean overwrite) {
        Path dir = config.outputDir().resolve(config.study());
        if (!overwrite && RunDirectory.hasContent(dir)) {
            throw new RunDirectoryInUse("the run directory " + dir + " already holds a study; continue it with "
                    + "./gradtune resume " + dir + ", or replace it with --overwrite");
        }
    }

    private Outcome start() throws InterruptedException {
        ProgressReporter reporter = ProgressReporter.system(console, progressMode);
        progress = reporter;
        out = reporter.lines();
        try {
            return startWithProgress();
        } finally {
            reporter.close();
            out = console;
        }
    }

    private Outcome startWithProgress() throws InterruptedException {
        Path dir = config.outputDir().resolve(config.study());
        // Before anything starts: the run directory is ours, or nothing happens (exit 2).
        if (!resuming) {
            checkRunDirectory();
        }
        if (resuming && !java.nio.file.Files.isRegularFile(dir.resolve(Journal.FILE))) {
            throw new RunDirectoryInUse("nothing to resume in " + dir + ": it has no " + Journal.FILE);
        }
        // Before anything starts: a placeholder whose variable is not set is a config error (exit 2).
        Map<String, String> clientProperties = KafkaSecrets.resolve(config, SecretResolver.jvmDefault());
        // The outermost directory this start creates: removed again if the study fails to start (nothing written).
        Path created = null;
        for (Path d = dir.toAbsolutePath(); d != null && !java.nio.file.Files.exists(d); d = d.getParent()) {
            created = d;
        }
        boolean started = false;
        try (RunDirectory.Lock lock = RunDirectory.lock(dir, note -> out.println("note: " + note))) {
            int temps = RunDirectory.removeTempFiles(dir);
            if (temps > 0) {
                out.println("note: removed " + temps + " temp file(s) an interrupted write left in " + dir);
            }
            if (config.kafka().embedded()) {
                for (Path leftover : EmbeddedKafka.removeLeftovers()) {
                    out.println("note: removed the log directory of a dead embedded broker: " + leftover);
                }
            }
            Outcome outcome = startLocked(clientProperties);
            started = true;
            return outcome;
        } finally {
            if (!started && created != null && !RunDirectory.hasContent(dir)) {
                try {
                    RunDirectory.deleteTree(created);
                } catch (java.io.IOException e) {
                    out.println("warning: cannot remove " + created + ": " + e.getMessage());
                }
            }
        }
    }

    private Outcome startLocked(Map<String, String> clientProperties) throws InterruptedException {
        long t0 = System.nanoTime();
        for (String field : KafkaSecrets.literalSecretFields(config.kafka())) {
            out.println("warning: " + field + " holds a secret written literally; it is sent to the executors in "
                    + "every trial spec (reports hide it). Write it as ${env:NAME} instead.");
        }
        // Compile the per-record decision path while the broker and Spark start (see DecisionWarmUp).
        warmUp = DecisionWarmUp.start(config);
        // Local trials train in this JVM: load ND4J's natives while the broker and Spark start (see NativeWarmUp).
        if (NativeWarmUp.trainsInThisJvm(config.spark().sparkMaster())) {
            NativeWarmUp.start(TrainingWarmUp.paramsIfApplies(config)); // and a tiny network's epoch (TrainingWarmUp)
        }
        Path runDir = config.outputDir().resolve(config.study());
        StudyConfig.Kafka kafkaConfig = config.kafka();
        EmbeddedKafka broker = null;
        // Spark starts (and the data is shared) on its own thread while the broker starts and the topics are made.
        ParallelStart<SparkTrialExecutor> spark = ParallelStart.begin("gradtune-spark-start", this::startSpark);
        ParallelStop sparkStop = null;
        KafkaStop kafkaStop = new KafkaStop();
        try {
            String bootstrap = kafkaConfig.bootstrap();
            if (kafkaConfig.embedded()) {
                out.println("starting embedded Kafka broker ...");
                broker = brokerHeadStart != null ? brokerHeadStart.join() : EmbeddedKafka.start(kafkaConfig.dataDir());
                kafkaStop.broker(broker);
                bootstrap = broker.bootstrapServers();
            }
            out.println("run id: " + runId);
            out.println("kafka: " + bootstrap + (clientProperties.isEmpty() ? ""
                    : "  client properties: " + String.join(", ", clientProperties.keySet())));
            for (Topics.State topic : Topics.ensure(bootstrap, clientProperties,
                    List.of(kafkaConfig.metricsTopic(), kafkaConfig.trialsTopic(), kafkaConfig.controlTopic()),
                    kafkaConfig.partitions(),
                    kafkaConfig.replicationFactor())) {
                out.println("  topic " + topic.describe());
            }
            SparkTrialExecutor executor = spark.join();
            sparkStop = new ParallelStop(executor);
            announceData();
            return runWith(executor, sparkStop, kafkaStop, bootstrap, clientProperties, runDir, t0);
        } finally {
            spark.closeIfUnclaimed();
            // Spark stops on its own thread (begun when runWith ended) while the producers close and the broker's stop,
            // begun when the study no longer needed Kafka (KafkaStop), ends.
            try {
                kafkaStop.await();
            } finally {
                if (sparkStop != null) {
                    sparkStop.await();
                }
            }
        }
    }

    private Outcome runWith(SparkTrialExecutor started, ParallelStop sparkStop, KafkaStop kafkaStop, String bootstrap,
                            Map<String, String> clientProperties, Path runDir, long t0) throws InterruptedException {
        StudyConfig.Kafka k = config.kafka();
        SparkTrialExecutor executor = started;
        try (ParallelStop stopsSpark = sparkStop; // closed last: tasks drained, then Spark's stop begins
             RunFiles resumed = openRunDirectory(runDir);
             MetricsLog metricsLog = resumed.metricsLog;
             LiveReport liveReport = new LiveReport(runDir, out::println).start();
             TrialEventPublisher events = new TrialEventPublisher(bootstrap, clientProperties, k.trialsTopic(),
                     config.study(), runId, k.outageTolerance());
             OutageMonitor monitor = new OutageMonitor(bootstrap, clientProperties, out::println).start();
             VerdictPublisher verdicts = new VerdictPublisher(bootstrap, clientProperties, k.controlTopic(),
                     k.outageTolerance());
             BackstopCancels backstop = new BackstopCancels(executor::cancel)) {
            StudyJournal journal = resumed.journal;
            if (liveServer != null) {
                liveServer.feed(liveReport);
                out.println("live view: " + liveServer.url());
            }
            ChanceLevel chance = chanceLevel(data);
            Study study = new Study(config, runId, chance, new Study.Listener() {
                @Override
                public void stopRequested(String trialId, Decision decision) {
                    // A stop the worker applies itself (its own rule, or a verdict it waits for) ends the trial with
                    // its outcome; the cancel follows as a backstop. Any other stop cancels at once.
                    if (TrialStopping.RULES.contains(decision.rule()) || decisionEpochs.contains(decision.epoch())) {
                        backstop.cancelLater(trialId);
                    } else {
                        executor.cancel(trialId);
                    }
                }

                @Override
                public void verdict(EpochMetrics record, Decision stop) {
                    verdicts.send(Verdict.of(config.study(), runId, record.trialId(), record.attempt(), record.epoch(),
                            stop != null, stop == null ? null : stop.rule()));
                }

                @Override
                public void event(String trialId, String event, Map<String, ?> fields) {
                    if (event.equals("stop_decided")) {
                        journal.stopDecided(trialId, fields); // durable before the trial is cancelled
                    }
                    events.publish(trialId, event, fields);
                }

                @Override
                public void recordAccepted(EpochMetrics m, String raw) {
                    try {
                        metricsLog.append(raw);
                        liveReport.accept(raw);
                    } catch (UncheckedIOException e) {
                        storageFailed(journal, runDir, e);
                    }
                }
            });
            journal.onFailure(reason -> stopOnStorageFailure(study, executor, runDir, reason));
            executor.onAttemptStarted(study::attemptStarted);
            List<StudyJournal.Pending> rerun = resumed.events.isEmpty() ? List.of()
                    : StudyJournal.replay(resumed.events, study, sampler, note -> out.println(note));
            study.recordTo(journal);
            journal.started(resuming ? "resume" : "run", launch);
            if (resuming) {
                out.printf(Locale.ROOT, "resuming %s: %d of %d trials finished, %d to run again%n", config.study(),
                        study.results().size(), study.size(), rerun.size());
            }
            liveStudy = study;
            if (interruptedBy != null) {
                study.interrupt("received " + interruptedBy);
            }
            try (MetricsConsumer consumer = new MetricsConsumer(bootstrap, clientProperties, k.metricsTopic(),
                    config.study(), sinkWrapper.apply(new MetricsSink() {
                        @Override
                        public void accept(EpochMetrics m, String raw) {
                            study.onEpoch(m, raw); // an accepted record reaches metrics.jsonl through the listener
                        }

                        @Override
                        public void endOfBatch() {
                            try {
                                metricsLog.flush();
                            } catch (UncheckedIOException e) {
                                storageFailed(journal, runDir, e);
                            }
                        }
                    }))) {
                warmUp.join(10_000); // normally long done: Spark took longer to start
                consumer.start();
                // Off the path to the first trial: Spark SQL's session (for the exports) and the provenance (the data's
                // digest, ND4J's build), collected now on their own threads, used when the study ends.
                Thread exportWarmUp = ParquetExports.warmUp(() -> session(executor));
                StudyConfig withData = config.withData(data.spec());
                java.util.concurrent.CompletableFuture<Map<String, Object>> provenance =
                        java.util.concurrent.CompletableFuture.supplyAsync(() -> Provenance.collect(withData), r -> {
                            Thread t = new Thread(r, "gradtune-provenance");
                            t.setDaemon(true);
                            t.start();
                        });
                TaskSlots slots = executor.taskSlots();
                out.printf(Locale.ROOT, "study %s: %s search, %d trials, %d epochs each, %d task slots on %d "
                                + "executor(s) now, followed while the study runs (spark %s)%n",
                        config.study(), config.search().algorithm(), config.search().maxTrials(),
                        config.training().epochs(), slots.slots(), slots.executors(), config.spark().master());
                progress.source(() -> snapshot(study));
                Ended ended = loop(study, executor, consumer, bootstrap, runDir, journal, rerun);
                // Every record that reached the topic before the study ended is counted in study.json, not only those
                // the consumer thread happened to read before it stopped (RecordFaultIT once counted 801 of its 1,000
                // forged records).
                consumer.finish(END_OF_TOPIC_WAIT);
                progress.close(); // the status line goes; the end of the study prints as plain lines
                liveReport.close(); // the periodic report.html stops; the end-of-run one is the last written
                List<TrialResult> results = study.results();
                Leaderboard board = new Leaderboard(config.objective(), results);
                double wall = (System.nanoTime() - t0) / 1e9;
                Study.RecordCounts counts = study.recordCounts();
                long eventsUnsent = events.awaitSent(Duration.ofSeconds(10));
                monitor.recheckIfDown(); // an outage that ended as the last trials finished is reported as ended
                OutageMonitor.Counts outages = monitor.counts();
                String failure = study.abortReason() != null ? study.abortReason()
                        : kafkaLoss(outages, study.recordsMissing());
                String status = failure != null ? "failed" : ended.reason().equals(Ended.SIGNAL) ? "interrupted"
                        : "finished";
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("status", status);
                if (failure != null) {
                    extra.put("failure", failure);
                }
                extra.put("ended", Map.of("reason", ended.reason(), "detail", ended.detail()));
                extra.put("provenance", provenance.join());
                extra.put("runId", runId);
                extra.put("records", RecordReport.of(counts, consumer));
                extra.put("kafka", kafkaSection(outages, events.sendFailures(), eventsUnsent, study.recordsMissing()));
                // Nothing after this goes through Kafka: its clients close and the embedded broker stops beside the
                // refit and the reports instead of after them (KafkaStop).
                kafkaStop.begin(consumer, verdicts, events, monitor);
                // The exports need only trials.csv's final rows and metrics.jsonl: written beside the refit and the
                // reports, moved into the run directory where they were written before (issue 14, item 3).
                StagedExports exports = startExports(runDir, results, metricsLog, executor, exportWarmUp);
                TestFigure test = null;
                if (status.equals("finished") && board.best() != null) {
                    test = refitBest(board.best(), study, runDir, journal, resumed.events, executor);
                    if (test != null) {
                        extra.put("test", test.toMap());
                        Map<String, Object> importance = featureImportance(runDir, importanceBesideRefit);
                        if (importance != null) {
                            extra.put(BestModelImportance.KEY, importance);
                        }
                    }
                }
                if (sampler instanceof RepairingSampler repairing) { // what search.repair learned: kind, fix, tried, succeeded
                    extra.put("repairs", repairing.learned(study.history()));
                }
                String reportFailure = null;
                try {
                    writeReports(runDir, results, board, executor.sparkVersion(), wall, extra, test);
                } catch (UncheckedIOException e) {
                    reportFailure = "cannot write the reports: " + e.getMessage() + (e.getCause() == null ? ""
                            : ": " + e.getCause().getMessage());
                }
                if (reportFailure != null) {
                    if (exports != null) {
                        exports.discard(); // the run directory keeps no exports the reports did not come with
                    }
                    // No study_ended in the journal: a resume writes the reports again.
                    failure = failure == null ? reportFailure : failure + "; " + reportFailure;
                    status = "failed";
                    out.println("error: " + reportFailure + "; every trial finished so far is in "
                            + runDir.resolve(Journal.FILE) + ": free space, then ./gradtune resume " + runDir);
                } else {
                    SparkSession sql = exports != null ? null : session(executor);
                    if (exports != null) {
                        commitExports(runDir, exports);
                    } else if (sql != null) {
                        writeExports(runDir, metricsLog, sql, exportWarmUp);
                    } else {
                        out.println("warning: Spark SQL is not on the driver's class path: no trials.parquet or "
                                + "epochs.parquet; ./gradtune export " + runDir + " writes them later");
                    }
                    journal.ended(status, ended.reason(), ended.detail());
                }
                if (failure != null) {
                    out.println("study failed: " + failure);
                }
                out.println("study " + status + ": " + ended.reason() + " (" + ended.detail() + ")");
                return new Outcome(runDir, results, board, counts, consumer.rejected(), failure, ended);
            }
        }
    }

    /** The run directory's journal and metrics log, and the journal's events when resuming. */
    private static final class RunFiles implements AutoCloseable {
        final Journal file;
        final StudyJournal journal;
        final MetricsLog metricsLog;
        final List<ObjectNode> events;

        RunFiles(Journal file, MetricsLog metricsLog, List<ObjectNode> events) {
            this.file = file;
            this.journal = new StudyJournal(file);
            this.metricsLog = metricsLog;
            this.events = events;
        }

        @Override
        public void close() {
            file.close();
        }
    }

    /**
     * Once Kafka, Spark and the data are up: a new study clears the directory when told to overwrite it; a resumed
     * one reads its journal and rewrites metrics.jsonl to hold exactly the records of its finished trials (records of
     * the trials that run again are dropped, records a crash kept from the file are restored from the journal).
     */
    private RunFiles openRunDirectory(Path runDir) {
        Path metrics = runDir.resolve("metrics.jsonl");
        if (!resuming) {
            if (overwrite && RunDirectory.hasContent(runDir)) {
                out.println("--overwrite: replacing the study in " + runDir);
                RunDirectory.clear(runDir);
            }
            return new RunFiles(Journal.open(runDir.resolve(Journal.FILE)), new MetricsLog(metrics, false), List.of());
        }
        List<ObjectNode> events = Journal.read(runDir.resolve(Journal.FILE));
        AtomicFiles.write(metrics, MetricsRecovery.keepFinished(metrics, events));
        return new RunFiles(Journal.open(runDir.resolve(Journal.FILE)), new MetricsLog(metrics, true), events);
    }

    /**
     * Why the study fails for Kafka although it ran to its end, or null: epoch records of finished trials never
     * arrived, or an outage outlasted the tolerance, so a running trial may have lost records.
     */
    private String kafkaLoss(OutageMonitor.Counts outages, long recordsMissing) {
        Duration tolerance = config.kafka().outageTolerance();
        if (recordsMissing > 0) {
            return recordsMissing + " epoch record(s) of finished trials never arrived through Kafka";
        }
        if (outages.longestSeconds() * 1000 > tolerance.toMillis()) {
            return String.format(Locale.ROOT, "Kafka was unreachable for %.1f s, longer than kafka.outage_tolerance "
                    + "(%s): records of the trials running then may have been lost", outages.longestSeconds(),
                    tolerance.toString().substring(2).toLowerCase(Locale.ROOT));
        }
        return null;
    }

    /** study.json's {@code kafka} section: outages seen, event sends that failed, records that never arrived. */
    private Map<String, Object> kafkaSection(OutageMonitor.Counts outages, long eventSendFailures, long eventsUnsent,
                                             long recordsMissing) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("outageToleranceSeconds", config.kafka().outageTolerance().toMillis() / 1000.0);
        m.put("outages", outages.outages());
        m.put("outageSeconds", Math.round(outages.outageSeconds() * 10) / 10.0);
        m.put("longestOutageSeconds", Math.round(outages.longestSeconds() * 10) / 10.0);
        m.put("eventSendFailures", eventSendFailures);
        m.put("eventsUnsent", eventsUnsent);
        m.put("recordsLost", recordsMissing);
        return m;
    }

    /** How long {@link Study#finish} waits for a trial's records, by how its job ended. */
    private long recordWaitMillis(SparkTrialExecutor.JobEnd end) {
        if (end.outcome() != null && end.outcome().status() == TrialOutcome.Status.FAILED) {
            return FAILED_RECORD_WAIT_MILLIS;
        }
        return config.kafka().outageTolerance().toMillis() + RECORD_WAIT_MILLIS;
    }

    /**
     * Starts Spark, then reads, checks and splits the study's data on the driver and broadcasts it, before the run
     * directory is created: bad data is a ConfigException (exit 2) with nothing written.
     */
    /** The fine-tuned study's saved model file ({@code model.init_from}), as the driver reads it. */
    private byte[] initModelBytes() {
        String path = config.training().fineTune().initFrom();
        try {
            return java.nio.file.Files.readAllBytes(java.nio.file.Path.of(path));
        } catch (java.io.IOException e) {
            throw new ConfigException(config.source() == null ? null
                    : config.source().toString(), "model.init_from", path, "cannot read it: " + e.getMessage());
        }
    }

    private SparkTrialExecutor startSpark() {
        SparkTrialExecutor executor = new SparkTrialExecutor(config.spark().sparkMaster(), "gradtune-" + config.study(),
                config.spark().sparkProperties());
        try {
            if (data == null) { // not read yet (Preflight reads local files before anything starts)
                data = StudyData.prepare(config, executor.sparkContext());
                Preflight.checkModel(config, data); // the model class against the data, before any trial
            }
            executor.share(data.shared());
            if (config.training().dataParallel()) { // each trial a dl4j-spark job of N partitions, N slots each
                executor.trainDataParallel(config.training().workers());
            }
            if (config.training().fineTuned()) { // executors restore the saved model from these bytes, not the path
                executor.shareInitModel(initModelBytes());
            }
            return executor;
        } catch (RuntimeException e) {
            executor.close();
            throw e;
        }
    }

    /** What {@link #startSpark} set up, printed once the broker is up too (in the order a sequential start printed). */
    private void announceData() {
        if (config.training().dataParallel()) {
            out.printf(Locale.ROOT, "data-parallel trials: %d workers each (parameter averaging every %d "
                    + "mini-batches), run by the driver%n", config.training().workers(),
                    io.gradtune.driver.distributed.DataParallelSettings.DEFAULT_AVERAGING_FREQUENCY);
        }
        out.println(data.summary());
    }

    private Ended loop(Study study, SparkTrialExecutor executor, MetricsConsumer consumer, String bootstrap,
                       Path runDir, StudyJournal journal, List<StudyJournal.Pending> rerun) throws InterruptedException {
        int max = config.search().maxTrials();
        long deadline = config.search().maxTime() == null ? Long.MAX_VALUE
                : System.nanoTime() + config.search().maxTime().toNanos();
        Ended ended = null;
        List<StudyJournal.Pending> again = new ArrayList<>(rerun);
        TaskSlots seen = executor.taskSlots();
        while (true) {
            Throwable dead = consumer.failure();
            if (dead != null && study.abortReason() == null) {
                String reason = "the metrics consumer stopped: " + dead;
                out.println("error: " + reason + "; no new trials, cancelling the running ones");
                study.abort(reason);
                executor.cancelAll();
                ended = new Ended(Ended.FAILURE, reason);
            }
            String signal = interruptedBy;
            if (signal != null && (ended == null || !ended.reason().equals(Ended.SIGNAL))
                    && study.abortReason() == null) {
                out.println(signal + ": no new trials, cancelling the running ones (a second signal exits at once)");
                study.interrupt("received " + signal);
                executor.cancelAll();
                ended = new Ended(Ended.SIGNAL, signal + " after " + study.results().stream()
                        .filter(r -> r.state().isFinal()).count() + " of " + max + " trials");
            }
            if (ended == null && System.nanoTime() > deadline) {
                ended = new Ended(Ended.TIME_LIMIT, "search.max_time " + config.search().maxTime() + " reached after "
                        + study.size() + " of " + max + " trials");
                out.println("time budget reached: no new trials");
            }
            if (ended == null) {
                TrialResult hit = targetReached(study);
                if (hit != null) {
                    ended = new Ended(Ended.TARGET, hit.trialId() + " reached " + config.objective().metric() + " "
                            + hit.objective() + " (target " + config.search().target() + ")");
                    out.println("target objective " + config.search().target() + " reached: no new trials");
                }
            }
            // Slots follow the cluster: re-read (at most every 200 ms) before filling them.
            TaskSlots slots = executor.taskSlots();
            if (slots.slots() != seen.slots() || slots.executors() != seen.executors()) {
                out.printf(Locale.ROOT, "task slots: %d -> %d (%d executor(s))%n", seen.slots(), slots.slots(),
                        slots.executors());
                seen = slots;
            }
            // A resumed study first runs again what was running when it stopped.
            while (ended == null && !again.isEmpty() && study.active() - again.size() < slots.inFlight()) {
                StudyJournal.Pending p = again.remove(0);
                out.println(p.trialId() + " runs again (it was running when the study stopped)");
                submit(study, executor, bootstrap, runDir, journal, p.trialId(), p.params(), p.seed(),
                        () -> journal.running(p.trialId()));
            }
            while (ended == null && again.isEmpty() && study.size() < max && study.active() < slots.inFlight()) {
                SearchHistory history = study.history();
                Optional<Map<String, Object>> proposal = sampler.propose(history);
                if (proposal.isEmpty()) {
                    ended = new Ended(Ended.GRID_EXHAUSTED, "every combination of the grid was proposed ("
                            + study.size() + " trials)");
                    break;
                }
                Map<String, Object> params = proposal.get();
                String id = study.create(params);
                int number = study.size();
                long seed = config.search().seed() + number;
                int seenFinished = history.finished().size();
                // created and running: one journal append, one disk flush, before the trial is submitted
                submit(study, executor, bootstrap, runDir, journal, id, params, seed,
                        () -> journal.createdAndRunning(id, number, StudyJournal.normalized(params), seed,
                                seenFinished));
            }
            if (ended != null) {
                // Trials to run again that were not resubmitted before the study ended: INTERRUPTED after a signal
                // (the next resume runs them), else FAILED with the reason.
                for (StudyJournal.Pending p : again) {
                    study.finish(p.trialId(), null, "not run again: the study ended (" + ended.reason() + ")", 0);
                }
                again.clear();
            }
            if (study.active() == 0 && (ended != null || study.size() >= max && again.isEmpty())) {
                return ended != null ? ended : new Ended(Ended.BUDGET, study.size() + " of " + max + " trials");
            }
            progress.tick();
            study.awaitChange(200);
        }
    }

    /** The counts the progress line shows. */
    private ProgressSnapshot snapshot(Study study) {
        List<TrialResult> results = study.results();
        int completed = 0;
        int pruned = 0;
        int failed = 0;
        for (TrialResult r : results) {
            switch (r.state()) {
                case COMPLETED -> completed++;
                case PRUNED -> pruned++;
                case FAILED -> failed++;
                default -> { }
            }
        }
        TrialResult best = new Leaderboard(config.objective(), results).best();
        return new ProgressSnapshot(completed, study.active(), pruned, failed, config.search().maxTrials(),
                config.objective().metric(), best == null ? Double.NaN : best.objective(),
                best == null ? null : best.trialId(), study.recordCounts().accepted());
    }

    /** The first completed trial that reached the target, or null. */
    private TrialResult targetReached(Study study) {
        double target = config.search().target();
        if (Double.isNaN(target)) {
            return null;
        }
        return study.results().stream().filter(r -> r.state() == TrialState.COMPLETED).filter(r ->
                config.objective().maximize() ? r.objective() >= target : r.objective() <= target)
                .findFirst().orElse(null);
    }

    /**
     * What a model that learned nothing scores on the validation split: the class frequencies' figures, or for a
     * regression predicting the training targets' mean ({@link ChanceLevel#ofTargets}).
     */
    static ChanceLevel chanceLevel(StudyData data) {
        if (data.spec().regression()) {
            io.gradtune.worker.data.StratifiedSplit.Parts parts = data.shared().parts();
            return ChanceLevel.ofTargets(parts.train().targets(), parts.validation().targets());
        }
        return ChanceLevel.ofCounts(data.validationClassCounts());
    }

    /**
     * The refit of the best trial at the end of a study that ended normally (see {@link StudyRefit}): journaled plan,
     * then, unless {@code refit.enabled: false} or a resumed study's refit already finished, the refit in this JVM.
     * A failed refit leaves the search's results as they are (no test figure; {@code gradtune refit} retries it).
     */
    private TestFigure refitBest(TrialResult best, Study study, Path runDir, StudyJournal journal,
                                 List<ObjectNode> events, SparkTrialExecutor executor) {
        Long seed = seeds.get(best.trialId());
        for (ObjectNode e : events) {
            if (seed == null && e.path("event").asText().equals("trial_created")
                    && e.path("trial").asText().equals(best.trialId())) {
                seed = e.path("seed").asLong();
            }
        }
        RefitPlan plan = RefitPlan.of(best, seed == null ? config.search().seed() + best.number() : seed,
                study.curve(best.trialId()), config.objective().metric());
        journal.refitPlanned(plan.toMap());
        refitPlan = plan;
        if (!config.refit().enabled()) {
            out.println("refit: off (refit.enabled: false); ./gradtune refit " + runDir + " scores the best trial on "
                    + "the test part later");
            return null;
        }
        TestFigure before = StudyRefit.finishedBefore(events, plan, runDir);
        if (before != null) {
            out.println("refit: done before this resume; kept");
            return before;
        }
        try {
            RefitTrainer trainer = refitTrainer(config.refit(), executor);
            out.printf(Locale.ROOT, "refit: %s on train + validation for %d epochs, %s ...%n", plan.trialId(),
                    plan.epochs(), config.refit().spark() ? "data-parallel over the executors" : "in this JVM");
            StratifiedSplit.Parts parts = data.shared().parts();
            String text = launch.get("config_text") instanceof String t ? t : configFileText();
            // The feature importance needs only the plan: it trains beside the refit (issue 14, item 3), its line
            // printed after the refit as before; a failed refit drops it, as it was never computed then.
            importanceBesideRefit = Background.start("gradtune-feature-importance", this::computeImportance);
            TestFigure figure = StudyRefit.run(config, text, plan, parts.train(), parts.validation(), data.test(),
                    runDir, () -> interruptedBy != null, trainer);
            journal.refitFinished(figure.toMap());
            return figure;
        } catch (RuntimeException e) {
            if (importanceBesideRefit != null) {
                importanceBesideRefit.cancel();
                importanceBesideRefit = null;
            }
            StringBuilder why = new StringBuilder(e.toString());
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                why.append(": ").append(c);
            }
            out.println("refit failed: " + why + "; the search's results stand; ./gradtune refit " + runDir
                    + " runs it again");
            return null;
        }
    }

    /**
     * Feature importance of the best trial's network ({@link BestModelImportance}), study.json's
     * {@value BestModelImportance#KEY}; null (and a warning) when it fails: the study's results stand without it.
     */
    private Map<String, Object> featureImportance(Path runDir, Background<TimedImportance> besideRefit) {
        try {
            TimedImportance timed = besideRefit != null ? besideRefit.join() : computeImportance(() -> false);
            BestModelImportance.Result r = timed.result();
            out.printf(Locale.ROOT, "feature importance: %s retrained on the training part, %d %s shuffled %d times "
                    + "on the validation split in %.1f s; top: %s%n", r.trialId(), r.entries().size(),
                    r.grouped() ? "feature groups" : "features", r.repeats(), timed.seconds(),
                    r.entries().isEmpty() ? "-" : r.entries().get(0).feature());
            return r.toMap();
        } catch (RuntimeException e) {
            out.println("warning: no feature importance: " + e + "; ./gradtune refit " + runDir + " computes it again");
            return null;
        }
    }

    /** The best trial's feature importance and the seconds it took. */
    private record TimedImportance(BestModelImportance.Result result, double seconds) {
    }

    /** Computes the feature importance of {@link #refitPlan}; {@code cancelled} stops it as a signal does. */
    private TimedImportance computeImportance(java.util.function.BooleanSupplier cancelled) {
        StratifiedSplit.Parts parts = data.shared().parts();
        long t0 = System.nanoTime();
        BestModelImportance.Result r = BestModelImportance.compute(refitPlan, parts.train(), parts.validation(),
                config.data().scaling(), config.training().modelClass(), config.training().fineTune(),
                config.data().preprocessing(), BestModelImportance.REPEATS,
                () -> interruptedBy != null || cancelled.getAsBoolean());
        return new TimedImportance(r, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The refit's trainer: local, or data-parallel on {@code executor}'s Spark context with {@code refit.workers}
     * partitions (0: the task slots the application has now, at least 1).
     */
    public static RefitTrainer refitTrainer(StudyConfig.Refit refit, SparkTrialExecutor executor) {
        if (!refit.spark()) {
            return RefitTrainer.LOCAL;
        }
        int workers = refit.workers() > 0 ? refit.workers() : Math.max(1, executor.slots());
        return RefitTrainer.spark(JavaSparkContext.fromSparkContext(executor.sparkContext()), workers,
                refit.averagingFrequency());
    }

    /** The config file's text (secrets redacted), or null when it cannot be read. */
    private String configFileText() {
        try {
            return config.source() == null ? null
                    : redactedConfigText(config, java.nio.file.Files.readString(config.source()));
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** @param journalRunning journals the trial as running (a new trial: created and running at once) */
    private void submit(Study study, SparkTrialExecutor executor, String bootstrap, Path runDir, StudyJournal journal,
                        String id, Map<String, Object> params, long seed, Runnable journalRunning) {
        seeds.put(id, seed);
        // kafka.properties as written: the executor resolves the placeholders, so no secret given as one travels here.
        TrialSpec spec = TrialSpec.of(config.study(), runId, id, params, config.training().epochs(),
                seed, data.spec(), bootstrap, config.kafka().metricsTopic())
                .withKafkaProperties(config.kafka().properties())
                .withKafkaOutageTolerance(config.kafka().outageTolerance())
                .withStopping(config.stopping().perTrial(config.objective().metric(), config.objective().maximize(),
                        chanceLevel(data).prior()).toSpec())
                .withVerdicts(config.kafka().controlTopic(), decisionEpochs)
                .withModelClass(config.training().modelClass())
                .withFineTune(config.training().fineTune());
        specObserver.accept(spec);
        journalRunning.run();
        study.markRunning(id);
        executor.submit(spec, end -> {
            try {
                TrialResult r = study.finish(id, end.outcome(), end.error(), end.attempts(), recordWaitMillis(end));
                out.printf(Locale.ROOT, "%s %-9s %s=%.4f epochs=%d %.1fs%s%n", r.trialId(), r.state(),
                        config.objective().metric(), r.objective(), r.epochs(), r.seconds(),
                        r.stop() != null ? "  [" + r.stopReason() + "]" : r.error() != null ? "  [" + r.error() + "]" : "");
                writeProgress(runDir, study);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * The run directory could not be written (a full disk, a lost mount): the journal stops writing, and the study
     * stops as when its metrics stream dies: no new trials, the running ones cancelled, exit 1. What the journal holds
     * stays, so {@code resume} continues once there is room.
     */
    private void stopOnStorageFailure(Study study, SparkTrialExecutor executor, Path runDir, String reason) {
        String why = "cannot write the run directory: " + reason;
        if (study.abortReason() == null) {
            out.println("error: " + why + "; no new trials, cancelling the running ones. Every trial finished before "
                    + "is in " + runDir.resolve(Journal.FILE) + ": free space, then ./gradtune resume " + runDir);
        }
        study.abort(why);
        executor.cancelAll();
    }

    /** metrics.jsonl could not be written: handled as a journal failure (the study stops, resumable). */
    private static void storageFailed(StudyJournal journal, Path runDir, UncheckedIOException e) {
        journal.failed(e.getMessage() + " in " + runDir + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()));
    }

    /**
     * Asks for trials.csv to be rewritten after a trial finishes: on the writer's own thread, at once or, when the last
     * rewrite is younger than {@link #TRIALS_CSV_INTERVAL_MILLIS}, then, coalesced with the other ends meanwhile (an
     * older snapshot never replaces a newer one). Rendering every result on every end made the driver's CPU per trial
     * grow with the study (BENCHMARKS.md, "Driver scale"). A failed progress write is reported and the study goes on;
     * the final reports are written again at the end.
     */
    private void writeProgress(Path runDir, Study study) {
        ThrottledFileWriter writer;
        synchronized (progressLock) {
            if (trialsCsvClosed) {
                return;
            }
            if (trialsCsv == null) {
                TrialsCsvRenderer lines = new TrialsCsvRenderer(config.space(), config.data().regression());
                trialsCsv = new ThrottledFileWriter(runDir.resolve("trials.csv"), () -> lines.render(study.results()),
                        TRIALS_CSV_INTERVAL_MILLIS, e -> out.println("warning: " + e.getMessage() + ": " + e.getCause()
                        + " (will retry when the study ends)"));
            }
            writer = trialsCsv;
        }
        writer.request();
    }

    /** Stops the progress rewrites of trials.csv (a write under way ends first); called with progressLock held. */
    private void closeTrialsCsvWriter() {
        trialsCsvClosed = true;
        if (trialsCsv != null) {
            try {
                trialsCsv.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            trialsCsv = null;
        }
    }

    /**
     * Test-only: {@code -Dgradtune.test.reportPauseMillis=N} prints {@code writing reports} and waits N ms between
     * leaderboard.txt and study.json, so a fault test can kill the driver while it writes its reports.
     */
    private void pauseForTests() {
        long millis = Long.getLong("gradtune.test.reportPauseMillis", 0);
        if (millis > 0) {
            out.println("writing reports (test pause " + millis + " ms)");
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * trials.parquet and epochs.parquet, from trials.csv and metrics.jsonl through the study's Spark session. A
     * failure is a warning: both come from files already written, and {@code gradtune export} writes them again.
     */
    private void writeExports(Path runDir, MetricsLog metricsLog, SparkSession sql, Thread warmUp) {
        try {
            long start = System.nanoTime();
            metricsLog.flush();
            try {
                warmUp.join(60_000); // long done, normally; if not, it is doing work the write needs
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the write goes on: the flag is for whoever waits next
            }
            ParquetExports.Tables tables = ParquetExports.write(sql, runDir);
            out.printf(Locale.ROOT, "exports: %s (%d trials), %s (%d epoch records) in %.1f s%n", ParquetExports.TRIALS,
                    tables.trials().rows().size(), ParquetExports.EPOCHS, tables.epochs().rows().size(),
                    (System.nanoTime() - start) / 1e9);
        } catch (RuntimeException e) {
            out.println("warning: cannot write the Parquet exports: " + e.getMessage()
                    + (e.getCause() == null ? "" : ": " + e.getCause().getMessage())
                    + "; ./gradtune export " + runDir + " writes them from the run directory's files");
        }
    }

    /**
     * Writes trials.csv with the study's final rows (as {@link #writeReports} writes it again) and begins the Parquet
     * exports from it on their own thread ({@link StagedExports}); null when the file cannot be written: the
     * study's end then writes the exports after the reports, as before.
     */
    private StagedExports startExports(Path runDir, List<TrialResult> results, MetricsLog metricsLog,
                                       SparkTrialExecutor executor, Thread warmUp) {
        try {
            synchronized (progressLock) {
                closeTrialsCsvWriter(); // no progress snapshot can replace the final file
                AtomicFiles.write(runDir.resolve("trials.csv"), TrialsCsv.render(config.space(), results,
                        config.data().regression()));
            }
        } catch (UncheckedIOException e) {
            return null; // writeReports meets the same failure and reports it
        }
        return StagedExports.start(runDir, () -> session(executor), metricsLog, warmUp);
    }

    /** The staged exports moved into the run directory, with the console line {@link #writeExports} prints. */
    private void commitExports(Path runDir, StagedExports exports) {
        try {
            ParquetExports.Tables tables = exports.commit();
            if (tables == null) {
                out.println("warning: Spark SQL is not on the driver's class path: no trials.parquet or "
                        + "epochs.parquet; ./gradtune export " + runDir + " writes them later");
                return;
            }
            out.printf(Locale.ROOT, "exports: %s (%d trials), %s (%d epoch records) in %.1f s%n", ParquetExports.TRIALS,
                    tables.trials().rows().size(), ParquetExports.EPOCHS, tables.epochs().rows().size(),
                    exports.seconds());
        } catch (RuntimeException e) {
            out.println("warning: cannot write the Parquet exports: " + e.getMessage()
                    + (e.getCause() == null ? "" : ": " + e.getCause().getMessage())
                    + "; ./gradtune export " + runDir + " writes them from the run directory's files");
        }
    }

    /**
     * The study's Spark session (Spark SQL on the study's SparkContext), or null when the Spark the driver runs on
     * has no Spark SQL (a cluster's Spark without its SQL jars): the study runs, only the Parquet exports are skipped.
     */
    private SparkSession session(SparkTrialExecutor executor) {
        try {
            return SparkSession.builder().config(executor.sparkContext().getConf()).getOrCreate();
        } catch (LinkageError e) {
            return null;
        }
    }

    private void writeReports(Path runDir, List<TrialResult> results, Leaderboard board, String sparkVersion,
                              double wall, Map<String, Object> extra, TestFigure test) {
        synchronized (progressLock) {
            closeTrialsCsvWriter(); // no progress snapshot can replace the final file
            AtomicFiles.write(runDir.resolve("trials.csv"), TrialsCsv.render(config.space(), results, config.data().regression()));
        }
        String table = board.render(Integer.MAX_VALUE);
        String stopped = Leaderboard.renderStopped(results);
        String fixes = Leaderboard.renderFixes(results, new Remedies(config.space(), config.data().scaling()));
        AtomicFiles.write(runDir.resolve("leaderboard.txt"), "study " + config.study() + " — objective "
                + config.objective().metric() + " (" + (config.objective().maximize() ? "max" : "min") + ")\n" + table
                + (test == null ? "" : "\n" + test.line() + "\n")
                + (stopped.isEmpty() ? "" : "\nstopped early or failed:\n" + stopped)
                + (fixes.isEmpty() ? "" : "\nfixes (the tutorials' remedies each diagnosed trial lacks, "
                + "with the parameter change):\n" + fixes));
        pauseForTests();
        AtomicFiles.write(runDir.resolve("study.json"), StudySummary.render(config, Versions.all(sparkVersion), results,
                board, wall, extra));
        try {
            HtmlReport.write(runDir, null, null);
        } catch (UncheckedIOException e) {
            throw e;
        } catch (RuntimeException e) { // a derived view: its failure is reported, the study's result stands
            out.println("warning: cannot write " + HtmlReport.FILE + ": " + e + "; ./gradtune report " + runDir
                    + " writes it again");
        }
        out.println();
        out.println("leaderboard (" + runDir.resolve("leaderboard.txt") + "):");
        out.print(board.render(10));
        if (test != null) {
            out.println(test.line());
        }
        out.printf(Locale.ROOT, "%d trials in %.1f s; results in %s%n", results.size(), wall, runDir);
        if (java.nio.file.Files.exists(runDir.resolve(HtmlReport.FILE))) {
            out.println("report: " + runDir.resolve(HtmlReport.FILE));
        }
    }
}
