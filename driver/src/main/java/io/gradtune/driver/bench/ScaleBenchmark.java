package io.gradtune.driver.bench;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.driver.diagnose.Diagnoser;
import io.gradtune.driver.journal.Journal;
import io.gradtune.driver.report.AtomicFiles;
import io.gradtune.driver.report.MetricsLog;
import io.gradtune.driver.report.ThrottledFileWriter;
import io.gradtune.driver.report.TrialsCsv;
import io.gradtune.driver.run.DecisionWarmUp;
import io.gradtune.driver.run.StudyJournal;
import io.gradtune.driver.run.StudyRunner;
import io.gradtune.driver.run.SyntheticRecords;
import io.gradtune.driver.search.Sampler;
import io.gradtune.driver.search.Samplers;
import io.gradtune.driver.search.SearchHistory;
import io.gradtune.driver.stream.EmbeddedKafka;
import io.gradtune.driver.stream.MetricsConsumer;
import io.gradtune.driver.stream.MetricsSink;
import io.gradtune.driver.stream.Topics;
import io.gradtune.driver.stream.TrialEventPublisher;
import io.gradtune.driver.stream.VerdictPublisher;
import io.gradtune.driver.study.Study;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.Quantiles;
import io.gradtune.worker.protocol.ReportJson;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.protocol.Verdict;
import io.gradtune.worker.stopping.Decision;
import io.gradtune.worker.telemetry.KafkaMetricsPublisher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code gradtune bench scale}: the driver's side of a large study, simulated. No Spark, no DL4J: a pool of
 * {@code slots} threads emulates that many concurrent trials, each publishing one synthetic epoch record
 * ({@link SyntheticRecords}) every {@code epochMillis} through the workers' {@link KafkaMetricsPublisher} to a real
 * embedded broker, until the driver stops it or it completes {@code epochs}. The driver side is wired as
 * {@code StudyRunner} wires it: {@link MetricsConsumer} → {@link Study#onEpoch} with the default stopping rules (ASHA
 * on; stop decisions journaled, events and verdicts published) → {@code metrics.jsonl}; the proposal loop asks the
 * GP sampler ({@code bayesian}) for every new trial and journals it; every finished trial is finished in the study
 * (waiting for its records, journaled) on a driver thread of its own, which then asks for {@code trials.csv} to be
 * rewritten from all results ({@link ThrottledFileWriter}, as {@code StudyRunner}'s job threads do). As
 * {@code StudyRunner}, it runs the {@link DecisionWarmUp} while the broker starts and before the consumer reads.
 *
 * <p>Driver CPU is the thread CPU time ({@link ThreadMXBean}) of the driver's threads: the proposal loop (GP
 * included), the metrics consumer's thread, the trial-finishing threads and the trials.csv writer's; the broker, the
 * Kafka clients' network threads and the emulated slots are not the driver's. Peak heap is the largest heap use sampled every 100 ms
 * ({@link MemoryMXBean}), and the heap after the last full collection the JVM reports.
 */
public final class ScaleBenchmark {

    private static final String STUDY = "bench-scale";
    private static final String RUN_ID = "bench-scale-run";
    private static final long RECORD_WAIT_MILLIS = 30_000;
    /** A decision slower than this (the target's p99, 250 ms) is counted in {@code slow_decisions_by_10s}. */
    private static final long SLOW_DECISION_NANOS = 250_000_000L;

    private ScaleBenchmark() {
    }

    /**
     * @param trials      trials in the study
     * @param slots       concurrent emulated trials
     * @param epochs      a trial's maximum epochs (ASHA's R)
     * @param epochMillis time between a trial's epoch records
     * @param output      the run directory (journal, metrics.jsonl, trials.csv)
     */
    public record Options(int trials, int slots, int epochs, long epochMillis, Path output) {
        public Options {
            if (trials < 1 || slots < 1 || epochs < 1 || epochMillis < 0) {
                throw new IllegalArgumentException("--trials, --slots and --epochs must be >= 1, --epoch-ms >= 0");
            }
        }
    }

    /** The figures; milliseconds unless named otherwise. */
    public record Result(int trials, int slots, int epochs, long epochMillis, double wallSeconds, long records,
                         long decisions, long stops, double driverCpuMsPerTrial, double proposalCpuMsPerTrial,
                         double consumerCpuMsPerTrial, double finishCpuMsPerTrial, double processCpuMsPerTrial,
                         double decisionP50, double decisionP99, double decisionMax, double gpP50, double gpP99,
                         double gpMax, double peakHeapMb, double heapAfterGcMb, long maxHeapMb,
                         LatencySplit split, int[] slowDecisionsBy10s) {
        /** One line of JSON, snake_case keys. */
        public String toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("benchmark", "scale");
            m.put("trials", trials);
            m.put("slots", slots);
            m.put("epochs", epochs);
            m.put("epoch_ms", epochMillis);
            m.put("wall_s", ReportJson.fixed(wallSeconds, 1));
            m.put("records", records);
            m.put("decisions", decisions);
            m.put("stops", stops);
            Map<String, Object> cpu = new LinkedHashMap<>();
            cpu.put("driver", ReportJson.fixed(driverCpuMsPerTrial, 2));
            cpu.put("proposal_loop", ReportJson.fixed(proposalCpuMsPerTrial, 2));
            cpu.put("consumer", ReportJson.fixed(consumerCpuMsPerTrial, 2));
            cpu.put("finish", ReportJson.fixed(finishCpuMsPerTrial, 2));
            cpu.put("whole_process", ReportJson.fixed(processCpuMsPerTrial, 2));
            m.put("cpu_ms_per_trial", cpu);
            m.put("decision_latency_ms", quantiles(decisionP50, decisionP99, decisionMax));
            Map<String, Object> parts = new LinkedHashMap<>();
            parts.put("to_consumer", quantiles(split.toConsumerP50(), split.toConsumerP99(), split.toConsumerMax()));
            parts.put("on_epoch", quantiles(split.onEpochP50(), split.onEpochP99(), split.onEpochMax()));
            parts.put("consumer_blocked_ms", ReportJson.fixed(split.consumerBlockedMs(), 0));
            parts.put("consumer_blocked_count", split.consumerBlockedCount());
            parts.put("stop_journal_ms", ReportJson.fixed(split.stopJournalMs(), 0));
            m.put("decision_latency_split", parts);
            m.put("slow_decisions_by_10s", Arrays.stream(slowDecisionsBy10s).boxed().toList());
            m.put("gp_proposal_ms", quantiles(gpP50, gpP99, gpMax));
            m.put("peak_heap_mb", ReportJson.fixed(peakHeapMb, 0));
            m.put("heap_after_gc_mb", ReportJson.fixed(heapAfterGcMb, 0));
            m.put("max_heap_mb", maxHeapMb);
            return ReportJson.line(m);
        }

        private static Map<String, Object> quantiles(double p50, double p99, double max) {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("p50", ReportJson.fixed(p50, 2));
            q.put("p99", ReportJson.fixed(p99, 2));
            q.put("max", ReportJson.fixed(max, 2));
            return q;
        }
    }

    /**
     * Where a decision's latency went, milliseconds: from before {@code publish} to the consumer's sink receiving the
     * record ({@code to_consumer}: the producer, the broker, the fetch, and the records before it in its poll's batch),
     * and from there to the return of {@link Study#onEpoch} ({@code on_epoch}: the study's lock, the rules, the
     * listener's journal and publishers); with the consumer thread's time blocked entering monitors (the study's and
     * the journal's locks, {@link ThreadMXBean} contention monitoring) over the run, and its wall time journaling stop
     * decisions ({@code stop_journal_ms}: each a durable append before the trial is stopped), in all.
     */
    public record LatencySplit(double toConsumerP50, double toConsumerP99, double toConsumerMax, double onEpochP50,
                               double onEpochP99, double onEpochMax, double consumerBlockedMs,
                               long consumerBlockedCount, double stopJournalMs) {
    }

    /** The simulated study: a mixed space for the GP, default stopping rules (ASHA on), no data read. */
    static String configText(Options o) {
        return String.join("\n",
                "study: " + STUDY,
                "objective: {metric: val_accuracy, direction: maximize}",
                "data: {source: unused.csv, format: csv, label_column: label}",  // the loader wants a file; never read
                "search: {algorithm: bayesian, max_trials: " + o.trials() + ", seed: 1}",
                "space:",
                "  learning_rate: {type: float, low: 1.0e-4, high: 1.0e-1, log: true}",
                "  dropout:       {type: float, low: 0.0, high: 0.5}",
                "  layers:        {type: int, low: 1, high: 4}",
                "  units:         {type: int, low: 16, high: 512, log: true}",
                "  activation:    {type: categorical, values: [sigmoid, tanh, relu, elu]}",
                "training: {epochs: " + o.epochs() + "}",
                "");
    }

    public static Result run(Options o) throws InterruptedException {
        try {
            Files.createDirectories(o.output());
            Path configFile = o.output().resolve("bench-scale.yaml");
            Files.writeString(configFile, configText(o));
            Files.writeString(o.output().resolve("unused.csv"), "label,x\n0,0\n1,1\n"); // a config names data
            Path runDir = o.output().resolve(STUDY);
            Files.createDirectories(runDir);
            for (String f : List.of(Journal.FILE, "metrics.jsonl", "trials.csv")) {
                Files.deleteIfExists(runDir.resolve(f));
            }
            StudyConfig config = StudyConfigLoader.load(configFile);
            // As StudyRunner: the per-record decision path is compiled while the broker starts (DecisionWarmUp).
            // Without it, 700 of a 2,000-trial run's decisions slower than 250 ms came in its first 10 s, when all
            // the slots publish their first epochs at once into cold code: that burst was the p99 (BENCHMARKS.md,
            // "Session 12: driver scale").
            Thread warmUp = DecisionWarmUp.start(config);
            try (EmbeddedKafka broker = EmbeddedKafka.start(null)) {
                return new Run(o, config, broker.bootstrapServers(), runDir, warmUp).run();
            } finally {
                KafkaMetricsPublisher.closeAll();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One run's state. */
    private static final class Run {
        private final Options o;
        private final StudyConfig config;
        private final String bootstrap;
        private final Path runDir;
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private final Set<String> stopped = ConcurrentHashMap.newKeySet();
        private final Map<String, Long> publishedNanos = new ConcurrentHashMap<>();
        private final AtomicLong published = new AtomicLong();
        private final AtomicInteger stops = new AtomicInteger();
        private final AtomicLong finishCpu = new AtomicLong();
        private final AtomicLong stopJournalNanos = new AtomicLong();
        private ThrottledFileWriter trialsCsv;
        private final long[] latencies;
        private final long[] toConsumer;
        private final long[] onEpoch;
        private final long[] publishedAt;
        private volatile long startNanos;
        private final AtomicInteger latencyCount = new AtomicInteger();
        private final long[] proposals;
        private volatile long peakHeap;

        private final Thread warmUp;

        Run(Options o, StudyConfig config, String bootstrap, Path runDir, Thread warmUp) {
            this.o = o;
            this.warmUp = warmUp;
            this.config = config;
            this.bootstrap = bootstrap;
            this.runDir = runDir;
            this.latencies = new long[Math.multiplyExact(o.trials(), o.epochs())];
            this.toConsumer = new long[latencies.length];
            this.onEpoch = new long[latencies.length];
            this.publishedAt = new long[latencies.length];
            this.proposals = new long[o.trials()];
        }

        Result run() throws InterruptedException {
            String prefix = STUDY;
            Topics.ensure(bootstrap, Map.of(), List.of(prefix + ".metrics", prefix + ".trials", prefix + ".control"),
                    4, null);
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            Thread heapSampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-heap-sampler");
            heapSampler.setDaemon(true);
            heapSampler.start();
            Sampler sampler = Samplers.create(config.search().algorithm(), config.space(), config.search().seed(),
                    config.search().options());
            try (Journal journalFile = Journal.open(runDir.resolve(Journal.FILE));
                 MetricsLog log = new MetricsLog(runDir.resolve("metrics.jsonl"));
                 TrialEventPublisher events = new TrialEventPublisher(bootstrap, Map.of(), prefix + ".trials", STUDY,
                         RUN_ID);
                 VerdictPublisher verdicts = new VerdictPublisher(bootstrap, Map.of(), prefix + ".control",
                         Duration.ofMinutes(5))) {
                StudyJournal journal = new StudyJournal(journalFile);
                Study study = new Study(config, RUN_ID, config.stopping().toPolicy(o.epochs()),
                        Diagnoser.forSettings(config.stopping()), new Study.Listener() {
                    @Override
                    public void stopRequested(String trialId, Decision decision) {
                        stopped.add(trialId); // the emulated trial checks this before its next epoch, as a cancel
                        stops.incrementAndGet();
                    }

                    @Override
                    public void verdict(EpochMetrics record, Decision stop) {
                        verdicts.send(Verdict.of(STUDY, RUN_ID, record.trialId(), record.attempt(), record.epoch(),
                                stop != null, stop == null ? null : stop.rule()));
                    }

                    @Override
                    public void event(String trialId, String event, Map<String, ?> fields) {
                        if (event.equals("stop_decided")) {
                            long j0 = System.nanoTime();
                            journal.stopDecided(trialId, fields);
                            stopJournalNanos.addAndGet(System.nanoTime() - j0);
                        }
                        events.publish(trialId, event, fields);
                    }

                    @Override
                    public void recordAccepted(EpochMetrics m, String raw) {
                        log.append(raw);
                    }
                });
                study.recordTo(journal);
                trialsCsv = new ThrottledFileWriter(runDir.resolve("trials.csv"),
                        () -> TrialsCsv.render(config.space(), study.results()), StudyRunner.TRIALS_CSV_INTERVAL_MILLIS,
                        e -> e.printStackTrace());
                try (MetricsConsumer consumer = new MetricsConsumer(bootstrap, Map.of(), prefix + ".metrics", STUDY,
                        new MetricsSink() {
                            @Override
                            public void accept(EpochMetrics m, String raw) {
                                long in = System.nanoTime();
                                boolean decides = !stopped.contains(m.trialId());
                                study.onEpoch(m, raw);
                                long done = System.nanoTime();
                                Long pub = publishedNanos.remove(m.trialId() + "/" + m.epoch());
                                if (decides && pub != null) {
                                    int i = latencyCount.getAndIncrement();
                                    if (i < latencies.length) {
                                        latencies[i] = done - pub;
                                        toConsumer[i] = in - pub;
                                        onEpoch[i] = done - in;
                                        publishedAt[i] = pub - startNanos;
                                    }
                                }
                            }

                            @Override
                            public void endOfBatch() {
                                log.flush();
                            }
                        })) {
                    KafkaMetricsPublisher publisher = KafkaMetricsPublisher.shared(bootstrap, prefix + ".metrics");
                    if (threads.isThreadContentionMonitoringSupported()) {
                        threads.setThreadContentionMonitoringEnabled(true);
                    }
                    warmUp.join(10_000); // normally long done: the broker took longer to start
                    consumer.start();
                    long processCpu0 = processCpuNanos();
                    long mainCpu0 = threads.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    startNanos = t0;
                    ExecutorService slots = Executors.newFixedThreadPool(o.slots(), named("sim-slot-"));
                    ExecutorService finishers = Executors.newCachedThreadPool(named("driver-finish-"));
                    int proposed = 0;
                    while (study.size() < o.trials() || study.active() > 0) {
                        if (consumer.failure() != null) {
                            throw new IllegalStateException("consumer failed", consumer.failure());
                        }
                        while (study.size() < o.trials() && study.active() < o.slots()) {
                            SearchHistory history = study.history();
                            long p0 = System.nanoTime();
                            Optional<Map<String, Object>> params = sampler.propose(history);
                            proposals[proposed++] = System.nanoTime() - p0;
                            String id = study.create(params.orElseThrow());
                            long seed = config.search().seed() + study.size();
                            journal.createdAndRunning(id, study.size(), StudyJournal.normalized(params.get()), seed,
                                    history.finished().size());
                            study.markRunning(id);
                            study.attemptStarted(id, 0);
                            SplittableRandom r = new SplittableRandom(seed);
                            slots.submit(() -> trial(study, publisher, finishers, id, r));
                        }
                        study.awaitChange(200);
                    }
                    double wall = (System.nanoTime() - t0) / 1e9;
                    long mainCpu = threads.getCurrentThreadCpuTime() - mainCpu0;
                    long consumerCpu = threadCpu("gradtune-metrics-consumer");
                    long[] consumerBlocked = blocked("gradtune-metrics-consumer");
                    finishCpu.addAndGet(threadCpu("gradtune-write-trials.csv")); // the finished trials' trials.csv
                    long processCpu = processCpuNanos() - processCpu0;
                    slots.shutdown();
                    finishers.shutdown();
                    slots.awaitTermination(60, TimeUnit.SECONDS);
                    finishers.awaitTermination(60, TimeUnit.SECONDS);
                    trialsCsv.close();
                    AtomicFiles.write(runDir.resolve("trials.csv"), TrialsCsv.render(config.space(), study.results()));
                    heapSampler.interrupt();
                    return result(study, consumer, wall, mainCpu, consumerCpu, processCpu, proposed, consumerBlocked);
                }
            }
        }

        /** One emulated trial on a slot; its end is handed to a driver thread, as a Spark job's end is. */
        private void trial(Study study, KafkaMetricsPublisher publisher, ExecutorService finishers, String id,
                           SplittableRandom r) {
            int epochs;
            try {
                epochs = EmulatedEpochs.run(publisher, STUDY, RUN_ID, id, o.epochs(), o.epochMillis(), r,
                        () -> stopped.contains(id), publishedNanos, published);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
            TrialOutcome.Status status = epochs == o.epochs() ? TrialOutcome.Status.COMPLETED
                    : TrialOutcome.Status.INTERRUPTED;
            finishers.submit(() -> {
                long c0 = threads.getCurrentThreadCpuTime();
                try {
                    study.finish(id, TrialOutcome.of(STUDY, id, 0, status, epochs, 0, 0, 0, 1000, 0, null), null,
                            RECORD_WAIT_MILLIS);
                    trialsCsv.request(); // as StudyRunner.writeProgress after every finished trial
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException ex) {
                    ex.printStackTrace();
                } finally {
                    finishCpu.addAndGet(threads.getCurrentThreadCpuTime() - c0);
                }
            });
        }

        /** The named threads' time blocked entering a monitor (ms) and the number of times, or -1s when unknown. */
        private long[] blocked(String name) {
            if (!threads.isThreadContentionMonitoringEnabled()) {
                return new long[]{-1, -1};
            }
            long ms = 0;
            long count = 0;
            for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info != null && info.getThreadName().equals(name)) {
                    ms += Math.max(0, info.getBlockedTime());
                    count += info.getBlockedCount();
                }
            }
            return new long[]{ms, count};
        }

        private long threadCpu(String name) {
            long sum = 0;
            for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info != null && info.getThreadName().equals(name)) {
                    sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
                }
            }
            return sum;
        }

        private Result result(Study study, MetricsConsumer consumer, double wall, long mainCpu, long consumerCpu,
                              long processCpu, int proposed, long[] consumerBlocked) {
            int n = Math.min(latencyCount.get(), latencies.length);
            long[] lat = Arrays.copyOf(latencies, n);
            Arrays.sort(lat);
            long[] toc = Arrays.copyOf(toConsumer, n);
            Arrays.sort(toc);
            long[] one = Arrays.copyOf(onEpoch, n);
            Arrays.sort(one);
            LatencySplit split = new LatencySplit(pct(toc, 0.5) / 1e6, pct(toc, 0.99) / 1e6,
                    n == 0 ? Double.NaN : toc[n - 1] / 1e6, pct(one, 0.5) / 1e6, pct(one, 0.99) / 1e6,
                    n == 0 ? Double.NaN : one[n - 1] / 1e6, consumerBlocked[0], consumerBlocked[1],
                    stopJournalNanos.get() / 1e6);
            int[] slow = new int[0];
            for (int i = 0; i < n; i++) {
                if (latencies[i] > SLOW_DECISION_NANOS) {
                    int bucket = (int) Math.max(0, publishedAt[i] / 10_000_000_000L);
                    if (bucket >= slow.length) {
                        slow = Arrays.copyOf(slow, bucket + 1);
                    }
                    slow[bucket]++;
                }
            }
            long[] gp = Arrays.copyOf(proposals, proposed);
            Arrays.sort(gp);
            double trials = o.trials();
            double mainMs = mainCpu / 1e6 / trials;
            double consumerMs = consumerCpu / 1e6 / trials;
            double finishMs = finishCpu.get() / 1e6 / trials;
            long maxHeap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
            return new Result(o.trials(), o.slots(), o.epochs(), o.epochMillis(), wall, consumer.accepted(), n,
                    stops.get(), mainMs + consumerMs + finishMs, mainMs, consumerMs, finishMs,
                    processCpu / 1e6 / trials, pct(lat, 0.5) / 1e6, pct(lat, 0.99) / 1e6,
                    n == 0 ? Double.NaN : lat[n - 1] / 1e6, pct(gp, 0.5) / 1e6, pct(gp, 0.99) / 1e6,
                    gp.length == 0 ? Double.NaN : gp[gp.length - 1] / 1e6, peakHeap / 1048576.0, heapAfterGc(),
                    maxHeap < 0 ? -1 : maxHeap / 1048576, split, slow);
        }
    }

    /** The heap in use after the last collection, summed over the heap pools that report it (MB). */
    private static double heapAfterGc() {
        long sum = 0;
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getCollectionUsage() != null) {
                sum += pool.getCollectionUsage().getUsed();
            }
        }
        return sum / 1048576.0;
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private static double pct(long[] sorted, double q) {
        return Quantiles.nearestRank(i -> sorted[i], sorted.length, q);
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** A human line before the JSON. */
    public static String summary(Result r) {
        return String.format(java.util.Locale.ROOT, "%d trials, %d slots, %d epochs x %d ms: %.1f s; driver CPU "
                        + "%.2f ms/trial; decision latency p50 %.1f ms, p99 %.1f ms; GP proposal p50 %.1f ms, p99 %.1f "
                        + "ms; peak heap %.0f MB", r.trials(), r.slots(), r.epochs(), r.epochMillis(), r.wallSeconds(),
                r.driverCpuMsPerTrial(), r.decisionP50(), r.decisionP99(), r.gpP50(), r.gpP99(), r.peakHeapMb());
    }
}
