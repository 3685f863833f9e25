package io.gradtune.driver.calibration;

import io.gradtune.driver.calibration.CalibrationConfig.Half;
import io.gradtune.driver.calibration.CalibrationConfig.Intent;
import io.gradtune.driver.calibration.RunLabel.Label;
import io.gradtune.worker.model.HyperParameters;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The calibration set's table and labelling rule, checked without training anything (the run itself is the
 * {@code calibration} profile's {@link CalibrationRun}).
 */
class CalibrationSetTest {

    private static final List<CalibrationConfig> SET = CalibrationSet.configs();

    @Test
    void theSetHasAtLeastSixtyConfigurationsOverFourDatasetsWithUniqueIdsAndSeeds() {
        assertTrue(SET.size() >= 60, "only " + SET.size() + " configurations");
        assertEquals(EnumSet.allOf(CalibrationData.class), SET.stream().map(CalibrationConfig::data)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(CalibrationData.class))));
        assertEquals(SET.size(), SET.stream().map(CalibrationConfig::id).distinct().count(), "ids repeat");
        assertEquals(SET.size(), SET.stream().map(CalibrationConfig::seed).distinct().count(), "seeds repeat");
    }

    @Test
    void eachIntentHasAtLeastFifteenConfigurationsAndEveryKindAlternatesBetweenTheHalves() {
        for (Intent intent : Intent.values()) {
            List<CalibrationConfig> ofIntent = SET.stream().filter(c -> c.intent() == intent).toList();
            assertTrue(ofIntent.size() >= 15, intent + ": " + ofIntent.size());
            Map<String, List<CalibrationConfig>> kinds = ofIntent.stream()
                    .collect(Collectors.groupingBy(CalibrationConfig::kind, LinkedHashMap::new, Collectors.toList()));
            for (List<CalibrationConfig> kind : kinds.values()) {
                assertTrue(kind.size() >= 2, "kind " + kind.get(0).kind() + " is in one half only");
                for (int i = 0; i < kind.size(); i++) {
                    assertEquals(i % 2 == 0 ? Half.TUNE : Half.HOLDOUT, kind.get(i).half(), kind.get(i).id());
                }
            }
            long tune = ofIntent.stream().filter(c -> c.half() == Half.TUNE).count();
            assertTrue(Math.abs(2 * tune - ofIntent.size()) <= kinds.size(), intent + ": tune " + tune + " of "
                    + ofIntent.size());
        }
    }

    @Test
    void theSetSpansEveryActivationInitOptimizerDepthsTwoToTwelveRatesUpToFiveBatchNormResidualAndUnscaledInputs() {
        // prelu, selu and the lecun init came with issue 15, after this set was measured (docs/stopping.md): not in it
        Set<String> later = Set.of("prelu", "selu", "lecun");
        assertEquals(without(HyperParameters.ACTIVATIONS, later), values("activation"));
        assertEquals(without(HyperParameters.WEIGHT_INITS, later), values("weight_init"));
        assertEquals(Set.copyOf(HyperParameters.OPTIMIZERS), values("optimizer"));
        Set<Object> depths = values("layers");
        assertTrue(depths.contains(2) && depths.contains(12), "depths " + depths);
        assertTrue(values("learning_rate").contains(5.0), "no learning rate 5");
        assertTrue(values("batch_norm").contains(true) && values("residual").contains(true));
        assertTrue(values("scaling").contains("none"), "no unscaled inputs");
        for (CalibrationConfig c : SET) {
            HyperParameters.from(c.params()); // every assignment is valid for the worker
        }
    }

    @Test
    void everyDatasetFileIsInTheRepository() {
        for (CalibrationData d : CalibrationData.values()) {
            assertTrue(Files.isRegularFile(CalibrationData.dataDir().resolve(d.file())), d.file());
        }
    }

    // ---- the labelling rule on synthetic curves -----------------------------------------------------------------

    @Test
    void aNonFiniteLossOrGradientAnywhereIsExploding() {
        List<EpochMetrics> curve = curve(6, e -> e == 4 ? Double.NaN : 1.0 / e, e -> 0.9, e -> layers(1, 1, 1e-3));
        assertEquals(new RunLabel(Label.EXPLODING, "E1 non-finite at epoch 4"), RunLabel.of(curve, 0.1, 10));
        List<EpochMetrics> overflow = curve(6, e -> 1.0 / e, e -> 0.9,
                e -> layers(1, e == 2 ? Double.POSITIVE_INFINITY : 1, 1e-3));
        assertEquals(Label.EXPLODING, RunLabel.of(overflow, 0.1, 10).label());
    }

    @Test
    void aLossThatEndsAboveItsFirstValueWhileGradientsGrewIsExploding() {
        List<EpochMetrics> curve = curve(6, e -> 1.0 + e, e -> 0.6, e -> layers(1, Math.pow(10, e), 1e-3));
        assertTrue(RunLabel.of(curve, 0.1, 10).clause().startsWith("E2"), RunLabel.of(curve, 0.1, 10).clause());
    }

    @Test
    void aStuckNetWhoseLossAndGradientsWobbleUpByNoiseIsNotExploding() {
        // Whole signal small: loss 2.3026 -> 2.3027, gradients x2 over the run; never leaves chance.
        List<EpochMetrics> curve = curve(6, e -> 2.3026 + 1e-5 * e, e -> 0.1, e -> layers(1e-3 * e, 1e-3 * e, 1e-7));
        assertEquals(Label.VANISHING, RunLabel.of(curve, 0.1, 10).label(), RunLabel.of(curve, 0.1, 10).clause());
    }

    @Test
    void aLossThatBlewUpAndThenSatAtChanceIsExplodingEvenThoughItFellBelowEpochOne() {
        // sigmoid + Adam at a high rate: epoch 1's mean loss is huge, then the net saturates at chance.
        List<EpochMetrics> curve = curve(6, e -> e == 1 ? 20.0 : 2.4, e -> 0.1, e -> layers(1, 0.5, 1e-3));
        assertTrue(RunLabel.of(curve, 0.1, 10).clause().startsWith("E3"), RunLabel.of(curve, 0.1, 10).clause());
    }

    @Test
    void stuckAtChanceWithAStarvedFirstLayerIsVanishingIncludingAllZeroGradientsAndASmallWholeSignal() {
        List<EpochMetrics> ratio = curve(6, e -> 2.3, e -> 0.11, e -> layers(1e-6, 1, 1e-7));
        assertEquals(Label.VANISHING, RunLabel.of(ratio, 0.1, 10).label());
        List<EpochMetrics> deadRelu = curve(6, e -> 2.3, e -> 0.1, e -> layers(0, 0, 0));
        assertEquals("V1+V2", RunLabel.of(deadRelu, 0.1, 10).clause().substring(0, 5));
        // Whole signal small: the ratio is fine, but layer 0 barely moves.
        List<EpochMetrics> small = curve(6, e -> 2.3, e -> 0.1, e -> layers(1e-8, 1e-8, 1e-7));
        assertTrue(RunLabel.of(small, 0.1, 10).clause().startsWith("V2"), RunLabel.of(small, 0.1, 10).clause());
    }

    @Test
    void stuckAtChanceWithAMovingFirstLayerIsStuckNotVanishing() {
        List<EpochMetrics> curve = curve(6, e -> 2.3, e -> 0.1, e -> layers(0.5, 1, 1e-3));
        assertEquals(Label.STUCK, RunLabel.of(curve, 0.1, 10).label());
    }

    @Test
    void chanceIsTheMajorityClassRateSoABreastCancerNetAtSixtyThreePercentHasLearnedNothing() {
        List<EpochMetrics> majority = curve(6, e -> 0.66, e -> 0.63, e -> layers(0, 0, 0));
        assertEquals(Label.VANISHING, RunLabel.of(majority, 0.627, 2).label());
        assertEquals(0.75, CalibrationRun.chance(new int[]{1, 1, 0, 1}, 2));
    }

    @Test
    void endingAtLeastHalfWayFromChanceToPerfectIsHealthyWhateverTheGradientNorms() {
        List<EpochMetrics> curve = curve(6, e -> 1.0 / e, e -> 0.2 + 0.1 * e, e -> layers(1e6, 1e8, 1e-2));
        assertEquals(Label.HEALTHY, RunLabel.of(curve, 0.1, 10).label());
        List<EpochMetrics> weak = curve(6, e -> 1.0 / e, e -> 0.3, e -> layers(1, 1, 1e-3));
        assertEquals(Label.UNDERFITTING, RunLabel.of(weak, 0.1, 10).label());
    }

    private static Set<Object> values(String key) {
        Set<Object> out = new HashSet<>();
        SET.forEach(c -> {
            if (c.params().containsKey(key)) {
                out.add(c.params().get(key));
            }
        });
        return out;
    }

    /** Three layers: layer 0 with the given gradient norm and update ratio, a healthy middle one, the output. */
    private static List<LayerStats> layers(double layer0Grad, double outputGrad, double layer0Update) {
        return List.of(layer(0, "dense", layer0Grad, layer0Update), layer(1, "dense", 1, 1e-3),
                layer(2, "output", outputGrad, 1e-3));
    }

    private static LayerStats layer(int index, String kind, double grad, double update) {
        return new LayerStats(index, String.valueOf(index), kind, "relu", grad, grad / 100, grad / 10, update, 5.0,
                0, 0, null, null, 0.5);
    }

    private static List<EpochMetrics> curve(int epochs, IntFunction<Double> trainLoss, IntFunction<Double> accuracy,
                                            IntFunction<List<LayerStats>> layers) {
        List<EpochMetrics> out = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            out.add(EpochMetrics.of("s", "run", "t", 0, "driver", "localhost", e, trainLoss.apply(e),
                    trainLoss.apply(e) * 1.1, accuracy.apply(e), 1e-3, 10, 0, layers.apply(e)));
        }
        return out;
    }

    private static Set<Object> without(java.util.List<String> all, Set<String> left) {
        return all.stream().filter(v -> !left.contains(v)).collect(java.util.stream.Collectors.toSet());
    }
}
