package io.gradtune.worker.model;

import io.gradtune.worker.train.WorkerRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.cpu.nativecpu.CpuBackend;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The training-step replacements run only on the ND4J backend they were checked against (the CPU one): on any
 * other they resolve to off, the network trains on DL4J's own path, and one warning per backend says so.
 */
class TrainingStepTest {

    /** ND4J's CUDA backend, which the tests cannot load: only its name is needed. */
    private static final String CUDA = "org.nd4j.linalg.jcublas.JCublasBackend";

    @BeforeAll
    static void nd4j() {
        WorkerRuntime.ensureInitialized();
    }

    @Test
    void theCheckedBackendIsTheOneTheseTestsRunOn() {
        assertEquals(CpuBackend.class.getName(), TrainingStep.CHECKED_BACKEND);
        assertEquals(TrainingStep.CHECKED_BACKEND, TrainingStep.currentBackend());
    }

    @Test
    void onTheCpuBackendEveryRequestedReplacementRuns() {
        String cpu = TrainingStep.CHECKED_BACKEND;
        assertEquals(TrainingStep.GRADTUNE, TrainingStep.GRADTUNE.resolve(cpu));
        assertEquals(new TrainingStep(true, false, true), new TrainingStep(true, false, true).resolve(cpu));
        assertEquals(new TrainingStep(false, true, false), new TrainingStep(false, true, true).resolve(cpu),
                "the Java updaters run inside the direct updaters");
        assertEquals(List.of(), TrainingStep.GRADTUNE.disabledByBackend(cpu));
    }

    @Test
    void onAnyOtherBackendEveryReplacementIsOff() {
        for (String backend : List.of(CUDA, "org.nd4j.linalg.cpu.nativecpu.CpuBackendV2", "", "cpu")) {
            assertEquals(TrainingStep.DL4J, TrainingStep.GRADTUNE.resolve(backend), backend);
            assertEquals(TrainingStep.DL4J, new TrainingStep(false, true, false).resolve(backend), backend);
        }
        assertEquals(List.of(TrainingStep.DIRECT_UPDATER, TrainingStep.FAST_DENSE, TrainingStep.JAVA_UPDATER),
                TrainingStep.GRADTUNE.disabledByBackend(CUDA));
        assertEquals(List.of(TrainingStep.FAST_DENSE), new TrainingStep(false, true, true).disabledByBackend(CUDA),
                "only what would have run is reported as disabled");
        assertEquals(List.of(), TrainingStep.DL4J.disabledByBackend(CUDA));
    }

    @Test
    void warnsOncePerBackendAndOnlyWhenItTurnsSomethingOff() {
        String backend = "test.WarnOnceBackend";
        long before = TrainingStep.backendWarnings();
        assertEquals(TrainingStep.DL4J, TrainingStep.DL4J.onBackend(backend));
        assertEquals(before, TrainingStep.backendWarnings(), "nothing requested, nothing disabled");
        assertEquals(TrainingStep.DL4J, TrainingStep.GRADTUNE.onBackend(backend));
        assertEquals(before + 1, TrainingStep.backendWarnings(), "the first disabling warns");
        assertEquals(TrainingStep.DL4J, TrainingStep.GRADTUNE.onBackend(backend));
        assertEquals(before + 1, TrainingStep.backendWarnings(), "later ones do not");
        assertEquals(TrainingStep.GRADTUNE, TrainingStep.GRADTUNE.onBackend(TrainingStep.CHECKED_BACKEND));
        assertEquals(before + 1, TrainingStep.backendWarnings(), "the CPU backend never warns");
    }

    @Test
    void aNetworkBuiltForAnotherBackendTrainsOnDl4jsOwnPath() {
        HyperParameters h = HyperParameters.from(Map.of("layers", 2, "units", 8, "optimizer", "adam"));
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, TrainingEquivalence.FEATURES);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 8, TrainingEquivalence.CLASSES);
        y.getColumn(0).assign(1);

        long direct = DirectUpdaters.directUpdates();
        long dense = FastLayers.denseReused() + FastLayers.denseRecomputed();
        long java = JavaUpdaters.javaUpdates();
        TrainableNetwork net = NetworkBuilder.build(h, TrainingEquivalence.FEATURES, TrainingEquivalence.CLASSES, 1L,
                TrainingStep.GRADTUNE, CUDA);
        net.fit(x, y);
        assertEquals(direct, DirectUpdaters.directUpdates(), "DL4J's own updater");
        assertEquals(dense, FastLayers.denseReused() + FastLayers.denseRecomputed(), "DL4J's own dense layers");
        assertEquals(java, JavaUpdaters.javaUpdates(), "libnd4j's updater ops");

        NetworkBuilder.build(h, TrainingEquivalence.FEATURES, TrainingEquivalence.CLASSES, 1L,
                TrainingStep.GRADTUNE, TrainingStep.CHECKED_BACKEND).fit(x, y);
        assertEquals(direct + 1, DirectUpdaters.directUpdates(), "on the CPU backend the direct updater runs");
        assertTrue(FastLayers.denseReused() + FastLayers.denseRecomputed() > dense, "and gradtune's dense layers");
        assertTrue(JavaUpdaters.javaUpdates() > java, "and the Java updaters");
    }
}
