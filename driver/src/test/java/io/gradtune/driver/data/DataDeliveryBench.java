package io.gradtune.driver.data;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.worker.data.DataLoader;
import io.gradtune.worker.data.PreparedData;
import io.gradtune.worker.data.SharedData;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.TrialSpec;
import io.gradtune.worker.telemetry.MetricsPublisher;
import io.gradtune.worker.train.TrialRunner;
import io.gradtune.worker.train.WorkerRuntime;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures how a study's data reaches the trials, in one fresh JVM per run (Spark local[2]; not a test):
 * {@code executor-read} is the way before the driver read the data (each executor JVM parses, splits and caches the
 * local file itself on its first trial); {@code broadcast} is the driver reading (csv through gradtune's reader, or a
 * URI through Spark SQL), splitting and broadcasting once, each executor JVM taking the broadcast on its first trial.
 * Three trials of one epoch run one after the other; it prints the time from "Spark is up" to the first trial's first
 * epoch, the data step of each trial, and the driver's heap and Spark storage memory after the trials.
 *
 * <pre>
 * java -cp "$(cat driver/target/bench.classpath):driver/target/test-classes:driver/target/classes" [Spark's --add-opens]
 *      io.gradtune.driver.data.DataDeliveryBench MODE SOURCE
 * </pre>
 * MODE is {@code executor-read} or {@code broadcast}; SOURCE a local csv path or a URI (file:///..., parquet too);
 * {@code -Dbench.reads=2} reads once more after the trials, in the warm JVM.
 * {@code write-parquet CSV OUT} writes a csv file as parquet, for the parquet figures.
 */
public final class DataDeliveryBench {

    /** Time of the first epoch record of the running trial (same JVM in local mode). */
    static volatile long firstEpochNanos;

    private DataDeliveryBench() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String source = args[1];
        if (mode.equals("write-parquet")) {   // write-parquet CSV OUT_DIR: the csv (header, types inferred) as parquet
            org.apache.spark.sql.SparkSession spark = org.apache.spark.sql.SparkSession.builder()
                    .config(new SparkConf().setMaster("local[2]").setAppName("write-parquet")
                            .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                            .set("spark.driver.bindAddress", "127.0.0.1")).getOrCreate();
            spark.read().option("header", "true").option("inferSchema", "true").csv(source)
                    .write().mode(org.apache.spark.sql.SaveMode.Overwrite).parquet(args[2]);
            spark.stop();
            return;
        }
        Path cfg = Files.createTempFile("bench", ".yaml");
        Files.writeString(cfg, """
                study: bench
                data: {source: '%s', label_column: label, split: {train: 0.6, validation: 0.2}, seed: 0}
                search: {algorithm: random, max_trials: 2, seed: 1}
                space: {learning_rate: 0.005}
                training: {epochs: 1, batch_size: 64, layers: 1, units: 64}
                """.formatted(source));
        StudyConfig config = StudyConfigLoader.load(cfg);
        if (mode.equals("executor-read") && !config.data().readsLocalFiles()) {
            throw new IllegalArgumentException("executor-read needs a local csv or idx path");
        }
        JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("bench")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1").set("spark.executorEnv.OMP_NUM_THREADS", "1"));
        WorkerRuntime.ensureInitialized();   // ND4J start-up is the same for both modes: keep it out of the figures
        sc.parallelize(List.of(1), 1).count();   // and Spark's first-job start-up
        List<String> jobs = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Map<Integer, Long> jobStarts = new java.util.concurrent.ConcurrentHashMap<>();
        sc.sc().addSparkListener(new org.apache.spark.scheduler.SparkListener() {
            @Override
            public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
                jobStarts.put(start.jobId(), start.time());
            }

            @Override
            public void onJobEnd(org.apache.spark.scheduler.SparkListenerJobEnd end) {
                jobs.add("job " + end.jobId() + ": " + (end.time() - jobStarts.getOrDefault(end.jobId(), end.time())) + " ms");
            }
        });
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long baseHeap = heapAfterGc();
        long baseStorage = storage();

        jobs.clear();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        long readNanos = 0;
        long readCpu = 0;
        long broadcastNanos = 0;
        long serializedBytes = 0;
        long decodeNanos = 0;
        Broadcast<SharedData> broadcast = null;
        io.gradtune.worker.protocol.DataSpec spec = config.data();
        if (mode.equals("broadcast")) {
            if (!config.data().readsLocalFiles()) {
                long s0 = System.nanoTime();
                StudyData.session(sc.sc());
                System.out.printf(Locale.ROOT, "  Spark SQL session: %.0f ms%n", (System.nanoTime() - s0) / 1e6);
            }
            StudyData data = StudyData.prepare(config, sc.sc());
            readNanos = System.nanoTime() - t0;
            readCpu = os.getProcessCpuTime() - cpu0;
            System.out.println("  Spark jobs of the read: " + jobs);
            long b0 = System.nanoTime();
            broadcast = sc.broadcast(data.shared());
            broadcastNanos = System.nanoTime() - b0;
            spec = data.spec();
            System.out.println(data.summary());
            // What an executor on another host does on its first trial: decode the broadcast's bytes.
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(data.shared());
            }
            serializedBytes = bytes.size();
            long d0 = System.nanoTime();
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                in.readObject();
            }
            decodeNanos = System.nanoTime() - d0;
        }
        String[] trials = new String[3];
        long firstEpoch = 0;
        long firstEpochCpu = 0;
        for (int i = 0; i < trials.length; i++) {
            TrialSpec trial = TrialSpec.of("bench", "bench", "t" + i, Map.of("learning_rate", 0.005, "layers", 1, "units", 64),
                    1, 1 + i, spec, "unused:9092", "unused");
            firstEpochNanos = 0;
            trials[i] = sc.parallelize(List.of(io.gradtune.worker.protocol.ProtocolCodec.encode(trial)), 1)
                    .map(new OneTrial(broadcast)).collect().get(0);
            if (i == 0) {
                firstEpoch = firstEpochNanos - t0;
                firstEpochCpu = os.getProcessCpuTime() - cpu0;
            }
        }
        long heap = heapAfterGc() - baseHeap;
        long storage = storage() - baseStorage;
        System.out.printf(Locale.ROOT, "mode=%s source=%s%n  time to first epoch %.0f ms, process CPU %.0f ms (driver read+split %.0f ms, "
                        + "CPU %.0f ms; broadcast %.1f ms)%n  trial 1 data step: %s%n  trial 2 data step: %s%n  trial 3 data step: %s%n"
                        + "  driver heap after the trials (after GC, over the baseline): %.2f MB; Spark storage memory "
                        + "used: %.2f MB%n  broadcast: %d bytes serialized, decoded in %.1f ms%n",
                mode, source, firstEpoch / 1e6, firstEpochCpu / 1e6, readNanos / 1e6, readCpu / 1e6, broadcastNanos / 1e6, trials[0], trials[1], trials[2],
                heap / 1e6, storage / 1e6, serializedBytes, decodeNanos / 1e6);
        // -Dbench.reads=N: N-1 more reads by the driver, now that the JVM is warm
        for (int again = 1; mode.equals("broadcast") && again < Integer.getInteger("bench.reads", 1); again++) {
            long r0 = System.nanoTime();
            long c0 = os.getProcessCpuTime();
            StudyData.prepare(config, sc.sc());
            System.out.printf(Locale.ROOT, "  read again (warm JVM): %.0f ms, CPU %.0f ms%n",
                    (System.nanoTime() - r0) / 1e6, (os.getProcessCpuTime() - c0) / 1e6);
        }
        sc.close();
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long storage() {
        return SparkEnv.get().memoryManager().storageMemoryUsed();
    }

    /** One trial's task: get the data as TrainTrialFunction does, then train one epoch. */
    static final class OneTrial implements Function<String, String> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<SharedData> data;

        OneTrial(Broadcast<SharedData> data) {
            this.data = data;
        }

        @Override
        public String call(String json) {
            TrialSpec spec = io.gradtune.worker.protocol.ProtocolCodec.decodeTrialSpec(json).value();
            long t0 = System.nanoTime();
            if (data != null) {
                DataLoader.provide(spec.data(), data::value);
            }
            long provided = System.nanoTime() - t0;

            PreparedData prepared = DataLoader.prepared(spec.data(), null);
            long dataNanos = System.nanoTime() - t0;
            new TrialRunner(new MetricsPublisher() {
                @Override
                public void publish(EpochMetrics metrics) {
                    if (firstEpochNanos == 0) {
                        firstEpochNanos = System.nanoTime();
                    }
                }

                @Override
                public void flush() {
                }
            }).run(spec, 0, () -> false);
            return String.format(Locale.ROOT, "%.1f ms (of which taking the broadcast %.1f ms; %d train rows)",
                    dataNanos / 1e6, provided / 1e6, prepared.trainLabels().length);
        }
    }
}
