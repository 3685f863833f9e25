package io.gradtune.driver.bench;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.stopping.StoppingSettings;
import io.gradtune.driver.stopping.StoppingPolicy;
import io.gradtune.driver.stopping.StudyCurves;
import io.gradtune.driver.stream.EmbeddedKafka;
import io.gradtune.driver.stream.MetricsConsumer;
import io.gradtune.driver.stream.Topics;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;
import io.gradtune.worker.telemetry.KafkaMetricsPublisher;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Decision latency and consumer throughput of the driver's stream path on a real embedded broker: synthetic
 * publishers (one thread per trial, the worker's own {@link KafkaMetricsPublisher}) send epoch records with
 * realistic layer stats; the consumer feeds the default stopping policy exactly as the study does. Latency is
 * from the record's creation on the publisher to the policy's decision on the driver.
 */
public final class StreamBenchmark {

    /** Latency percentiles in milliseconds and records per second. */
    public record Result(int trials, int epochs, long records, double p50Millis, double p99Millis, double maxMillis,
                         double recordsPerSecond) {
        public String toJson() {
            return String.format(Locale.ROOT, "{\"trials\":%d,\"epochs\":%d,\"records\":%d,\"decision_latency_ms\":"
                            + "{\"p50\":%.2f,\"p99\":%.2f,\"max\":%.2f},\"consumer_records_per_second\":%.0f}",
                    trials, epochs, records, p50Millis, p99Millis, maxMillis, recordsPerSecond);
        }
    }

    private StreamBenchmark() {
    }

    /**
     * @param trials      concurrent synthetic trials
     * @param epochs      records per trial
     * @param epochMillis pause between a trial's records (0 = as fast as possible, for throughput)
     */
    public static Result run(int trials, int epochs, long epochMillis) throws InterruptedException {
        try (EmbeddedKafka broker = EmbeddedKafka.start(null)) {
            String bootstrap = broker.bootstrapServers();
            Topics.ensure(bootstrap, Map.of(), "bench.metrics", "bench.trials");
            StoppingPolicy policy = StoppingSettings.defaults().toPolicy(epochs);
            Map<String, List<EpochMetrics>> curves = new HashMap<>();
            long[] latencyNanos = new long[trials * epochs];
            int[] count = new int[1];
            CountDownLatch all = new CountDownLatch(trials * epochs);
            long[] firstLast = {Long.MAX_VALUE, 0};
            try (MetricsConsumer consumer = new MetricsConsumer(bootstrap, Map.of(), "bench.metrics", "bench", (m, raw) -> {
                List<EpochMetrics> curve = curves.computeIfAbsent(m.trialId(), k -> new ArrayList<>());
                curve.add(m);
                policy.evaluate(List.copyOf(curve), new StudyCurves("val_accuracy", true, curves));
                long decidedNanos = System.nanoTime();
                latencyNanos[count[0]++] = (System.currentTimeMillis() - m.timestampMillis()) * 1_000_000L;
                firstLast[0] = Math.min(firstLast[0], decidedNanos);
                firstLast[1] = Math.max(firstLast[1], decidedNanos);
                all.countDown();
            })) {
                consumer.start();
                KafkaMetricsPublisher publisher = KafkaMetricsPublisher.shared(bootstrap, "bench.metrics");
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < trials; t++) {
                    String id = String.format("t%04d", t + 1);
                    SplittableRandom r = new SplittableRandom(t);
                    Thread th = new Thread(() -> publish(publisher, id, epochs, epochMillis, r));
                    threads.add(th);
                    th.start();
                }
                for (Thread th : threads) {
                    th.join();
                }
                publisher.flush();
                if (!all.await(120, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("only " + count[0] + " of " + trials * epochs + " records arrived");
                }
            } finally {
                KafkaMetricsPublisher.closeAll();
            }
            long[] sorted = Arrays.copyOf(latencyNanos, count[0]);
            Arrays.sort(sorted);
            double seconds = Math.max(1e-9, (firstLast[1] - firstLast[0]) / 1e9);
            return new Result(trials, epochs, count[0], pct(sorted, 0.50), pct(sorted, 0.99),
                    sorted[sorted.length - 1] / 1e6, count[0] / seconds);
        }
    }

    private static void publish(KafkaMetricsPublisher publisher, String id, int epochs, long pause, SplittableRandom r) {
        for (int e = 1; e <= epochs; e++) {
            List<LayerStats> layers = new ArrayList<>();
            for (int l = 0; l < 4; l++) {
                layers.add(new LayerStats(l, String.valueOf(l), l == 3 ? "output" : "dense", l == 3 ? "softmax" : "relu",
                        0.5 + r.nextDouble(), 0.01, 0.2, 1e-3, 5, 0, 0, l == 3 ? null : 0.05, null, 0.8));
            }
            publisher.publish(EpochMetrics.of("bench", id, 0, e, 2.0 / e, 2.1 / e, Math.min(0.99, 0.5 + 0.03 * e + 0.1 * r.nextDouble()),
                    1e-3, pause, System.currentTimeMillis(), layers));
            if (pause > 0) {
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static double pct(long[] sorted, double q) {
        int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }
}
