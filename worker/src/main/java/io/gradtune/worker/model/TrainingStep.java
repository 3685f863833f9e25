package io.gradtune.worker.model;

import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which of gradtune's replacements for parts of DL4J's training step a network is built with. Each one is
 * bit-identical to DL4J's own path and on by default; a system property turns it off (for comparison or as an
 * escape hatch): {@code gradtune.directUpdater}, {@code gradtune.fastDense}, {@code gradtune.javaUpdater}.
 *
 * <p>The bit-identity was checked on ND4J's CPU backend (nd4j-native) only: {@link #onBackend(String)} turns every
 * replacement off on any other backend (DL4J's own path then trains the network), and {@link NetworkBuilder}
 * applies it to every network it builds, logging one warning per JVM. The Java updaters also need the direct
 * updaters (they run inside them), so {@code javaUpdater} is effectively off whenever {@code directUpdater} is.
 *
 * @param directUpdater DL4J's updater on its standard path ({@link DirectUpdaters})
 * @param fastLayers    dense and output layers without recomputed pre-activations ({@link FastLayers})
 * @param javaUpdater   optimizer arithmetic in Java ({@link JavaUpdaters}); needs {@code directUpdater}
 */
record TrainingStep(boolean directUpdater, boolean fastLayers, boolean javaUpdater) {

    /** Everything on. */
    static final TrainingStep GRADTUNE = new TrainingStep(true, true, true);

    /** Everything off: DL4J's own training step. */
    static final TrainingStep DL4J = new TrainingStep(false, false, false);

    /** The system properties that switch the replacements, in the order of the record's components. */
    static final String DIRECT_UPDATER = "gradtune.directUpdater";
    static final String FAST_DENSE = "gradtune.fastDense";
    static final String JAVA_UPDATER = "gradtune.javaUpdater";

    /** The ND4J backend (class name of {@code Nd4j.getBackend()}) the replacements were checked against. */
    static final String CHECKED_BACKEND = "org.nd4j.linalg.cpu.nativecpu.CpuBackend";

    private static final Logger LOG = LoggerFactory.getLogger(TrainingStep.class);
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
    private static final AtomicLong WARNINGS = new AtomicLong();

    /** As the system properties request (each on unless set to {@code false}), before the backend check. */
    static TrainingStep requested() {
        return new TrainingStep(on(DIRECT_UPDATER), on(FAST_DENSE), on(JAVA_UPDATER));
    }

    /** What networks built in this JVM without an explicit step use: {@link #requested()} on this JVM's backend. */
    static TrainingStep effective() {
        return requested().onBackend(currentBackend());
    }

    /** Class name of this JVM's ND4J backend (loads ND4J if it is not loaded yet). */
    static String currentBackend() {
        return Nd4j.getBackend().getClass().getName();
    }

    /**
     * This step as it can run on {@code backend} (a backend class name): unchanged on {@link #CHECKED_BACKEND},
     * everything off on any other; {@code javaUpdater} off without {@code directUpdater}. Logs a warning, once per
     * backend and JVM, when the backend turns a requested replacement off.
     */
    TrainingStep onBackend(String backend) {
        TrainingStep effective = resolve(backend);
        List<String> disabled = disabledByBackend(backend);
        if (!disabled.isEmpty() && WARNED.add(backend)) {
            WARNINGS.incrementAndGet();
            LOG.warn("{} disabled: gradtune's training-step replacements were checked bit-identical to DL4J's own "
                            + "path on ND4J's CPU backend ({}) only, and this JVM runs {}; networks train on DL4J's "
                            + "own path", String.join(", ", disabled), CHECKED_BACKEND, backend);
        }
        return effective;
    }

    /** {@link #onBackend(String)} without the warning. */
    TrainingStep resolve(String backend) {
        if (!CHECKED_BACKEND.equals(backend)) {
            return DL4J;
        }
        return new TrainingStep(directUpdater, fastLayers, javaUpdater && directUpdater);
    }

    /** The system properties of the requested replacements that {@code backend} turns off (empty on the CPU one). */
    List<String> disabledByBackend(String backend) {
        List<String> disabled = new ArrayList<>();
        if (!CHECKED_BACKEND.equals(backend)) {
            if (directUpdater) {
                disabled.add(DIRECT_UPDATER);
            }
            if (fastLayers) {
                disabled.add(FAST_DENSE);
            }
            if (javaUpdater && directUpdater) {
                disabled.add(JAVA_UPDATER);
            }
        }
        return disabled;
    }

    /** Backend warnings logged in this JVM (for tests). */
    static long backendWarnings() {
        return WARNINGS.get();
    }

    private static boolean on(String property) {
        return !"false".equalsIgnoreCase(System.getProperty(property));
    }
}
