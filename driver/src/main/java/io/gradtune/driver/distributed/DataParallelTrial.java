package io.gradtune.driver.distributed;

import io.gradtune.worker.data.DataLoader;
import io.gradtune.worker.data.PreparedData;
import io.gradtune.worker.model.HyperParameters;
import io.gradtune.worker.model.Networks;
import io.gradtune.worker.model.PortableModel;
import io.gradtune.worker.model.TrainableNetwork;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.protocol.TrialSpec;
import io.gradtune.worker.protocol.Verdict;
import io.gradtune.worker.stopping.TrialStopping;
import io.gradtune.worker.telemetry.Delivery;
import io.gradtune.worker.telemetry.MetricsPublisher;
import io.gradtune.worker.telemetry.Verdicts;
import io.gradtune.worker.train.Evaluation;
import io.gradtune.worker.train.TrialRunner;
import io.gradtune.worker.train.WorkerRuntime;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One trial trained data-parallel ({@code training.workers: N}, N &ge; 2): run by the driver on its own thread as
 * dl4j-spark jobs of N partitions ({@link DataParallelTrainer}), and otherwise a trial like any other. It builds the
 * network exactly as a task would (the worker's {@code TrialRunner.untrained}, i.e. {@code Networks.build} with the
 * trial's parameters, scaling and seed, on the study's broadcast rows), and after every epoch, on the averaged
 * network: evaluates the validation split ({@code TrialRunner.evaluate}, the workers' own scoring), measures the
 * per-layer statistics ({@link AveragedLayerStats}), publishes one {@link EpochMetrics} with the workers' publisher
 * (same topic, protocol and Kafka settings; executor id {@value #EXECUTOR_ID}, attempt 0) and waits for its
 * acknowledgement; applies the spec's per-trial rules (a rule that fires ends the trial COMPLETED at that epoch, as a
 * worker does) and, at the spec's decision epochs, waits for the driver's verdict (a stop ends it INTERRUPTED, as a
 * worker does). A raised stop flag (the study's cancel) ends it INTERRUPTED between epochs, and a cancelled Spark
 * job within a round.
 *
 * <p>Differences from a single-task trial: gradients are not observable (records carry none, see
 * {@link AveragedLayerStats}); the training loss is the averaged network's loss on the whole training split after
 * the epoch ({@link #trainingLoss}), not the mean of the epoch's mini-batch losses; reduce-on-plateau keeps the first rate (dl4j-spark owns the
 * updater state between rounds); one attempt (Spark retries the individual tasks of a round, the trial is not rerun).
 */
public final class DataParallelTrial {

    /** The executor id a data-parallel trial's records carry: the driver runs the trial. */
    public static final String EXECUTOR_ID = "driver";

    /** First rows of the validation split used as the probe batch for activation health (as the workers). */
    static final int PROBE_ROWS = 256;

    /** How long a trial waits for the driver's verdict at a decision epoch before it trains on (as the workers). */
    static final Duration VERDICT_WAIT = Duration.ofSeconds(30);

    private final JavaSparkContext sc;
    private final int workers;
    private final int averagingFrequency;
    private final MetricsPublisher publisher;
    private final Verdicts verdicts;
    private final String host;

    /**
     * @param workers            partitions of the trial's data (N), at least 2 in a study; 1 works too (tests)
     * @param averagingFrequency mini-batches each worker fits between averagings
     * @param publisher          where the epoch records go (the workers' {@code KafkaMetricsPublisher})
     * @param verdicts           the control topic's reader, or null: never waits for a verdict
     */
    public DataParallelTrial(JavaSparkContext sc, int workers, int averagingFrequency, MetricsPublisher publisher,
                             Verdicts verdicts) {
        this.sc = sc;
        this.workers = workers;
        this.averagingFrequency = averagingFrequency;
        this.publisher = publisher;
        this.verdicts = verdicts;
        this.host = sc.getConf().get("spark.driver.host", "localhost");
    }

    /** The trial ended early on purpose: a per-trial rule fired (COMPLETED) or a stop came (INTERRUPTED). */
    private static final class EndTrial extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final TrialOutcome.Status status;

        EndTrial(TrialOutcome.Status status) {
            super(status.name(), null, false, false);
            this.status = status;
        }
    }

    /** How far the trial got. */
    private static final class Progress {
        int epochs;
        Evaluation last = Evaluation.NONE;
        long numParams;
        int batchesPerEpoch;
    }

    /**
     * Trains the trial; never throws for a training failure (a FAILED outcome carries it).
     *
     * @param stopRequested polled between epochs and while waiting for the broker; true ends the trial INTERRUPTED
     */
    public TrialOutcome run(TrialSpec spec, BooleanSupplier stopRequested) {
        long start = System.nanoTime();
        Progress p = new Progress();
        try {
            WorkerRuntime.ensureInitialized();
            HyperParameters h = Networks.trainingParameters(spec.params(), spec.modelClass(), spec.fineTune());
            PreparedData data = DataLoader.prepared(spec.data(), h.scaling(), spec.params());
            Model initial;
            List<TrainableNetwork.LayerInfo> layers;
            double rate;
            TrainableNetwork net = TrialRunner.untrained(spec.modelClass(), spec.fineTune(), spec.params(), h, data,
                    spec.seed());
            try {
                initial = PortableModel.of(net);
                layers = List.copyOf(net.layers());
                rate = net.learningRate();
                p.numParams = net.numParams();
            } finally {
                net.close();
            }
            long rows = data.trainX().rows();
            p.batchesPerEpoch = (int) ((rows + h.batchSize() - 1) / h.batchSize());
            int steps = AveragedLayerStats.stepsPerWorker(rows, h.batchSize(), workers);
            int probeRows = (int) Math.min(PROBE_ROWS, data.valX().rows());
            INDArray probe = data.valX().get(NDArrayIndex.interval(0, probeRows), NDArrayIndex.all());
            TrialStopping rules = TrialStopping.fromSpec(spec.stopping());
            List<EpochMetrics> curve = new ArrayList<>(spec.epochs());
            DataParallelSettings settings = new DataParallelSettings(workers, h.batchSize(), spec.epochs(),
                    averagingFrequency, spec.seed());
            DataParallelTrainer.EpochListener listener = (stats, averaged) -> {
                long t0 = System.nanoTime();
                Evaluation ev = TrialRunner.evaluate(PortableModel.output(averaged, data.valX()), data,
                        trainingLoss(averaged, data));
                List<LayerStats> layerStats = AveragedLayerStats.of(stats, layers, averaged.paramTable(), steps,
                        activations(averaged, probe, layers));
                long millis = Math.round(stats.seconds() * 1000) + (System.nanoTime() - t0) / 1_000_000;
                EpochMetrics record = EpochMetrics.of(spec.study(), spec.runId(), spec.trialId(), 0, EXECUTOR_ID, host,
                        stats.epoch(), ev.trainLoss(), ev.valLoss(), ev.valAccuracy(), rate, millis,
                        System.currentTimeMillis(), layerStats).withBatches(p.batchesPerEpoch);
                if (data.regression()) {
                    record = record.withRegression(ev.valMae(), ev.valR2());
                }
                awaitDelivery(publisher.send(record), stopRequested);
                curve.add(record);
                p.epochs = stats.epoch();
                p.last = ev;
                if (rules != null && rules.evaluate(curve).stops()) {
                    throw new EndTrial(TrialOutcome.Status.COMPLETED); // the driver's policy decides the same
                }
                if (verdicts != null && stats.epoch() < spec.epochs() && spec.decisionEpochs() != null
                        && spec.decisionEpochs().contains(stats.epoch())) {
                    awaitVerdict(spec, stats.epoch(), stopRequested);
                }
                if (stopRequested.getAsBoolean()) {
                    throw new EndTrial(TrialOutcome.Status.INTERRUPTED);
                }
            };
            if (initial instanceof MultiLayerNetwork mln) {
                DataParallelTrainer.train(sc, mln, data.trainX(), data.trainY(), settings, listener);
            } else {
                DataParallelTrainer.train(sc, (ComputationGraph) initial, data.trainX(), data.trainY(), settings,
                        listener);
            }
            publisher.flush();
            return outcome(spec, TrialOutcome.Status.COMPLETED, p, start, null);
        } catch (EndTrial e) {
            flushQuietly();
            return outcome(spec, e.status, p, start, null);
        } catch (Exception e) { // Spark throws its checked SparkException (a cancelled or failed job) undeclared
            flushQuietly();
            if (stopRequested.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                return outcome(spec, TrialOutcome.Status.INTERRUPTED, p, start, null);
            }
            return outcome(spec, TrialOutcome.Status.FAILED, p, start,
                    e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            WorkerRuntime.releaseThreadMemory();
        }
    }

    /**
     * The averaged network's loss on the whole training split after the epoch (DL4J's score, regularization
     * included, as the workers' mini-batch scores): dl4j-spark's own averaged score is not kept without its training
     * statistics, and the workers' per-mini-batch scores never reach the driver.
     */
    static double trainingLoss(Model model, PreparedData data) {
        org.nd4j.linalg.dataset.DataSet train = new org.nd4j.linalg.dataset.DataSet(data.trainX(), data.trainY());
        if (model instanceof MultiLayerNetwork mln) {
            return mln.score(train, false);
        }
        return ((ComputationGraph) model).score(train, false);
    }

    /** The probe rows' activations of every weight layer of the averaged network, by layer key. */
    static Map<String, INDArray> activations(Model model, INDArray probe, List<TrainableNetwork.LayerInfo> layers) {
        Map<String, INDArray> out = new HashMap<>();
        if (model instanceof MultiLayerNetwork mln) {
            List<INDArray> ff = mln.feedForward(probe, false); // index 0 is the input, i + 1 layer i
            for (TrainableNetwork.LayerInfo info : layers) {
                int i = Integer.parseInt(info.key());
                if (i + 1 < ff.size()) {
                    out.put(info.key(), ff.get(i + 1));
                }
            }
        } else if (model instanceof ComputationGraph graph) {
            Map<String, INDArray> ff = graph.feedForward(probe, false);
            for (TrainableNetwork.LayerInfo info : layers) {
                INDArray a = ff.get(info.key());
                if (a != null) {
                    out.put(info.key(), a);
                }
            }
        }
        return out;
    }

    private void awaitVerdict(TrialSpec spec, int epoch, BooleanSupplier stopRequested) {
        try {
            Verdict v = verdicts.await(spec.runId(), spec.trialId(), 0, epoch, VERDICT_WAIT,
                    () -> stopRequested.getAsBoolean() || Thread.currentThread().isInterrupted());
            if (v != null && v.stop()) {
                throw new EndTrial(TrialOutcome.Status.INTERRUPTED);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EndTrial(TrialOutcome.Status.INTERRUPTED);
        }
    }

    /** Waits for a record's acknowledgement before the next epoch; a stop ends the trial INTERRUPTED. */
    private static void awaitDelivery(Delivery delivery, BooleanSupplier stopRequested) {
        try {
            if (!delivery.await(() -> stopRequested.getAsBoolean() || Thread.currentThread().isInterrupted())) {
                throw new EndTrial(TrialOutcome.Status.INTERRUPTED);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EndTrial(TrialOutcome.Status.INTERRUPTED);
        }
    }

    private void flushQuietly() {
        try {
            publisher.flush();
        } catch (RuntimeException ignored) {
            // the trial's own end is the one to report
        }
    }

    private static TrialOutcome outcome(TrialSpec spec, TrialOutcome.Status status, Progress p, long startNanos,
                                        String error) {
        TrialOutcome o = TrialOutcome.of(spec.study(), spec.trialId(), 0, status, p.epochs, p.last.trainLoss(),
                p.last.valLoss(), p.last.valAccuracy(), p.numParams, (System.nanoTime() - startNanos) / 1e9, error)
                .withBatches(p.batchesPerEpoch, 0);
        return spec.data() != null && spec.data().regression() ? o.withRegression(p.last.valMae(), p.last.valR2()) : o;
    }
}
