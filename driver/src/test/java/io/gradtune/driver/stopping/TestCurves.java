package io.gradtune.driver.stopping;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** Synthetic epoch records for rule and diagnosis tests: healthy by default, with one figure changed per test. */
public final class TestCurves {

    private TestCurves() {
    }

    /** A layer with the given gradient norm and update ratio and otherwise healthy figures. */
    public static LayerStats layer(int index, String kind, double gradL2, double updateRatio) {
        return layer(index, kind, "relu", gradL2, updateRatio, 0, 0, null, null);
    }

    /** A layer with every figure the tests vary. */
    public static LayerStats layer(int index, String kind, String activation, double gradL2, double updateRatio,
                                   long nan, long inf, Double dead, Double saturated) {
        return new LayerStats(index, String.valueOf(index), kind, activation, gradL2, gradL2 / 100, gradL2 / 10,
                updateRatio, 5.0, nan, inf, dead, saturated, 0.5);
    }

    /** n healthy layers, the last an output layer: gradient norm 1, update ratio 1e-3. */
    public static List<LayerStats> healthyLayers(int n) {
        return layers(n, i -> 1.0, 1e-3);
    }

    /** n layers whose gradient norms come from {@code grad}, all with the given update ratio. */
    public static List<LayerStats> layers(int n, IntFunction<Double> grad, double updateRatio) {
        List<LayerStats> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(layer(i, i == n - 1 ? "output" : "dense", grad.apply(i), updateRatio));
        }
        return out;
    }

    /** One record. */
    public static EpochMetrics epoch(String trial, int epoch, double trainLoss, double valLoss, double valAccuracy,
                                     List<LayerStats> layers) {
        return EpochMetrics.of("s", "run-1", trial, 0, "driver", "localhost", epoch, trainLoss, valLoss, valAccuracy, 1e-3, 1000, 0, layers);
    }

    /** A curve of the given validation accuracies, losses falling gently, three healthy layers. */
    public static List<EpochMetrics> accuracyCurve(String trial, double... accuracies) {
        List<EpochMetrics> out = new ArrayList<>();
        for (int i = 0; i < accuracies.length; i++) {
            double loss = 1.0 / (1 + i);
            out.add(epoch(trial, i + 1, loss, loss * 1.1, accuracies[i], healthyLayers(3)));
        }
        return out;
    }

    /** A curve of the given training losses (validation loss = 1.1 x train), accuracy 0.5, three healthy layers. */
    public static List<EpochMetrics> lossCurve(String trial, double... trainLosses) {
        List<EpochMetrics> out = new ArrayList<>();
        for (int i = 0; i < trainLosses.length; i++) {
            out.add(epoch(trial, i + 1, trainLosses[i], trainLosses[i] * 1.1, 0.5, healthyLayers(3)));
        }
        return out;
    }

    /** A curve whose records come from {@code layersAt(epoch)}, losses falling gently. */
    public static List<EpochMetrics> layerCurve(String trial, int epochs, IntFunction<List<LayerStats>> layersAt) {
        List<EpochMetrics> out = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            out.add(epoch(trial, e, 1.0 / e, 1.1 / e, 0.5, layersAt.apply(e)));
        }
        return out;
    }

    /** A val_accuracy (maximize) study of the given curves. */
    public static StudyCurves accuracyStudy(Map<String, List<EpochMetrics>> curves) {
        return new StudyCurves("val_accuracy", true, curves);
    }

    /** A val_accuracy study with no other trials. */
    public static StudyCurves emptyStudy() {
        return accuracyStudy(Map.of());
    }

    /** Curves keyed by their trial ids. */
    @SafeVarargs
    public static Map<String, List<EpochMetrics>> byTrial(List<EpochMetrics>... curves) {
        Map<String, List<EpochMetrics>> out = new LinkedHashMap<>();
        for (List<EpochMetrics> c : curves) {
            out.put(c.get(0).trialId(), c);
        }
        return out;
    }

    /** The first n records of a curve. */
    public static List<EpochMetrics> upTo(List<EpochMetrics> curve, int n) {
        return curve.subList(0, n);
    }

    /** The class of a policy's rule, a per-trial rule's own class rather than its {@code StoppingRule.of} wrapper. */
    static Class<?> ruleClass(StoppingRule rule) {
        return rule instanceof StoppingRule.PerTrial p ? p.rule().getClass() : rule.getClass();
    }
}
