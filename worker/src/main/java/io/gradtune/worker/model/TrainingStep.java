package io.gradtune.worker.model;

/**
 * Which of gradtune's replacements for parts of DL4J's training step a network is built with. Each one is
 * bit-identical to DL4J's own path and on by default; a system property turns it off (for comparison or as an
 * escape hatch): {@code gradtune.directUpdater}, {@code gradtune.fastDense}, {@code gradtune.javaUpdater}.
 *
 * @param directUpdater DL4J's updater on its standard path ({@link DirectUpdaters})
 * @param fastLayers    dense and output layers without recomputed pre-activations ({@link FastLayers})
 * @param javaUpdater   optimizer arithmetic in Java ({@link JavaUpdaters}); needs {@code directUpdater}
 */
record TrainingStep(boolean directUpdater, boolean fastLayers, boolean javaUpdater) {

    /** Everything on. */
    static final TrainingStep GRADTUNE = new TrainingStep(true, true, true);

    /** As the system properties say (each on unless set to {@code false}). */
    static TrainingStep fromSystemProperties() {
        return new TrainingStep(on("gradtune.directUpdater"), on("gradtune.fastDense"), on("gradtune.javaUpdater"));
    }

    private static boolean on(String property) {
        return !"false".equalsIgnoreCase(System.getProperty(property));
    }
}
