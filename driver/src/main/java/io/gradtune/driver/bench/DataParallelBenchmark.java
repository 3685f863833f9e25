package io.gradtune.driver.bench;

import io.gradtune.driver.distributed.DataParallelSettings;
import io.gradtune.driver.distributed.DataParallelTrainer;
import io.gradtune.driver.exec.SparkTrialExecutor;
import io.gradtune.worker.data.DataLoader;
import io.gradtune.worker.data.PreparedData;
import io.gradtune.worker.data.Scaling;
import io.gradtune.worker.data.StratifiedSplit;
import io.gradtune.worker.data.Table;
import io.gradtune.worker.protocol.ReportJson;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code gradtune bench data-parallel}: one network on one data set, trained in a single JVM with plain
 * {@code MultiLayerNetwork.fit} (the baseline), then by {@link DataParallelTrainer} on a fresh Spark
 * {@code local[N]} context for each N asked for, with the same seed, epochs and per-worker batch size. Reports the
 * training wall time of each (the Spark context's start separately) and the final validation accuracy.
 */
public final class DataParallelBenchmark {

    private DataParallelBenchmark() {
    }

    /**
     * @param data     csv file with a label column
     * @param label    label column name
     * @param workers  worker counts to run, each on {@code local[N]}
     * @param epochs   epochs for every run
     * @param batch    mini-batch size (per worker for the data-parallel runs)
     * @param averagingFrequency mini-batches per worker between averagings
     * @param hidden   hidden layer sizes of the MLP
     * @param seed     seed of the split, the initial weights and dl4j-spark's rounds
     */
    public record Options(Path data, String label, List<Integer> workers, int epochs, int batch,
                          int averagingFrequency, List<Integer> hidden, long seed) {
        public Options {
            workers = List.copyOf(workers);
            hidden = List.copyOf(hidden);
            if (workers.isEmpty() || workers.stream().anyMatch(w -> w < 1)) {
                throw new IllegalArgumentException("--workers must list worker counts of at least 1, got " + workers);
            }
            if (hidden.isEmpty() || hidden.stream().anyMatch(h -> h < 1)) {
                throw new IllegalArgumentException("--hidden must list layer sizes of at least 1, got " + hidden);
            }
            new DataParallelSettings(1, batch, epochs, averagingFrequency, seed); // checks the ranges
        }
    }

    /**
     * One run.
     *
     * @param mode          {@code single-jvm} or {@code spark}
     * @param workers       N (1 for the baseline)
     * @param startSeconds  Spark context start (0 for the baseline)
     * @param trainSeconds  wall time of all epochs
     * @param valAccuracy   validation accuracy after the last epoch
     */
    public record Run(String mode, int workers, double startSeconds, double trainSeconds, double valAccuracy) {
    }

    /** Reads, splits (60/20/20, stratified) and standardizes the data as a study does. */
    public static PreparedData prepare(Path data, String label, long seed) {
        Table all = DataLoader.read(data, "csv", label);
        StratifiedSplit.Parts parts = StratifiedSplit.split(all, 0.6, 0.2, seed);
        Scaling.Fitted scaling = Scaling.STANDARD.fit(parts.train());
        return PreparedData.of(scaling.apply(parts.train()), scaling.apply(parts.validation()));
    }

    /** A plain DL4J MLP (relu hidden layers, Xavier init, softmax output, Adam at 5e-3), seeded. */
    public static MultiLayerNetwork network(int inputs, int classes, List<Integer> hidden, long seed) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(5e-3))
                .weightInit(WeightInit.XAVIER)
                .list();
        int in = inputs;
        for (int i = 0; i < hidden.size(); i++) {
            list.layer(i, new DenseLayer.Builder().nIn(in).nOut(hidden.get(i)).activation(Activation.RELU).build());
            in = hidden.get(i);
        }
        list.layer(hidden.size(), new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(in).nOut(classes)
                .activation(Activation.SOFTMAX).build());
        MultiLayerConfiguration conf = list.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Share of rows whose highest output is their label. */
    public static double accuracy(MultiLayerNetwork net, INDArray features, int[] labels) {
        INDArray predicted = net.output(features, false).argMax(1);
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted.getInt(i) == labels[i]) {
                right++;
            }
        }
        return (double) right / labels.length;
    }

    /** Runs the baseline, then each worker count; prints one line per run to {@code out} as it ends. */
    public static List<Run> run(Options o, PrintStream out) {
        PreparedData data = prepare(o.data(), o.label(), o.seed());
        List<Run> runs = new ArrayList<>();
        runs.add(report(out, baseline(o, data)));
        for (int n : o.workers()) {
            long start = System.nanoTime();
            try (SparkTrialExecutor spark = new SparkTrialExecutor("local[" + n + "]", "gradtune-bench-data-parallel",
                    Map.of())) {
                JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                double started = seconds(start);
                MultiLayerNetwork net = network(data.numFeatures(), data.numClasses(), o.hidden(), o.seed());
                long t = System.nanoTime();
                net = DataParallelTrainer.train(sc, net, data, new DataParallelSettings(n, o.batch(), o.epochs(),
                        o.averagingFrequency(), o.seed()), DataParallelTrainer.EpochListener.NONE);
                double trained = seconds(t);
                runs.add(report(out, new Run("spark", n, started, trained,
                        accuracy(net, data.valX(), data.valLabels()))));
            }
        }
        return runs;
    }

    private static Run baseline(Options o, PreparedData data) {
        MultiLayerNetwork net = network(data.numFeatures(), data.numClasses(), o.hidden(), o.seed());
        List<DataSet> batches = new ArrayList<>();
        long rows = data.trainX().rows();
        for (long from = 0; from < rows; from += o.batch()) {
            long to = Math.min(rows, from + o.batch());
            batches.add(new DataSet(data.trainX().get(NDArrayIndex.interval(from, to), NDArrayIndex.all()),
                    data.trainY().get(NDArrayIndex.interval(from, to), NDArrayIndex.all())));
        }
        long t = System.nanoTime();
        for (int e = 0; e < o.epochs(); e++) {
            net.fit(new ListDataSetIterator<>(batches, 1)); // one list element (a mini-batch) per step
        }
        double trained = seconds(t);
        return new Run("single-jvm", 1, 0, trained, accuracy(net, data.valX(), data.valLabels()));
    }

    private static Run report(PrintStream out, Run r) {
        out.printf("%-10s workers=%d spark_start=%.1fs train=%.2fs val_accuracy=%.4f%n", r.mode(), r.workers(),
                r.startSeconds(), r.trainSeconds(), r.valAccuracy());
        return r;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** The runs as one JSON line: the options, then one object per run. */
    public static String toJson(Options o, List<Run> runs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("benchmark", "data-parallel");
        m.put("data", o.data().toString());
        m.put("epochs", o.epochs());
        m.put("batch_per_worker", o.batch());
        m.put("averaging_frequency", o.averagingFrequency());
        m.put("hidden", o.hidden());
        m.put("seed", o.seed());
        List<Map<String, Object>> rs = new ArrayList<>();
        for (Run r : runs) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("mode", r.mode());
            x.put("workers", r.workers());
            x.put("spark_start_s", ReportJson.fixed(r.startSeconds(), 2));
            x.put("train_s", ReportJson.fixed(r.trainSeconds(), 3));
            x.put("val_accuracy", ReportJson.fixed(r.valAccuracy(), 4));
            rs.add(x);
        }
        m.put("runs", rs);
        return ReportJson.line(m);
    }
}
