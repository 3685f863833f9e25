package io.gradtune.driver.bench;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.diagnose.Diagnoser;
import io.gradtune.driver.report.MetricsLog;
import io.gradtune.driver.run.DecisionWarmUp;
import io.gradtune.driver.run.SyntheticRecords;
import io.gradtune.driver.stopping.StoppingSettings;
import io.gradtune.driver.stream.EmbeddedKafka;
import io.gradtune.driver.stream.MetricsConsumer;
import io.gradtune.driver.stream.MetricsSink;
import io.gradtune.driver.stream.Topics;
import io.gradtune.driver.stream.TrialEventPublisher;
import io.gradtune.driver.study.Study;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.Quantiles;
import io.gradtune.worker.protocol.ReportJson;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.stopping.Decision;
import io.gradtune.worker.telemetry.KafkaMetricsPublisher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decision latency and consumer throughput of the driver's stream path on a real embedded broker, with the driver
 * side wired as {@code StudyRunner} wires it: {@link MetricsConsumer} → {@link Study#onEpoch} with the default
 * stopping rules (stop events published on the trials topic) → {@code metrics.jsonl} ({@link MetricsLog}).
 *
 * <p><b>Latency mode</b> (default). {@code trials} synthetic trials run at once, each publishing one epoch record
 * every {@code epochMillis} through the worker's own {@link KafkaMetricsPublisher} (idempotent, acks=all). As in
 * {@code StudyRunner}, a trial ends when a rule stops it (the synthetic worker checks before each epoch, as a
 * cancelled Spark task would) or after {@code epochs}; its slot is then finished in the study (waiting for its
 * records) and refilled with a new trial, so {@code trials} stay running and the study grows. Latency is measured
 * per record, in one JVM on {@link System#nanoTime()}, from just before the publisher's {@code publish} call (so it
 * includes JSON encoding and the producer) to the return of {@link Study#onEpoch} on the consumer thread, i.e.
 * after the rules decided and any stop was requested. Only records on which the rules ran count as decisions:
 * records that arrive after their trial was already stopped are load, not samples. The first
 * {@code warmupSeconds} are not sampled (JIT compilation and broker start-up, see BENCHMARKS.md); records are
 * sampled when published within the following {@code seconds}.
 *
 * <p><b>Saturation mode.</b> A warm-up round of {@code trials x epochs} records (new trials, no pauses) is
 * published and drained; then the consumer is held at its first record of a second, measured round of new trials
 * until all of that round is published and flushed, and released. Records per second from the release to the last
 * record's sink call is the consumer's throughput with nothing else running; {@code decisions_sampled} then counts
 * the measured records on which the rules ran (the others belong to trials already stopped).
 */
public final class StreamBenchmark {

    /** Wait for a finished trial's records, as {@code StudyRunner} does. */
    private static final long RECORD_WAIT_MILLIS = 30_000;

    /**
     * @param trials        concurrent synthetic trials (slots)
     * @param epochs        maximum epochs of a trial (ASHA's R)
     * @param epochMillis   time between a trial's records (latency mode)
     * @param warmupSeconds unsampled start (latency mode)
     * @param seconds       sampled duration (latency mode)
     * @param saturate      saturation mode instead of latency mode
     * @param decisionWarmUp warm the decision path up while the broker starts, as the driver does
     *                       ({@link DecisionWarmUp}); false measures a driver without it
     */
    public record Options(int trials, int epochs, long epochMillis, double warmupSeconds, double seconds,
                          boolean saturate, boolean decisionWarmUp) {
        public Options {
            if (trials < 1 || epochs < 1 || epochMillis < 0 || warmupSeconds < 0 || seconds <= 0) {
                throw new IllegalArgumentException("trials and epochs must be >= 1, epoch-millis and warmup >= 0, "
                        + "seconds > 0");
            }
        }
    }

    /**
     * Latency percentiles (nearest rank) in milliseconds over the sampled decisions, and of the part of it before
     * the consumer's sink was called (producer, broker, fetch, decoding, earlier records of the same poll);
     * consumer records per second; per-record time in the sink (metrics log + onEpoch) in microseconds.
     */
    public record Result(String mode, int trials, int epochs, long epochMillis, long records, long decisions,
                         long stops, int studyTrials, double p50Millis, double p99Millis, double maxMillis,
                         double toSinkP50Millis, double toSinkP99Millis,
                         double recordsPerSecond, double serviceP50Micros, double serviceP99Micros,
                         double serviceMeanMicros) {
        /**
         * One line of JSON with snake_case keys; milliseconds to 2 decimals, microseconds to 1, records per second
         * to whole numbers; a percentile of an empty sample (NaN) is written as null (see {@link ReportJson}).
         */
        public String toJson() {
            Map<String, Object> latency = new LinkedHashMap<>();
            latency.put("p50", ReportJson.fixed(p50Millis, 2));
            latency.put("p99", ReportJson.fixed(p99Millis, 2));
            latency.put("max", ReportJson.fixed(maxMillis, 2));
            Map<String, Object> toSink = new LinkedHashMap<>();
            toSink.put("p50", ReportJson.fixed(toSinkP50Millis, 2));
            toSink.put("p99", ReportJson.fixed(toSinkP99Millis, 2));
            Map<String, Object> service = new LinkedHashMap<>();
            service.put("p50", ReportJson.fixed(serviceP50Micros, 1));
            service.put("p99", ReportJson.fixed(serviceP99Micros, 1));
            service.put("mean", ReportJson.fixed(serviceMeanMicros, 1));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mode", mode);
            m.put("trials", trials);
            m.put("epochs", epochs);
            m.put("epoch_millis", epochMillis);
            m.put("records", records);
            m.put("decisions_sampled", decisions);
            m.put("stops", stops);
            m.put("study_trials", studyTrials);
            m.put("decision_latency_ms", latency);
            m.put("publish_to_sink_ms", toSink);
            m.put("consumer_records_per_second", ReportJson.fixed(recordsPerSecond, 0));
            m.put("consumer_us_per_record", service);
            return ReportJson.line(m);
        }
    }

    private StreamBenchmark() {
    }

    /** Latency mode with the given load, as before the options record existed. */
    public static Result run(int trials, int epochs, long epochMillis) throws InterruptedException {
        return run(new Options(trials, epochs, epochMillis, 5, 20, false, true));
    }

    public static Result run(Options o) throws InterruptedException {
        Path logDir;
        try {
            logDir = Files.createTempDirectory("gradtune-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // As StudyRunner: the warm-up runs while the broker starts and is joined before the consumer starts.
        Thread warmUp = o.decisionWarmUp() ? DecisionWarmUp.start(config(o)) : null;
        try (EmbeddedKafka broker = EmbeddedKafka.start(null)) {
            return new Run(o, broker.bootstrapServers(), logDir.resolve("metrics.jsonl"), warmUp).run();
        } finally {
            KafkaMetricsPublisher.closeAll();
            try {
                Files.deleteIfExists(logDir.resolve("metrics.jsonl"));
                Files.deleteIfExists(logDir);
            } catch (IOException ignored) {
                // a leftover temporary file is harmless
            }
        }
    }

    /** The benchmark study: default stopping rules, val_accuracy maximised. */
    static StudyConfig config(Options o) {
        return new StudyConfig(null, Run.STUDY, new StudyConfig.Objective("val_accuracy", true), null, null, null,
                new StudyConfig.Training(o.epochs(), Map.of()), StoppingSettings.defaults(), null, null, null);
    }

    /** One benchmark run's state. */
    private static final class Run {
        private static final String STUDY = "bench";
        private static final String RUN_ID = "bench-run";
        private final Options o;
        private final String bootstrap;
        private final Path metricsLog;
        private final Set<String> stopped = ConcurrentHashMap.newKeySet();
        private final Map<String, Long> publishedNanos = new ConcurrentHashMap<>();
        private final AtomicLong published = new AtomicLong();
        private final AtomicInteger stops = new AtomicInteger();
        private final LongList latencies = new LongList();
        private final LongList service = new LongList();
        private final LongList toSink = new LongList();
        private final AtomicLong rulesRan = new AtomicLong();
        private volatile java.util.concurrent.CountDownLatch gate;
        private volatile boolean measuring;
        private volatile long sampleFrom = Long.MAX_VALUE;
        private volatile long sampleUntil = Long.MAX_VALUE;
        private volatile long firstHandled;
        private volatile long lastHandled;
        private volatile long handled;

        private final Thread warmUp;

        Run(Options o, String bootstrap, Path metricsLog, Thread warmUp) {
            this.o = o;
            this.bootstrap = bootstrap;
            this.metricsLog = metricsLog;
            this.warmUp = warmUp;
        }

        Result run() throws InterruptedException {
            Topics.ensure(bootstrap, Map.of(), List.of("bench.metrics", "bench.trials"), 4, null);
            StudyConfig config = config(o);
            try (MetricsLog log = new MetricsLog(metricsLog);
                 TrialEventPublisher events = new TrialEventPublisher(bootstrap, Map.of(), "bench.trials", STUDY, RUN_ID)) {
                Study study = new Study(config, RUN_ID, config.stopping().toPolicy(o.epochs()),
                        Diagnoser.forSettings(config.stopping()), new Study.Listener() {
                    @Override
                    public void stopRequested(String trialId, Decision decision) {
                        stopped.add(trialId);
                        stops.incrementAndGet();
                    }

                    @Override
                    public void event(String trialId, String event, Map<String, ?> fields) {
                        events.publish(trialId, event, fields);
                    }

                    @Override
                    public void recordAccepted(EpochMetrics m, String raw) {
                        log.append(raw); // after the decision, as StudyRunner does
                    }
                });
                try (MetricsConsumer consumer = new MetricsConsumer(bootstrap, Map.of(), "bench.metrics", STUDY,
                        new MetricsSink() {
                            @Override
                            public void accept(EpochMetrics m, String raw) {
                                handle(log, study, m, raw);
                            }

                            @Override
                            public void endOfBatch() {
                                log.flush(); // as StudyRunner does
                            }
                        })) {
                    KafkaMetricsPublisher publisher = KafkaMetricsPublisher.shared(bootstrap, "bench.metrics");
                    return o.saturate() ? saturate(study, consumer, publisher) : latency(study, consumer, publisher);
                }
            }
        }

        /** The consumer's sink, as StudyRunner's plus timing; its per-record time includes the log append. */
        private void handle(MetricsLog log, Study study, EpochMetrics m, String raw) {
            java.util.concurrent.CountDownLatch g = gate;
            if (g != null) {
                try {
                    g.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            long start = System.nanoTime();
            boolean decides = !stopped.contains(m.trialId());
            study.onEpoch(m, raw); // an accepted record is appended to the log through the listener, as in StudyRunner
            long done = System.nanoTime();
            Long pub = publishedNanos.remove(m.trialId() + "/" + m.epoch());
            long end = System.nanoTime();
            if (decides && pub != null && pub >= sampleFrom && pub < sampleUntil) {
                latencies.add(done - pub);
                toSink.add(start - pub);
                service.add(end - start);
            } else if (measuring) {
                service.add(end - start);
                if (decides) {
                    rulesRan.incrementAndGet();
                }
            }
            if (handled == 0) {
                firstHandled = start;
            }
            lastHandled = end;
            handled++;
        }

        private Result latency(Study study, MetricsConsumer consumer, KafkaMetricsPublisher publisher)
                throws InterruptedException {
            awaitWarmUp();
            consumer.start();
            long t0 = System.nanoTime();
            sampleFrom = t0 + (long) (o.warmupSeconds() * 1e9);
            sampleUntil = sampleFrom + (long) (o.seconds() * 1e9);
            ExecutorService slots = Executors.newFixedThreadPool(o.trials());
            long handledAtStart = -1;
            long handledStartNanos = 0;
            int started = 0;
            // The proposal loop of StudyRunner: keep every slot busy, wake on every change or after 200 ms.
            while (System.nanoTime() < sampleUntil) {
                if (handledAtStart < 0 && System.nanoTime() >= sampleFrom) {
                    handledAtStart = handled;
                    handledStartNanos = System.nanoTime();
                }
                while (study.active() < o.trials()) {
                    String id = study.create(Map.of("slot", started));
                    study.markRunning(id);
                    study.attemptStarted(id, 0);
                    SplittableRandom r = new SplittableRandom(started++);
                    slots.submit(() -> trial(study, publisher, id, r));
                }
                study.awaitChange(200);
            }
            long handledAtEnd = handled;
            long handledEndNanos = System.nanoTime();
            slots.shutdown();
            if (!slots.awaitTermination(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("synthetic trials did not finish");
            }
            publisher.flush();
            awaitConsumed(consumer);
            double perSecond = (handledAtEnd - Math.max(0, handledAtStart)) / ((handledEndNanos - handledStartNanos) / 1e9);
            return result("latency", study, consumer, perSecond);
        }

        private void awaitWarmUp() throws InterruptedException {
            if (warmUp != null) {
                warmUp.join(10_000);
            }
        }

        /** One synthetic trial on a slot: an epoch every epochMillis until stopped, done or out of time. */
        private void trial(Study study, KafkaMetricsPublisher publisher, String id, SplittableRandom r) {
            int run = 0;
            try {
                run = EmulatedEpochs.run(publisher, STUDY, RUN_ID, id, o.epochs(), o.epochMillis(), r,
                        () -> stopped.contains(id) || System.nanoTime() >= sampleUntil, publishedNanos, published);
                TrialOutcome.Status status = run == o.epochs() ? TrialOutcome.Status.COMPLETED : TrialOutcome.Status.INTERRUPTED;
                study.finish(id, TrialOutcome.of(STUDY, id, 0, status, run, 0, 0, 0, 1000, 0, null), null,
                        RECORD_WAIT_MILLIS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException ex) {
                ex.printStackTrace();
            }
        }

        private Result saturate(Study study, MetricsConsumer consumer, KafkaMetricsPublisher publisher)
                throws InterruptedException {
            sampleFrom = Long.MAX_VALUE; // no latency samples: records wait in the broker on purpose
            awaitWarmUp();
            consumer.start();
            publishAll(study, publisher); // warm-up round on its own trials, drained as it arrives
            awaitConsumed(consumer);
            gate = new java.util.concurrent.CountDownLatch(1);
            measuring = true;
            long before = handled;
            publishAll(study, publisher); // the consumer holds its first record at the gate meanwhile
            long t0 = System.nanoTime();
            gate.countDown();
            awaitConsumed(consumer);
            double perSecond = (handled - before) / Math.max(1e-9, (lastHandled - t0) / 1e9);
            return result("saturate", study, consumer, perSecond);
        }

        /** trials x epochs records of new trials, one publishing thread per trial, no pauses. */
        private void publishAll(Study study, KafkaMetricsPublisher publisher) throws InterruptedException {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < o.trials(); t++) {
                String id = study.create(Map.of("slot", t));
                study.markRunning(id);
                study.attemptStarted(id, 0);
                SplittableRandom r = new SplittableRandom(study.size());
                Thread th = new Thread(() -> {
                    double quality = r.nextDouble();
                    for (int e = 1; e <= o.epochs(); e++) {
                        publisher.publish(SyntheticRecords.epoch(STUDY, RUN_ID, id, e, quality, false, o.epochMillis(), r));
                        published.incrementAndGet();
                    }
                });
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                th.join();
            }
            publisher.flush();
        }

        private void awaitConsumed(MetricsConsumer consumer) throws InterruptedException {
            long deadline = System.nanoTime() + 300_000_000_000L;
            while (consumer.accepted() < published.get()) {
                if (consumer.failure() != null) {
                    throw new IllegalStateException("consumer failed", consumer.failure());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + consumer.accepted() + " of " + published.get()
                            + " records arrived");
                }
                Thread.sleep(10);
            }
            Thread.sleep(50); // the last accepted record's onEpoch may still be running
        }

        private Result result(String mode, Study study, MetricsConsumer consumer, double perSecond) {
            long[] lat = latencies.sorted();
            long[] svc = service.sorted();
            long[] sink = toSink.sorted();
            double mean = Arrays.stream(svc).average().orElse(Double.NaN) / 1e3;
            return new Result(mode, o.trials(), o.epochs(), o.epochMillis(), consumer.accepted(),
                    o.saturate() ? rulesRan.get() : lat.length,
                    stops.get(), study.size(), pct(lat, 0.50) / 1e6, pct(lat, 0.99) / 1e6,
                    lat.length == 0 ? Double.NaN : lat[lat.length - 1] / 1e6, pct(sink, 0.50) / 1e6,
                    pct(sink, 0.99) / 1e6, perSecond,
                    pct(svc, 0.50) / 1e3, pct(svc, 0.99) / 1e3, mean);
        }
    }

    private static double pct(long[] sorted, double q) {
        return Quantiles.nearestRank(i -> sorted[i], sorted.length, q);
    }

    /** A growable list of longs, written by the consumer thread only. */
    private static final class LongList {
        private long[] a = new long[1024];
        private int n;

        synchronized void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, 2 * n);
            }
            a[n++] = v;
        }

        synchronized long[] sorted() {
            long[] s = Arrays.copyOf(a, n);
            Arrays.sort(s);
            return s;
        }
    }
}
