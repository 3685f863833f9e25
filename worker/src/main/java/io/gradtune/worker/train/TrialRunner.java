package io.gradtune.worker.train;

import io.gradtune.worker.data.DataLoader;
import io.gradtune.worker.data.PreparedData;
import io.gradtune.worker.model.AugmentParameters;
import io.gradtune.worker.model.AutoencoderFrontEnd;
import io.gradtune.worker.model.AutoencoderParameters;
import io.gradtune.worker.model.HyperParameters;
import io.gradtune.worker.model.Networks;
import io.gradtune.worker.model.TrainableNetwork;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.FineTuneSpec;
import io.gradtune.worker.protocol.LayerStats;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.protocol.TrialSpec;
import io.gradtune.worker.protocol.Verdict;
import io.gradtune.worker.stopping.TrialStopping;
import io.gradtune.worker.telemetry.Delivery;
import io.gradtune.worker.telemetry.GradientStatsListener;
import io.gradtune.worker.telemetry.MetricsPublisher;
import io.gradtune.worker.telemetry.Verdicts;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;

/**
 * Trains one trial on an executor: builds the network, runs the epoch loop over in-memory arrays, evaluates on
 * the validation split, and publishes one {@link EpochMetrics} per epoch. Stops within one mini-batch when
 * asked (a Spark job-group cancel interrupts the thread; {@code stopRequested} covers cooperative stops).
 *
 * <p>Each record carries the learning rate the epoch trained with. After it, the network is told the epoch
 * ended (mini-batch fits do not advance DL4J's epoch counter, which epoch-based schedules read) and, for
 * reduce-on-plateau, the rate for the next epoch is set from the validation loss.
 *
 * <p>Memory: ND4J frees an array's native buffer when its Java object is collected, and a large heap collects
 * rarely, so a trial frees its own arrays instead of leaving them to the collector (BENCHMARKS.md, "Memory per
 * trial"). The training arrays are the executor's shared ones; a trial's mini-batches are gathered from them into
 * two batch-sized buffers ({@link BatchGather}); each epoch's validation pass is freed once its statistics are
 * read; the network's parameters, gradients and updater state and the thread's workspaces are freed when the
 * trial ends, however it ends.
 *
 * <p>Run-ahead bound: before epoch {@code e + 1} starts, the record of epoch {@code e - 1} must be acknowledged by
 * the broker ({@link #RUN_AHEAD} epochs of records may be unacknowledged). Normally that record was acknowledged an
 * epoch ago and nothing waits; while the broker is away the trial pauses after at most two epochs instead of
 * training on past a stop decision the driver cannot make without its records. When the broker returns the records
 * arrive, and the driver's stop (a job-group cancel, which does not go through Kafka) takes effect within the next
 * epoch. The wait ends at once when the task is cancelled. A record the producer gave up on (an outage longer than
 * the tolerance) fails the attempt: a curve with a hole is never reported as completed.
 *
 * <p>Own stops: the spec carries the study's per-trial rules ({@link TrialSpec#stopping}: divergence, exploding and
 * vanishing gradients, plateau). After each epoch's record is sent the runner applies them to its own curve, and when
 * one fires the trial ends there, COMPLETED with the epochs it ran, its records delivered: no mini-batch is trained
 * after the decision, however fast the epochs. The driver applies the same rules to the same records and records the
 * decision (PRUNED or COMPLETED by that rule). The comparative rules (median, ASHA) need the other trials and still
 * stop the trial by the driver's cancel.
 *
 * <p>Verdicts: at the epochs where a comparative rule decides ({@link TrialSpec#decisionEpochs}: ASHA's rungs, the
 * median rule's epochs) the runner waits for the driver's {@link Verdict} on the epoch's record before it trains
 * on, and stops there on a stop verdict, so a comparative stop costs no mini-batch either. The wait is one round
 * trip through the broker (milliseconds), at a few epochs per trial.
 */
public final class TrialRunner {

    /** First rows of the validation split used as the fixed probe batch for activation health. */
    static final int PROBE_ROWS = 256;

    /** Epoch records that may be unacknowledged when the next epoch starts. */
    static final int RUN_AHEAD = 2;

    /**
     * Where one epoch's wall time went, for benchmarks ({@code gradtune bench trial}). {@code fitNanos} is the whole
     * mini-batch loop, listener included; {@code statsNanos} is the part of it spent computing gradient statistics
     * in the listener; {@code evalNanos} the validation pass (one inference pass that also yields the probe
     * batch's activations); {@code layerStatsNanos} the end-of-epoch layer statistics (activation health, weight
     * norms).
     */
    public record EpochTiming(int epoch, long fitNanos, long statsNanos, long evalNanos, long layerStatsNanos) {
        public long totalNanos() {
            return fitNanos + evalNanos + layerStatsNanos;
        }
    }

    private final MetricsPublisher publisher;
    private final boolean layerStats;
    private final Consumer<EpochTiming> timings;
    private Verdicts verdicts;

    /** How long a trial waits for the driver's verdict at a decision epoch before it trains on (the cancel stays). */
    static final Duration VERDICT_WAIT = Duration.ofSeconds(30);

    public TrialRunner(MetricsPublisher publisher) {
        this(publisher, true, null);
    }

    /**
     * A runner for benchmarks: {@code layerStats = false} skips every gradient and activation statistic (records
     * carry no layers), so their cost can be measured; {@code timings}, when not null, receives each epoch's split.
     */
    public TrialRunner(MetricsPublisher publisher, boolean layerStats, Consumer<EpochTiming> timings) {
        this.publisher = publisher;
        this.layerStats = layerStats;
        this.timings = timings;
    }

    /** Trains attempt {@code attempt} in this JVM outside Spark (tests, benchmarks); see {@link TaskAttempt#inProcess}. */
    /**
     * This runner, waiting at the spec's decision epochs for the driver's verdicts read from {@code verdicts}
     * ({@link TrialSpec#decisionEpochs}); without it the runner never waits.
     */
    public TrialRunner withVerdicts(Verdicts verdicts) {
        this.verdicts = verdicts;
        return this;
    }

    public TrialOutcome run(TrialSpec spec, int attempt, BooleanSupplier stopRequested) {
        return run(spec, TaskAttempt.inProcess(attempt), stopRequested);
    }

    /**
     * Trains one attempt of a trial; every epoch record carries the attempt's number, executor and host.
     *
     * @param task          which attempt this is and where it runs
     * @param stopRequested polled every mini-batch; true stops the trial (outcome INTERRUPTED)
     */
    public TrialOutcome run(TrialSpec spec, TaskAttempt task, BooleanSupplier stopRequested) {
        int attempt = task.number();
        long start = System.nanoTime();
        long syntheticMillis = SyntheticWork.epochMillis(); // benchmarks only; -1 unless switched on
        if (syntheticMillis >= 0) {
            return runSynthetic(spec, task, stopRequested, syntheticMillis, start);
        }
        WorkerRuntime.ensureInitialized();
        if (task.threads() > 0) {
            WorkerRuntime.useThreads(task.threads());
        }
        int epochsRun = 0;
        long numParams = 0;
        Evaluation last = Evaluation.NONE;
        TrainableNetwork net = null;
        BatchGather batches = null;
        Progress progress = new Progress();
        try {
            HyperParameters h = Networks.trainingParameters(spec.params(), spec.modelClass(), spec.fineTune());
            PreparedData data = DataLoader.prepared(spec.data(), h.scaling(), spec.params());
            net = network(spec.modelClass(), spec.fineTune(), spec.params(), h, data, spec.seed());
            numParams = net.numParams();
            GradientStatsListener stats = new GradientStatsListener(net, stopRequested, layerStats);
            progress.stats = stats;
            net.setListeners(stats);
            int probeRows = (int) Math.min(PROBE_ROWS, data.valX().rows());
            String outputKey = net.layers().get(net.layers().size() - 1).key();
            SplittableRandom order = batchOrder(spec.seed());
            int n = (int) data.trainX().rows();
            int[] perm = identity(n);
            batches = new BatchGather(data.trainX(), data.trainY(), h.batchSize());
            BatchAugmenter augmenter = BatchAugmenter.of(AugmentParameters.from(spec.params()), data.numFeatures(),
                    spec.seed());
            progress.batchesPerEpoch = (n + h.batchSize() - 1) / h.batchSize();
            PlateauReducer plateau = h.lrSchedule().equals("plateau") ? new PlateauReducer(h.lrPatience(), h.lrDecay())
                    : null;
            List<Delivery> deliveries = new ArrayList<>(spec.epochs());
            List<EpochMetrics> curve = new ArrayList<>(spec.epochs());
            TrialStopping rules = TrialStopping.fromSpec(spec.stopping());
            boolean cutOnNonFinite = rules != null && rules.divergence() != null;
            for (int epoch = 1; epoch <= spec.epochs(); epoch++) {
                FaultInjection.check(spec.trialId(), attempt, epochsRun); // tests only; a no-op unless switched on
                if (deliveries.size() >= RUN_AHEAD) {
                    awaitDelivery(deliveries.get(deliveries.size() - RUN_AHEAD), stopRequested);
                }
                long t0 = System.nanoTime();
                stats.startEpoch();
                progress.epochUnderWay = true;
                // With the divergence rule on, a training loss that is no longer finite ends the epoch at once: every
                // further mini-batch would train on NaN, and the rule stops the trial on this epoch's record.
                int trained = trainEpoch(net, batches, augmenter, perm, order, h.batchSize(),
                        cutOnNonFinite ? () -> !Double.isFinite(stats.meanLoss()) : () -> false);
                long t1 = System.nanoTime();
                progress.epochUnderWay = false; // its mini-batches are all trained
                // One inference pass over the validation split gives the validation metrics (output layer) and the
                // activations of the probe batch (its first rows) for activation health; its arrays are freed as
                // soon as both are read.
                List<LayerStats> layers;
                long t2;
                try (TrainableNetwork.Activations pass = net.inferencePass(data.valX())) {
                    last = evaluate(pass.byKey().get(outputKey), data, stats.meanLoss());
                    t2 = System.nanoTime();
                    layers = layerStats ? stats.endEpoch(pass.byKey(), probeRows) : List.of();
                }
                long t3 = System.nanoTime();
                long millis = (t3 - t0) / 1_000_000;
                if (timings != null) {
                    timings.accept(new EpochTiming(epoch, t1 - t0, stats.statsNanos(), t2 - t1, t3 - t2));
                }
                double rate = net.learningRate();
                EpochMetrics record = EpochMetrics.of(spec.study(), spec.runId(), spec.trialId(), attempt,
                        task.executorId(), task.host(), epoch, last.trainLoss(), last.valLoss(), last.valAccuracy(), rate,
                        millis, System.currentTimeMillis(), layers).withBatches(trained).withNumParams(numParams);
                if (data.regression()) {
                    record = record.withRegression(last.valMae(), last.valR2());
                }
                deliveries.add(publisher.send(record));
                curve.add(record);
                epochsRun = epoch;
                if (rules != null && rules.evaluate(curve).stops()) {
                    break; // the driver's policy reaches the same decision from this record and records it
                }
                if (verdicts != null && epoch < spec.epochs() && spec.decisionEpochs() != null
                        && spec.decisionEpochs().contains(epoch)) {
                    awaitVerdict(spec, attempt, epoch, stopRequested);
                }
                net.endEpoch();
                if (plateau != null) {
                    double next = plateau.next(last.valLoss(), rate);
                    if (next != rate) {
                        net.setLearningRate(next);
                    }
                }
                if (stopRequested.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                    throw new GradientStatsListener.StopRequested();
                }
            }
            FaultInjection.check(spec.trialId(), attempt, epochsRun);
            for (Delivery d : deliveries) {
                awaitDelivery(d, stopRequested); // a completed attempt's every record reached the broker
            }
            publisher.flush();
            return outcome(spec, attempt, TrialOutcome.Status.COMPLETED, epochsRun, last, numParams, start, null)
                    .withBatches(progress.batchesPerEpoch, progress.partial());
        } catch (GradientStatsListener.StopRequested e) {
            flushQuietly();
            return outcome(spec, attempt, TrialOutcome.Status.INTERRUPTED, epochsRun, last, numParams, start, null)
                    .withBatches(progress.batchesPerEpoch, progress.partial());
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted() || stopRequested.getAsBoolean()) {
                flushQuietly();
                return outcome(spec, attempt, TrialOutcome.Status.INTERRUPTED, epochsRun, last, numParams, start, null)
                    .withBatches(progress.batchesPerEpoch, progress.partial());
            }
            flushQuietly();
            return outcome(spec, attempt, TrialOutcome.Status.FAILED, epochsRun, last, numParams, start,
                    e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            release(net, batches);
        }
    }

    /**
     * A benchmark's synthetic attempt ({@link SyntheticWork}): {@code epochMillis} ms of CPU work per epoch, no
     * network, no data; records, run-ahead, verdicts, per-trial rules and stop checks as in {@link #run}.
     */
    private TrialOutcome runSynthetic(TrialSpec spec, TaskAttempt task, BooleanSupplier stopRequested, long epochMillis,
                                      long start) {
        int attempt = task.number();
        BooleanSupplier stop = () -> stopRequested.getAsBoolean() || Thread.currentThread().isInterrupted();
        List<Delivery> deliveries = new ArrayList<>(spec.epochs());
        List<EpochMetrics> curve = new ArrayList<>(spec.epochs());
        TrialStopping rules = TrialStopping.fromSpec(spec.stopping());
        SplittableRandom r = new SplittableRandom(spec.seed());
        double ceiling = 0.5 + 0.45 * r.nextDouble();
        long firstWork = -1;
        long workWall = 0;
        int epochsRun = 0;
        TrialOutcome.Status status = TrialOutcome.Status.COMPLETED;
        Evaluation last = Evaluation.NONE;
        try {
            for (int epoch = 1; epoch <= spec.epochs(); epoch++) {
                if (deliveries.size() >= RUN_AHEAD) {
                    awaitDelivery(deliveries.get(deliveries.size() - RUN_AHEAD), stopRequested);
                }
                long t0 = System.nanoTime();
                if (firstWork < 0) {
                    firstWork = t0;
                }
                workWall += SyntheticWork.burn(epochMillis, stop);
                if (stop.getAsBoolean()) {
                    throw new GradientStatsListener.StopRequested();
                }
                double loss = 2.0 / epoch;
                double acc = Math.min(0.99, ceiling * (1 - Math.exp(-0.3 * epoch)) + 0.02 * r.nextDouble());
                last = new Evaluation(loss, loss * 1.05, acc, Double.NaN, Double.NaN);
                EpochMetrics record = EpochMetrics.of(spec.study(), spec.runId(), spec.trialId(), attempt,
                        task.executorId(), task.host(), epoch, loss, loss * 1.05, acc, 1e-3,
                        (System.nanoTime() - t0) / 1_000_000, System.currentTimeMillis(),
                        List.of(new LayerStats(0, "0", "output", "softmax", 1.0, 0.01, 0.2, 1e-3, 5, 0, 0, null, null,
                                0.8)));
                deliveries.add(publisher.send(record));
                curve.add(record);
                epochsRun = epoch;
                if (rules != null && rules.evaluate(curve).stops()) {
                    break;
                }
                if (verdicts != null && epoch < spec.epochs() && spec.decisionEpochs() != null
                        && spec.decisionEpochs().contains(epoch)) {
                    awaitVerdict(spec, attempt, epoch, stopRequested);
                }
                if (stop.getAsBoolean()) {
                    throw new GradientStatsListener.StopRequested();
                }
            }
            for (Delivery d : deliveries) {
                awaitDelivery(d, stopRequested);
            }
            publisher.flush();
        } catch (GradientStatsListener.StopRequested e) {
            flushQuietly();
            status = TrialOutcome.Status.INTERRUPTED;
        }
        SyntheticWork.record(new SyntheticWork.Timing(spec.trialId(), attempt, firstWork, System.nanoTime(), workWall));
        return outcome(spec, attempt, status, epochsRun, last, 0, start, null);
    }

    /**
     * Trains {@code h} on {@code data}'s training part for {@code epochs} epochs with {@code seed}, the loop of
     * {@link #run} without records, stopping rules, verdicts or evaluation: the refit of a study's best trial on
     * train + validation. The network, the mini-batch order and the updates are those a trial with this seed would
     * train on this data. Reduce-on-plateau needs a validation loss, which a refit does not have: the rate of each
     * epoch after the first is then {@code rates[epoch - 1]} when given (the rates the trial trained with, from its
     * records), else the schedule's own.
     *
     * @param modelClass    the user's model factory, or null for the built-in network
     * @param params        the trial's parameters (a model class reads its own from them)
     * @param rates         learning rate per epoch (index 0 = epoch 1), applied only under {@code lr_schedule: plateau}; may be null
     * @param stopRequested polled between epochs; true stops with an {@link IllegalStateException}
     * @return the trained network; the caller closes it
     */
    public static TrainableNetwork train(String modelClass, Map<String, ?> params, HyperParameters h,
                                         PreparedData data, int epochs, long seed, double[] rates,
                                         BooleanSupplier stopRequested) {
        return train(modelClass, null, params, h, data, epochs, seed, rates, stopRequested);
    }

    /**
     * As {@link #train(String, Map, HyperParameters, PreparedData, int, long, double[], BooleanSupplier)}, from the
     * study's fine-tuning when {@code fineTune} is not null (the saved model, its first layers frozen).
     */
    public static TrainableNetwork train(String modelClass, FineTuneSpec fineTune, Map<String, ?> params,
                                         HyperParameters h, PreparedData data, int epochs, long seed, double[] rates,
                                         BooleanSupplier stopRequested) {
        return train(modelClass, fineTune, params, h, data, epochs, seed, rates, stopRequested, null);
    }

    /**
     * As {@link #train(String, FineTuneSpec, Map, HyperParameters, PreparedData, int, long, double[], BooleanSupplier)},
     * handing the network to {@code afterEpoch} (with the epoch number, 1-based) after each epoch's mini-batches, before
     * the next epoch's rate: the driver's learning curve evaluates it there. Null: no callback.
     */
    public static TrainableNetwork train(String modelClass, FineTuneSpec fineTune, Map<String, ?> params,
                                         HyperParameters h, PreparedData data, int epochs, long seed, double[] rates,
                                         BooleanSupplier stopRequested, ObjIntConsumer<TrainableNetwork> afterEpoch) {
        WorkerRuntime.ensureInitialized();
        TrainableNetwork net = network(modelClass, fineTune, params, h, data, seed);
        try (BatchGather batches = new BatchGather(data.trainX(), data.trainY(), h.batchSize())) {
            SplittableRandom order = batchOrder(seed);
            int[] perm = identity((int) data.trainX().rows());
            BatchAugmenter augmenter = BatchAugmenter.of(AugmentParameters.from(params), data.numFeatures(), seed);
            boolean replay = h.lrSchedule().equals("plateau") && rates != null;
            for (int epoch = 1; epoch <= epochs; epoch++) {
                if (stopRequested.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                    throw new IllegalStateException("training stopped at epoch " + epoch + " of " + epochs);
                }
                if (replay && epoch > 1 && epoch <= rates.length && Double.isFinite(rates[epoch - 1])
                        && rates[epoch - 1] != net.learningRate()) {
                    net.setLearningRate(rates[epoch - 1]);
                }
                trainEpoch(net, batches, augmenter, perm, order, h.batchSize(), () -> false);
                if (afterEpoch != null) {
                    afterEpoch.accept(net, epoch);
                }
                net.endEpoch();
            }
            return net;
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    /**
     * The untrained network a trial with {@code seed} would start from on {@code data} (its initial weights included),
     * for a trainer that is not this class's loop (the data-parallel refit); the caller closes it.
     */
    public static TrainableNetwork untrained(String modelClass, Map<String, ?> params, HyperParameters h,
                                             PreparedData data, long seed) {
        return untrained(modelClass, null, params, h, data, seed);
    }

    /** As {@link #untrained(String, Map, HyperParameters, PreparedData, long)}, fine-tuning when {@code fineTune} is set. */
    public static TrainableNetwork untrained(String modelClass, FineTuneSpec fineTune, Map<String, ?> params,
                                             HyperParameters h, PreparedData data, long seed) {
        WorkerRuntime.ensureInitialized();
        return network(modelClass, fineTune, params, h, data, seed);
    }

    /**
     * How a trainer builds its network (trials and the refit alike): {@link Networks#build} with the data's shape and
     * task; with {@code autoencoder_units}, {@link AutoencoderFrontEnd} (pretrained on {@code data}'s training inputs).
     *
     * @param modelClass the user's model factory, or null for the built-in network
     * @param fineTune   the study's fine-tuning, or null
     */
    private static TrainableNetwork network(String modelClass, FineTuneSpec fineTune, Map<String, ?> params,
                                            HyperParameters h, PreparedData data, long seed) {
        if (modelClass == null && fineTune == null) {
            AutoencoderParameters ae = AutoencoderParameters.from(params);
            if (ae.enabled()) { // pretrained on this trainer's training inputs, then the network's first layer
                return AutoencoderFrontEnd.build(ae, h, data.trainX(), data.numClasses(), data.regression(), seed);
            }
        }
        return Networks.build(modelClass, fineTune, params, h, data.numFeatures(), data.numClasses(), data.regression(),
                seed);
    }

    /** The mini-batch order of a trial with {@code seed}: each epoch shuffles with it. */
    private static SplittableRandom batchOrder(long seed) {
        return new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
    }

    private static int[] identity(int n) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        return perm;
    }

    /**
     * One pass over the training rows in a fresh shuffle of {@code perm}, one mini-batch at a time; ends early, after
     * the mini-batch at which {@code cut} turns true. {@code augmenter}, when not null, changes each gathered batch in
     * place before it trains (training batches only).
     *
     * @return the mini-batches trained
     */
    private static int trainEpoch(TrainableNetwork net, BatchGather batches, BatchAugmenter augmenter, int[] perm,
                                  SplittableRandom order, int batchSize, BooleanSupplier cut) {
        shuffle(perm, order);
        int trained = 0;
        for (int from = 0; from < perm.length; from += batchSize) {
            INDArray[] batch = batches.batch(perm, from);
            if (augmenter != null) {
                augmenter.apply(batch[0]);
            }
            net.fit(batch[0], batch[1]);
            trained++;
            if (cut.getAsBoolean()) {
                break;
            }
        }
        return trained;
    }

    /** How far a trial got, for the outcome: how many mini-batches an epoch has and whether one is under way. */
    private static final class Progress {
        GradientStatsListener stats;
        int batchesPerEpoch;
        boolean epochUnderWay;

        /** Mini-batches trained in the epoch under way (0 between epochs). */
        int partial() {
            return epochUnderWay && stats != null ? stats.batchesInEpoch() : 0;
        }
    }

    /**
     * Frees what the trial allocated, now rather than at some later garbage collection: the network's parameters,
     * gradients and updater state, the mini-batch buffers, and this thread's workspaces (see
     * {@link WorkerRuntime#releaseThreadMemory()}). Only small DL4J temporaries of its last mini-batches are left to
     * the collector.
     */
    private static void release(TrainableNetwork net, BatchGather batches) {
        try {
            if (net != null) {
                net.close();
            }
            if (batches != null) {
                batches.close();
            }
            WorkerRuntime.releaseThreadMemory();
        } catch (RuntimeException e) {
            // freeing is an optimisation; the garbage collector frees whatever is left
        }
    }

    /**
     * At a decision epoch: waits for the driver's verdict on this epoch's record; a stop verdict stops the trial
     * here, before another mini-batch. No verdict within {@link #VERDICT_WAIT}: trains on.
     */
    private void awaitVerdict(TrialSpec spec, int attempt, int epoch, BooleanSupplier stopRequested) {
        try {
            Verdict v = verdicts.await(spec.runId(), spec.trialId(), attempt, epoch, VERDICT_WAIT,
                    () -> stopRequested.getAsBoolean() || Thread.currentThread().isInterrupted());
            if (v != null && v.stop()) {
                throw new GradientStatsListener.StopRequested();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GradientStatsListener.StopRequested();
        }
    }

    /** Waits for a record's acknowledgement; a stop request or an interrupt (task cancel) stops the trial. */
    private static void awaitDelivery(Delivery delivery, BooleanSupplier stopRequested) {
        try {
            if (!delivery.await(() -> stopRequested.getAsBoolean() || Thread.currentThread().isInterrupted())) {
                throw new GradientStatsListener.StopRequested();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GradientStatsListener.StopRequested();
        }
    }

    private void flushQuietly() {
        try {
            publisher.flush();
        } catch (RuntimeException ignored) {
            // the trial's own failure is the one to report
        }
    }

    private static void shuffle(int[] a, SplittableRandom r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static TrialOutcome outcome(TrialSpec spec, int attempt, TrialOutcome.Status status, int epochs,
                                        Evaluation last, long numParams, long startNanos, String error) {
        TrialOutcome outcome = TrialOutcome.of(spec.study(), spec.trialId(), attempt, status, epochs, last.trainLoss(),
                last.valLoss(), last.valAccuracy(), numParams, (System.nanoTime() - startNanos) / 1e9, error);
        return spec.data() != null && spec.data().regression() ? outcome.withRegression(last.valMae(), last.valR2())
                : outcome;
    }

    /**
     * The validation figures of an epoch: cross-entropy and accuracy, or a regression's MSE, MAE and R² on the
     * target's original scale (the training loss too: the network trains on the standardized target). Public for
     * the driver's data-parallel trials, which evaluate their averaged network the same way.
     */
    public static Evaluation evaluate(INDArray out, PreparedData data, double meanTrainLoss) {
        if (data.regression()) {
            PreparedData.Target t = data.target();
            return Evaluation.regression(out, t.valTargets(), t.mean(), t.std(), meanTrainLoss);
        }
        return Evaluation.classification(out, data.valLabels(), data.numClasses(), meanTrainLoss);
    }
}
