package io.gradtune.worker.model;

import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.factory.Nd4jBackend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What, in this JVM, changes how a network trains besides its hyperparameters, seed and data: gradtune's
 * training-step switches (as requested by the {@code -Dgradtune.*} system properties and as networks are actually
 * built, after the backend check of {@link TrainingStep}), the ND4J backend and its native build, the BLAS library
 * and thread settings, and ND4J's default data types. Recorded in {@code study.json} so a result can be reproduced
 * (or a difference explained). {@link #current()} reads it; {@link #toMap()} is the JSON form.
 *
 * <p>Read in the JVM that trains: on the driver it describes the driver's JVM, which is the executors' JVM only
 * with a {@code local} Spark master. The data types are ND4J's defaults at the time of the call (the worker sets
 * float/float in {@code WorkerRuntime} before its first trial; the networks themselves are float32 regardless).
 *
 * @param properties  every {@code gradtune.*} system property set in this JVM, verbatim (sorted by name; a
 *                    misspelled switch shows up here, and in {@code requested} as still on)
 * @param requested   each training-step switch by property name, as the properties request it
 * @param effective   each switch as networks built in this JVM use it
 * @param backend     class name of ND4J's backend
 * @param nativeBuild the backend's native build information (compiler, engine, BLAS and helper libraries)
 * @param environment ND4J's environment information that bears on arithmetic: backend kind, BLAS vendor, BLAS and
 *                    OpenMP threads, cores, whether platform helpers are allowed, ND4J's thread limits
 * @param platform    JavaCPP's platform of the native libraries (with the extension, e.g. {@code -avx2}, if any)
 * @param cpu         the CPU model (OpenBLAS picks its kernels by CPU), or {@code unknown}
 * @param dataTypes   ND4J's default data type and default floating-point type
 * @param threadEnv   the thread and kernel environment variables that are set: {@code OMP_NUM_THREADS},
 *                    {@code OPENBLAS_NUM_THREADS}, {@code OPENBLAS_CORETYPE}, {@code MKL_NUM_THREADS}
 */
public record TrainingProvenance(
        Map<String, String> properties,
        Map<String, Boolean> requested,
        Map<String, Boolean> effective,
        String backend,
        String nativeBuild,
        Map<String, String> environment,
        String platform,
        String cpu,
        Map<String, String> dataTypes,
        Map<String, String> threadEnv) {

    /** ND4J's environment keys recorded (the others, such as free memory, change from call to call). */
    static final List<String> ENVIRONMENT_KEYS = List.of("backend", "blas.vendor", "blas.threads", "omp.threads",
            "cores");

    static final List<String> THREAD_ENV = List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE",
            "MKL_NUM_THREADS");

    public TrainingProvenance {
        properties = frozen(properties);
        requested = frozen(requested);
        effective = frozen(effective);
        environment = frozen(environment);
        dataTypes = frozen(dataTypes);
        threadEnv = frozen(threadEnv);
    }

    /** This JVM's provenance (loads ND4J's backend if it is not loaded yet). */
    public static TrainingProvenance current() {
        Nd4jBackend nd4j = Nd4j.getBackend();
        String backend = nd4j.getClass().getName();
        TrainingStep requested = TrainingStep.requested();
        TrainingStep effective = requested.onBackend(backend);

        Properties info = Nd4j.getExecutioner().getEnvironmentInformation();
        Map<String, String> environment = new LinkedHashMap<>();
        for (String key : ENVIRONMENT_KEYS) {
            Object value = info.get(key);
            if (value != null) {
                environment.put(key, String.valueOf(value));
            }
        }
        Environment env = Nd4j.getEnvironment();
        environment.put("helpersAllowed", String.valueOf(env.helpersAllowed()));
        environment.put("maxThreads", String.valueOf(env.maxThreads()));
        environment.put("maxMasterThreads", String.valueOf(env.maxMasterThreads()));

        Map<String, String> dataTypes = new LinkedHashMap<>();
        dataTypes.put("default", String.valueOf(Nd4j.dataType()));
        dataTypes.put("floatingPoint", String.valueOf(Nd4j.defaultFloatingPointType()));

        Map<String, String> threadEnv = new LinkedHashMap<>();
        for (String name : THREAD_ENV) {
            String value = System.getenv(name);
            if (value != null) {
                threadEnv.put(name, value);
            }
        }
        return new TrainingProvenance(gradtuneProperties(System.getProperties()), switches(requested),
                switches(effective), backend, nativeBuild(nd4j), environment, nativePlatform(), cpuModel(),
                dataTypes, threadEnv);
    }

    /** The JSON form: the components by name, in declaration order. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("properties", properties);
        out.put("requested", requested);
        out.put("effective", effective);
        out.put("backend", backend);
        out.put("nativeBuild", nativeBuild);
        out.put("environment", environment);
        out.put("platform", platform);
        out.put("cpu", cpu);
        out.put("dataTypes", dataTypes);
        out.put("threadEnv", threadEnv);
        return Collections.unmodifiableMap(out);
    }

    /** The switches of a step, by system property name. */
    static Map<String, Boolean> switches(TrainingStep step) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        out.put(TrainingStep.DIRECT_UPDATER, step.directUpdater());
        out.put(TrainingStep.FAST_DENSE, step.fastLayers());
        out.put(TrainingStep.JAVA_UPDATER, step.javaUpdater());
        return out;
    }

    /** The {@code gradtune.*} entries of {@code system}, sorted by name. */
    static Map<String, String> gradtuneProperties(Properties system) {
        Map<String, String> out = new TreeMap<>();
        for (String name : system.stringPropertyNames()) {
            if (name.startsWith("gradtune.")) {
                out.put(name, system.getProperty(name));
            }
        }
        return out;
    }

    private static String nativeBuild(Nd4jBackend backend) {
        try {
            String build = backend.buildInfo();
            return build == null ? "unknown" : build.strip().replaceAll("\\s*\\R\\s*", "; ");
        } catch (RuntimeException | LinkageError e) {
            return "unknown (" + e + ")";
        }
    }

    private static String nativePlatform() {
        String extension = System.getProperty("org.bytedeco.javacpp.platform.extension", "");
        return org.bytedeco.javacpp.Loader.getPlatform() + extension;
    }

    /** The first {@code model name} of {@code /proc/cpuinfo}, or {@code unknown}. */
    static String cpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) {
            return "unknown";
        }
        try (Stream<String> lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst().orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static <V> Map<String, V> frozen(Map<String, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
