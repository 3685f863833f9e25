package io.gradtune.driver.run;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.search.RandomSampler;
import io.gradtune.worker.data.PreparedData;
import io.gradtune.worker.data.Table;
import io.gradtune.worker.model.HyperParameters;
import io.gradtune.worker.model.Networks;
import io.gradtune.worker.model.TrainableNetwork;
import io.gradtune.worker.train.TrialRunner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains a tiny network of the study's kind for one epoch on synthetic rows and throws it away, on the
 * {@link NativeWarmUp} thread while the broker and Spark start (issue 14, item 3): in a fresh JVM the first trial's
 * first epoch paid about 1.8 s of class loading, static set-up and interpretation of DL4J's and gradtune's training
 * code (a warm epoch of the quickstart: about 50 ms). Only for studies whose trials train in this JVM with the built-in
 * network ({@code local} masters, no {@code training.model_class}, no fine-tuning); it changes nothing a trial
 * computes: its network, data, seed and random streams are its own (ND4J's random generator is per thread), and
 * nothing it made is kept. A failure is ignored: the first trial runs the same code and reports what is wrong.
 */
final class TrainingWarmUp {

    /** Rows, features and classes of the synthetic table. */
    static final int ROWS = 64;
    static final int FEATURES = 8;
    static final int CLASSES = 3;
    /** Caps on the drawn network's size: the code paths matter, not the work. */
    static final int MAX_UNITS = 16;
    static final int MAX_LAYERS = 2;

    private TrainingWarmUp() {
    }

    /** Whether {@code config}'s trials train the built-in network in this JVM, so the warm-up helps them. */
    static boolean applies(StudyConfig config) {
        return NativeWarmUp.trainsInThisJvm(config.spark().sparkMaster()) && config.training().modelClass() == null
                && config.training().fineTune() == null && !config.training().dataParallel()
                && !config.data().regression();
    }

    /** The switch that turns the warm-up off ({@code -Dgradtune.warmup.training=false}, for side-by-side timings). */
    static final String SWITCH = "gradtune.warmup.training";

    /**
     * {@link #params} when the warm-up {@link #applies} and is not switched off ({@value #SWITCH}), else null (also
     * when the space cannot be drawn from here: the warm-up is an optimisation, never a reason to fail).
     */
    static Map<String, Object> paramsIfApplies(StudyConfig config) {
        if (!Boolean.parseBoolean(System.getProperty(SWITCH, "true")) || !applies(config)) {
            return null;
        }
        try {
            return params(config);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * One assignment drawn from {@code config}'s space with its own seeded generator (the study's sampler is not
     * touched), the network's size capped at {@link #MAX_LAYERS} layers of {@link #MAX_UNITS} units.
     */
    static Map<String, Object> params(StudyConfig config) {
        SplittableRandom random = new SplittableRandom(config.search().seed());
        Map<String, Object> drawn = new LinkedHashMap<>(config.space().assign(p -> RandomSampler.draw(p, random)));
        drawn.computeIfPresent("units", (k, v) -> v instanceof Number n ? Math.min(n.intValue(), MAX_UNITS) : v);
        drawn.computeIfPresent("layers", (k, v) -> v instanceof Number n ? Math.min(n.intValue(), MAX_LAYERS) : v);
        return drawn;
    }

    /** Trains and closes one network of {@code params} on the synthetic table; returns its parameter count. */
    static long run(Map<String, Object> params) {
        HyperParameters h = Networks.trainingParameters(params, null, null);
        PreparedData data = PreparedData.of(table(ROWS, 1), table(ROWS / 2, 2));
        try (TrainableNetwork net = TrialRunner.train(null, null, params, h, data, 1, 1L, null, () -> false)) {
            return net.numParams();
        }
    }

    /** A small classification table of seeded standard-normal-ish values, every class present. */
    static Table table(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> names = new ArrayList<>();
        for (int c = 0; c < FEATURES; c++) {
            names.add("f" + c);
        }
        float[] features = new float[rows * FEATURES];
        for (int i = 0; i < features.length; i++) {
            features[i] = (float) (random.nextDouble() * 2 - 1);
        }
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = r % CLASSES;
        }
        return new Table(names, features, labels, CLASSES);
    }
}
