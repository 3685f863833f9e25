package io.gradtune.worker.model;

import io.gradtune.worker.train.WorkerRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TrainingProvenance} reports the switches as requested and as effective, and what ND4J runs on. */
class TrainingProvenanceTest {

    @BeforeAll
    static void nd4j() {
        WorkerRuntime.ensureInitialized();
    }

    @Test
    void reportsTheSwitchesTheBackendAndItsBuild() {
        String before = System.getProperty(TrainingStep.FAST_DENSE);
        try {
            System.setProperty(TrainingStep.FAST_DENSE, "false");
            TrainingProvenance p = TrainingProvenance.current();
            Map<String, Boolean> expected = Map.of(TrainingStep.DIRECT_UPDATER, true, TrainingStep.FAST_DENSE, false,
                    TrainingStep.JAVA_UPDATER, true);
            assertEquals(expected, p.requested());
            assertEquals(expected, p.effective(), "the CPU backend runs what is requested");
            assertEquals("false", p.properties().get(TrainingStep.FAST_DENSE), "the property verbatim");
            assertEquals(TrainingStep.CHECKED_BACKEND, p.backend());
            assertTrue(p.nativeBuild().contains("OPENBLAS"), p.nativeBuild());
            assertFalse(p.nativeBuild().contains("\n"), "one line");
            assertEquals("CPU", p.environment().get("backend"));
            assertEquals("OPENBLAS", p.environment().get("blas.vendor"));
            assertEquals("1", p.environment().get("omp.threads"), "surefire sets OMP_NUM_THREADS=1");
            assertEquals("1", p.threadEnv().get("OMP_NUM_THREADS"));
            assertEquals(Map.of("default", "FLOAT", "floatingPoint", "FLOAT"), p.dataTypes());
            assertTrue(p.platform().startsWith("linux-") || p.platform().startsWith("macosx-")
                    || p.platform().startsWith("windows-"), p.platform());
            assertFalse(p.cpu().isBlank());

            Map<String, Object> json = p.toMap();
            assertEquals(List.of("properties", "requested", "effective", "backend", "nativeBuild", "environment",
                    "platform", "cpu", "dataTypes", "threadEnv"), List.copyOf(json.keySet()));
            assertEquals(expected, json.get("effective"));
            assertThrows(UnsupportedOperationException.class, () -> json.put("x", 1));
            assertThrows(UnsupportedOperationException.class, () -> p.requested().put("x", true));
        } finally {
            if (before == null) {
                System.clearProperty(TrainingStep.FAST_DENSE);
            } else {
                System.setProperty(TrainingStep.FAST_DENSE, before);
            }
        }
    }

    @Test
    void switchesByPropertyNameAndEffectiveJavaUpdaterNeedsTheDirectOne() {
        assertEquals(List.of(TrainingStep.DIRECT_UPDATER, TrainingStep.FAST_DENSE, TrainingStep.JAVA_UPDATER),
                List.copyOf(TrainingProvenance.switches(TrainingStep.GRADTUNE).keySet()));
        TrainingStep requested = new TrainingStep(false, true, true);
        assertEquals(Map.of(TrainingStep.DIRECT_UPDATER, false, TrainingStep.FAST_DENSE, true,
                        TrainingStep.JAVA_UPDATER, false),
                TrainingProvenance.switches(requested.resolve(TrainingStep.CHECKED_BACKEND)));
        assertEquals(TrainingProvenance.switches(TrainingStep.DL4J),
                TrainingProvenance.switches(TrainingStep.GRADTUNE.resolve("org.nd4j.linalg.jcublas.JCublasBackend")));
    }

    @Test
    void recordsEveryGradtuneSystemPropertyIncludingMisspelledOnes() {
        Properties system = new Properties();
        system.setProperty("gradtune.fastdense", "false");
        system.setProperty("gradtune.directUpdater", "true");
        system.setProperty("java.version", "17");
        system.setProperty("gradtunex", "1");
        assertEquals(List.of("gradtune.directUpdater", "gradtune.fastdense"),
                List.copyOf(TrainingProvenance.gradtuneProperties(system).keySet()));
    }
}
