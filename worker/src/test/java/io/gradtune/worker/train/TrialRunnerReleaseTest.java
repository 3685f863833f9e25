package io.gradtune.worker.train;

import io.gradtune.worker.data.DataLoader;
import io.gradtune.worker.data.PreparedData;
import io.gradtune.worker.model.HyperParameters;
import io.gradtune.worker.model.NetworkBuilder;
import io.gradtune.worker.model.TrainableNetwork;
import io.gradtune.worker.protocol.DataSpec;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.protocol.TrialSpec;
import io.gradtune.worker.telemetry.GradientStatsListener;
import io.gradtune.worker.telemetry.MetricsPublisher;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TrialRunner} frees what a trial allocates as soon as it is done with it (the shuffled copies are refilled
 * instead of reallocated, each validation pass's arrays are freed after the epoch's statistics, the network's
 * arrays and the thread's workspaces when the trial ends). None of that changes a number: every epoch record is
 * the one the earlier loop produced, which left all of it to the garbage collector (a verbatim copy of it is
 * below), also for a second trial on the same thread after the first one's workspaces were destroyed.
 */
class TrialRunnerReleaseTest {

    private static Path data;

    @BeforeAll
    static void setUp() throws IOException {
        WorkerRuntime.ensureInitialized();
        Random random = new Random(2024);
        double[][] centres = {{0, 0, 0, 0}, {2, 1, -1, 0.5}, {-1, 2, 1, -1}};
        StringBuilder csv = new StringBuilder("f1,f2,f3,f4,label\n");
        for (int row = 0; row < 150; row++) {
            int label = row % 3;
            for (int f = 0; f < 4; f++) {
                csv.append(centres[label][f] + random.nextGaussian()).append(',');
            }
            csv.append(label).append('\n');
        }
        data = Files.createTempFile("gradtune-release", ".csv");
        data.toFile().deleteOnExit();
        Files.writeString(data, csv);
    }

    static List<Map<String, Object>> options() {
        return List.of(
                Map.of("optimizer", "adam", "batch_size", 16),
                Map.of("optimizer", "nesterov", "momentum", 0.9, "lr_schedule", "step", "lr_step_epochs", 2,
                        "batch_size", 32, "activation", "tanh"),
                Map.of("optimizer", "rmsprop", "lr_schedule", "plateau", "lr_patience", 1, "learning_rate", 0.05,
                        "batch_size", 8),
                Map.of("batch_norm", true, "dropout", 0.2, "activation", "elu", "batch_size", 16),
                Map.of("residual", true, "layers", 3, "batch_norm", true, "batch_size", 16),
                Map.of("residual", true, "layers", 3, "dropout", 0.3, "activation", "gelu", "batch_size", 16));
    }

    @ParameterizedTest
    @MethodSource("options")
    void everyRecordIsThatOfTheLoopThatLeftItsArraysToTheGarbageCollector(Map<String, Object> option) {
        Map<String, Object> params = new HashMap<>(Map.of("layers", 2, "units", 24, "learning_rate", 0.01));
        params.putAll(option);
        TrialSpec spec = TrialSpec.of("test", "run-1", "t0001", params, 5, 42L,
                new DataSpec(data.toString(), "csv", "label", null, 0.7, 0.3, "standard", 7L), "unused:9092", "unused");

        List<EpochMetrics> reference = referenceLoop(spec);
        List<EpochMetrics> first = run(spec);
        List<EpochMetrics> second = run(spec);   // same thread, after the first trial destroyed its workspaces

        assertEquals(5, reference.size());
        assertEquals(comparable(reference), comparable(first), "records of " + option);
        assertEquals(comparable(reference), comparable(second), "records of a second trial on the thread, " + option);
    }

    @Test
    void aFinishedTrialLeavesNoWorkspaceOnItsThread() {
        TrialSpec spec = TrialSpec.of("test", "run-1", "t0002", Map.of("layers", 2, "units", 16), 2, 1L,
                new DataSpec(data.toString(), "csv", "label", null, 0.7, 0.3, "standard", 7L), "unused:9092", "unused");
        assertEquals(2, run(spec).size());
        assertTrue(Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread().isEmpty(),
                "workspaces left: " + Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread());
    }

    private static List<EpochMetrics> run(TrialSpec spec) {
        List<EpochMetrics> records = new ArrayList<>();
        TrialOutcome outcome = new TrialRunner(collect(records)).run(spec, 0, () -> false);
        assertEquals(TrialOutcome.Status.COMPLETED, outcome.status(), String.valueOf(outcome));
        return records;
    }

    /** The record fields that do not depend on time. */
    private static List<List<Object>> comparable(List<EpochMetrics> records) {
        List<List<Object>> out = new ArrayList<>();
        for (EpochMetrics m : records) {
            out.add(List.of(m.epoch(), m.trainLoss(), m.valLoss(), m.valAccuracy(), m.learningRate(), m.layers()));
        }
        return out;
    }

    private static MetricsPublisher collect(List<EpochMetrics> records) {
        return new MetricsPublisher() {
            @Override
            public void publish(EpochMetrics metrics) {
                records.add(metrics);
            }

            @Override
            public void flush() {
            }
        };
    }

    /** The epoch loop of TrialRunner before it freed anything (commit d5985f9), verbatim but for the publisher. */
    private static List<EpochMetrics> referenceLoop(TrialSpec spec) {
        List<EpochMetrics> records = new ArrayList<>();
        HyperParameters h = HyperParameters.from(spec.params());
        PreparedData data = DataLoader.prepared(spec.data(), h.scaling());
        TrainableNetwork net = NetworkBuilder.build(h, data.numFeatures(), data.numClasses(), spec.seed());
        GradientStatsListener stats = new GradientStatsListener(net, () -> false, true);
        net.setListeners(stats);
        int probeRows = (int) Math.min(TrialRunner.PROBE_ROWS, data.valX().rows());
        String outputKey = net.layers().get(net.layers().size() - 1).key();
        SplittableRandom order = new SplittableRandom(spec.seed() ^ 0x9E3779B97F4A7C15L);
        int n = (int) data.trainX().rows();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        PlateauReducer plateau = h.lrSchedule().equals("plateau") ? new PlateauReducer(h.lrPatience(), h.lrDecay())
                : null;
        for (int epoch = 1; epoch <= spec.epochs(); epoch++) {
            stats.startEpoch();
            shuffle(perm, order);
            INDArray epochX = Nd4j.pullRows(data.trainX(), 1, perm);
            INDArray epochY = Nd4j.pullRows(data.trainY(), 1, perm);
            for (int from = 0; from < n; from += h.batchSize()) {
                INDArrayIndex rows = NDArrayIndex.interval(from, Math.min(n, from + h.batchSize()));
                net.fit(epochX.get(rows, NDArrayIndex.all()), epochY.get(rows, NDArrayIndex.all()));
            }
            Map<String, INDArray> activations = net.activations(data.valX());
            double[] last = evaluate(activations.get(outputKey), data);
            List<LayerStats> layers = stats.endEpoch(activations, probeRows);
            double rate = net.learningRate();
            records.add(EpochMetrics.of(spec.study(), spec.runId(), spec.trialId(), 0, null, null, epoch, stats.meanLoss(), last[0], last[1],
                    rate, 0, 0, layers));
            net.endEpoch();
            if (plateau != null) {
                double next = plateau.next(last[0], rate);
                if (next != rate) {
                    net.setLearningRate(next);
                }
            }
        }
        return records;
    }

    private static void shuffle(int[] a, SplittableRandom r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Validation loss and accuracy, as a trial computes them ({@link Evaluation#classification}). */
    private static double[] evaluate(INDArray out, PreparedData data) {
        Evaluation e = Evaluation.classification(out, data.valLabels(), data.numClasses(), Double.NaN);
        return new double[]{e.valLoss(), e.valAccuracy()};
    }
}
