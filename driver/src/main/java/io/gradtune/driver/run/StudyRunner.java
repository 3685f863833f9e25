package io.gradtune.driver.run;

import io.gradtune.driver.config.KafkaSecrets;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.data.StudyData;
import io.gradtune.driver.exec.SparkTrialExecutor;
import io.gradtune.driver.exec.TaskSlots;
import io.gradtune.driver.rank.Leaderboard;
import io.gradtune.driver.report.AtomicFiles;
import io.gradtune.driver.report.MetricsLog;
import io.gradtune.driver.report.Provenance;
import io.gradtune.driver.report.StudySummary;
import io.gradtune.driver.report.TrialsCsv;
import io.gradtune.driver.search.Sampler;
import io.gradtune.driver.stopping.Decision;
import io.gradtune.driver.stream.EmbeddedKafka;
import io.gradtune.driver.stream.MetricsConsumer;
import io.gradtune.driver.stream.MetricsSink;
import io.gradtune.driver.stream.OutageMonitor;
import io.gradtune.driver.stream.Topics;
import io.gradtune.driver.stream.TrialEventPublisher;
import io.gradtune.driver.study.Study;
import io.gradtune.driver.study.TrialResult;
import io.gradtune.driver.study.TrialState;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.protocol.TrialSpec;
import io.gradtune.worker.secret.SecretResolver;
import io.gradtune.worker.telemetry.KafkaMetricsPublisher;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
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
 * <p>Kafka outages: an {@link OutageMonitor} logs and counts every outage while the study runs, and study.json's
 * {@code kafka} section reports them with the event sends that failed and the epoch records that never arrived.
 * Producers ride out an outage of up to {@code kafka.outage_tolerance}; a study that lost records (or saw an outage
 * longer than the tolerance, during which any running trial may have) ends with {@link Outcome#failure()} set
 * (exit 1), its results kept.
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
     * What a finished study returns to the CLI and tests.
     *
     * @param records what the study did with the epoch records it received
     * @param failure why the study failed (the metrics stream died, ...), or null when it ran to its end
     */
    public record Outcome(Path runDir, List<TrialResult> results, Leaderboard leaderboard, Study.RecordCounts records,
                          long recordsRejected, String failure) {
    }

    private final StudyConfig config;
    private final Sampler sampler;
    private final PrintStream out;
    private final UnaryOperator<MetricsSink> sinkWrapper;
    private final Object progressLock = new Object();
    private Consumer<TrialSpec> specObserver = spec -> { };
    private Thread warmUp;
    /** The study's data as the driver read and split it; set when Spark starts, before the first trial. */
    private StudyData data;

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
        this.sampler = sampler;
        this.out = out;
        this.sinkWrapper = sinkWrapper;
    }

    /** For tests: sees every trial spec just before its Spark job is submitted. */
    void observeSpecs(Consumer<TrialSpec> observer) {
        this.specObserver = observer;
    }

    public Outcome run() throws InterruptedException {
        long t0 = System.nanoTime();
        // Before anything starts: a placeholder whose variable is not set is a config error (exit 2).
        Map<String, String> clientProperties = KafkaSecrets.resolve(config, SecretResolver.jvmDefault());
        for (String field : KafkaSecrets.literalSecretFields(config.kafka())) {
            out.println("warning: " + field + " holds a secret written literally; it is sent to the executors in "
                    + "every trial spec (reports hide it). Write it as ${env:NAME} instead.");
        }
        // Compile the per-record decision path while the broker and Spark start (see DecisionWarmUp).
        warmUp = DecisionWarmUp.start(config);
        Path runDir = config.outputDir().resolve(config.study());
        StudyConfig.Kafka kafkaConfig = config.kafka();
        EmbeddedKafka broker = null;
        try {
            String bootstrap = kafkaConfig.bootstrap();
            if (kafkaConfig.embedded()) {
                out.println("starting embedded Kafka broker ...");
                broker = EmbeddedKafka.start(kafkaConfig.dataDir());
                bootstrap = broker.bootstrapServers();
            }
            out.println("kafka: " + bootstrap + (clientProperties.isEmpty() ? ""
                    : "  client properties: " + String.join(", ", clientProperties.keySet())));
            for (Topics.State topic : Topics.ensure(bootstrap, clientProperties,
                    List.of(kafkaConfig.metricsTopic(), kafkaConfig.trialsTopic()), kafkaConfig.partitions(),
                    kafkaConfig.replicationFactor())) {
                out.println("  topic " + topic.describe());
            }
            return runWith(bootstrap, clientProperties, runDir, t0);
        } finally {
            KafkaMetricsPublisher.closeAll();
            if (broker != null) {
                broker.close();
            }
        }
    }

    private Outcome runWith(String bootstrap, Map<String, String> clientProperties, Path runDir, long t0)
            throws InterruptedException {
        StudyConfig.Kafka k = config.kafka();
        try (SparkTrialExecutor executor = startSpark();
             MetricsLog metricsLog = new MetricsLog(runDir.resolve("metrics.jsonl"));
             TrialEventPublisher events = new TrialEventPublisher(bootstrap, clientProperties, k.trialsTopic(),
                     config.study(), k.outageTolerance());
             OutageMonitor monitor = new OutageMonitor(bootstrap, clientProperties, out::println).start()) {
            Study study = new Study(config, new Study.Listener() {
                @Override
                public void stopRequested(String trialId, Decision decision) {
                    executor.cancel(trialId);
                }

                @Override
                public void event(String trialId, String event, Map<String, ?> fields) {
                    events.publish(trialId, event, fields);
                }
            });
            try (MetricsConsumer consumer = new MetricsConsumer(bootstrap, clientProperties, k.metricsTopic(),
                    config.study(), sinkWrapper.apply(new MetricsSink() {
                        @Override
                        public void accept(EpochMetrics m, String raw) {
                            // Decide first: the decision does not depend on the log.
                            if (study.onEpoch(m) != Study.Received.DUPLICATE) {
                                metricsLog.append(raw);
                            }
                        }

                        @Override
                        public void endOfBatch() {
                            metricsLog.flush();
                        }
                    }))) {
                warmUp.join(10_000); // normally long done: Spark took longer to start
                consumer.start();
                Map<String, Object> provenance = Provenance.collect(config.withData(data.spec()));
                TaskSlots slots = executor.taskSlots();
                out.printf(Locale.ROOT, "study %s: %s search, %d trials, %d epochs each, %d task slots on %d "
                                + "executor(s) now, followed while the study runs (spark %s)%n",
                        config.study(), config.search().algorithm(), config.search().maxTrials(),
                        config.training().epochs(), slots.slots(), slots.executors(), config.spark().master());
                loop(study, executor, consumer, bootstrap, runDir);
                List<TrialResult> results = study.results();
                Leaderboard board = new Leaderboard(config.objective(), results);
                double wall = (System.nanoTime() - t0) / 1e9;
                Study.RecordCounts counts = study.recordCounts();
                long eventsUnsent = events.awaitSent(Duration.ofSeconds(10));
                OutageMonitor.Counts outages = monitor.counts();
                String failure = study.abortReason() != null ? study.abortReason()
                        : kafkaLoss(outages, study.recordsMissing());
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("status", failure == null ? "finished" : "failed");
                if (failure != null) {
                    extra.put("failure", failure);
                }
                extra.put("provenance", provenance);
                extra.put("records", Map.of("accepted", counts.accepted(), "rejected", consumer.rejected(),
                        "duplicates", counts.duplicates(), "ignored", counts.ignored(), "foreign", consumer.foreign(),
                        "superseded", counts.superseded()));
                extra.put("kafka", kafkaSection(outages, events.sendFailures(), eventsUnsent, study.recordsMissing()));
                writeReports(runDir, results, board, executor.sparkVersion(), wall, extra);
                if (failure != null) {
                    out.println("study failed: " + failure);
                }
                return new Outcome(runDir, results, board, counts, consumer.rejected(), failure);
            }
        }
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
    private SparkTrialExecutor startSpark() {
        SparkTrialExecutor executor = new SparkTrialExecutor(config.spark().sparkMaster(), "gradtune-" + config.study(),
                config.spark().sparkProperties());
        try {
            data = StudyData.prepare(config, executor.sparkContext());
            executor.share(data.shared());
            out.println(data.summary());
            return executor;
        } catch (RuntimeException e) {
            executor.close();
            throw e;
        }
    }

    private void loop(Study study, SparkTrialExecutor executor, MetricsConsumer consumer, String bootstrap, Path runDir)
            throws InterruptedException {
        int max = config.search().maxTrials();
        long deadline = config.search().maxTime() == null ? Long.MAX_VALUE
                : System.nanoTime() + config.search().maxTime().toNanos();
        boolean exhausted = false;
        TaskSlots seen = executor.taskSlots();
        while (true) {
            Throwable dead = consumer.failure();
            if (dead != null && study.abortReason() == null) {
                String reason = "the metrics consumer stopped: " + dead;
                out.println("error: " + reason + "; no new trials, cancelling the running ones");
                study.abort(reason);
                executor.cancelAll();
                exhausted = true;
            }
            if (!exhausted && (System.nanoTime() > deadline || targetReached(study))) {
                exhausted = true;
                out.println(System.nanoTime() > deadline ? "time budget reached: no new trials"
                        : "target objective " + config.search().target() + " reached: no new trials");
            }
            // Slots follow the cluster: re-read (at most every 200 ms) before filling them.
            TaskSlots slots = executor.taskSlots();
            if (slots.slots() != seen.slots() || slots.executors() != seen.executors()) {
                out.printf(Locale.ROOT, "task slots: %d -> %d (%d executor(s))%n", seen.slots(), slots.slots(),
                        slots.executors());
                seen = slots;
            }
            while (!exhausted && study.size() < max && study.active() < slots.inFlight()) {
                Optional<Map<String, Object>> proposal = sampler.propose(study.history());
                if (proposal.isEmpty()) {
                    exhausted = true;
                    break;
                }
                submit(study, executor, bootstrap, runDir, proposal.get());
            }
            if (study.active() == 0 && (exhausted || study.size() >= max)) {
                return;
            }
            study.awaitChange(200);
        }
    }

    private boolean targetReached(Study study) {
        double target = config.search().target();
        if (Double.isNaN(target)) {
            return false;
        }
        return study.results().stream().filter(r -> r.state() == TrialState.COMPLETED).anyMatch(r ->
                config.objective().maximize() ? r.objective() >= target : r.objective() <= target);
    }

    private void submit(Study study, SparkTrialExecutor executor, String bootstrap, Path runDir, Map<String, Object> params) {
        String id = study.create(params);
        int number = study.size();
        // kafka.properties as written: the executor resolves the placeholders, so no secret given as one travels here.
        TrialSpec spec = TrialSpec.of(config.study(), id, params, config.training().epochs(),
                config.search().seed() + number, data.spec(), bootstrap, config.kafka().metricsTopic())
                .withKafkaProperties(config.kafka().properties())
                .withKafkaOutageTolerance(config.kafka().outageTolerance());
        specObserver.accept(spec);
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
     * Rewrites trials.csv after a trial finishes. Trials finish on several threads at once: the lock makes each
     * snapshot-and-write a unit, so an older snapshot never replaces a newer one. A failed progress write is
     * reported and the study goes on; the final reports are written again at the end.
     */
    private void writeProgress(Path runDir, Study study) {
        synchronized (progressLock) {
            try {
                AtomicFiles.write(runDir.resolve("trials.csv"), TrialsCsv.render(config.space(), study.results()));
            } catch (UncheckedIOException e) {
                out.println("warning: " + e.getMessage() + ": " + e.getCause() + " (will retry when the study ends)");
            }
        }
    }

    private void writeReports(Path runDir, List<TrialResult> results, Leaderboard board, String sparkVersion,
                              double wall, Map<String, Object> extra) {
        synchronized (progressLock) {
            AtomicFiles.write(runDir.resolve("trials.csv"), TrialsCsv.render(config.space(), results));
        }
        String table = board.render(Integer.MAX_VALUE);
        String stopped = Leaderboard.renderStopped(results);
        AtomicFiles.write(runDir.resolve("leaderboard.txt"), "study " + config.study() + " — objective "
                + config.objective().metric() + " (" + (config.objective().maximize() ? "max" : "min") + ")\n" + table
                + (stopped.isEmpty() ? "" : "\nstopped early or failed:\n" + stopped));
        AtomicFiles.write(runDir.resolve("study.json"), StudySummary.render(config, Versions.all(sparkVersion), results,
                board, wall, extra));
        out.println();
        out.println("leaderboard (" + runDir.resolve("leaderboard.txt") + "):");
        out.print(board.render(10));
        out.printf(Locale.ROOT, "%d trials in %.1f s; results in %s%n", results.size(), wall, runDir);
    }
}
