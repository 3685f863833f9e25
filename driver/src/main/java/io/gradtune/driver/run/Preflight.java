package io.gradtune.driver.run;

import io.gradtune.driver.config.ConfigException;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.data.StudyData;
import io.gradtune.driver.space.CategoricalParameter;
import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.IntParameter;
import io.gradtune.driver.space.SearchSpace;
import io.gradtune.worker.model.FineTuning;
import io.gradtune.worker.model.TrainableNetwork;
import io.gradtune.worker.model.UserModelException;
import io.gradtune.worker.model.UserModels;
import io.gradtune.worker.protocol.FineTuneSpec;
import io.gradtune.worker.train.WorkerRuntime;
import org.deeplearning4j.nn.api.Model;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The checks a study passes before anything starts (no broker, no Spark, no run directory): its local data read in
 * full and checked ({@link StudyData#readLocal}), its model class if it names one ({@link #checkModel}), and its
 * output directory writable, and a fine-tuned study's saved model ({@link #checkFineTune}). A failure is a
 * {@link ConfigException} (exit 2). The config itself, the Spark master's form included, is checked as it loads.
 * Data read through Spark SQL is checked by {@code run} as it reads it, before any trial and before the run directory.
 */
public final class Preflight {

    static final String OUTPUT_FIELD = "output.dir (or --output)";

    private Preflight() {
    }

    /**
     * {@code run}'s checks: the local data, then the output directory, which is created and probed with a temporary
     * file (both removed again: the run creates the directory when it writes its first file).
     *
     * @return the local data as read, split and checked, for the study to use rather than read it again; null for
     *         data Spark SQL reads (checked when the study reads it)
     */
    public static StudyData beforeRun(StudyConfig config) {
        StudyData data = config.data().readByDriver() ? StudyData.readLocal(config) : null;
        checkModel(config, data);
        probeOutput(config);
        return data;
    }

    /**
     * A model class ({@code model.class}) is loaded and instantiated, and, when the data has been read, builds its
     * network once for a sample assignment of the space ({@link #sampleAssignment}), which must take the data's rows
     * and give one softmax output per class. Any failure is a {@link ConfigException} naming the class and the cause.
     * Data Spark SQL reads is checked the same way once read, before any trial ({@code StudyRunner}).
     *
     * @param data the study's data as read, or null when it is not read yet (then only the class is checked)
     */
    public static void checkModel(StudyConfig config, StudyData data) {
        checkFineTune(config, data);
        String className = config.training().modelClass();
        if (className == null) {
            return;
        }
        try {
            if (data == null) {
                UserModels.load(className);
                return;
            }
            WorkerRuntime.ensureInitialized();
            Map<String, Object> sample = sampleAssignment(config.space());
            try (TrainableNetwork net = UserModels.build(className, sample, data.numFeatures(), data.numClasses(),
                    config.search().seed())) {
                net.numParams();
            }
        } catch (UserModelException e) {
            throw new ConfigException(file(config), "model.class", className, e.getMessage().substring(
                    ("model class " + className + ": ").length()));
        }
    }

    /**
     * Fine-tuning ({@code model.init_from}): the file is a DL4J model zip (read with DL4J's {@code ModelSerializer}
     * only) of a network with one input and a softmax output layer, {@code freeze_layers} leaves its output layer trainable, and, when the data has been read, the model takes
     * as many input features as the data has (for a model gradtune saved, its {@code gradtune.json} feature count;
     * else its first layer's nIn). A failure is a {@link ConfigException} naming the field, the file and both sizes.
     *
     * @param data the study's data as read, or null when it is not read yet (then the input size is checked by the
     *             first trial)
     */
    static void checkFineTune(StudyConfig config, StudyData data) {
        FineTuneSpec ft = config.training().fineTune();
        if (ft == null) {
            return;
        }
        WorkerRuntime.ensureInitialized();
        Path file = Path.of(ft.initFrom());
        Model model;
        try {
            model = FineTuning.restore(file);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file(config), "model.init_from", ft.initFrom(), e.getMessage()
                    + "; give a best-model.zip of a run directory (relative paths are resolved against the config "
                    + "file's directory)");
        }
        int weightLayers;
        try {
            weightLayers = FineTuning.weightLayers(model).size();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file(config), "model.init_from", ft.initFrom(), e.getMessage());
        }
        if (ft.freezeLayers() >= weightLayers) {
            throw new ConfigException(file(config), "model.freeze_layers", ft.freezeLayers(), "the saved model "
                    + file + " has " + weightLayers + " weight layers (the last is its output layer, which always "
                    + "trains): freeze 0 to " + (weightLayers - 1));
        }
        if (data != null) {
            long inputs = FineTuning.inputSize(file, model);
            if (inputs != data.numFeatures()) {
                throw new ConfigException(file(config), "model.init_from", ft.initFrom(), "the saved model takes "
                        + inputs + " input features, the data (" + config.data().location() + ") has "
                        + data.numFeatures() + "; fine-tune on data with the feature columns the model was trained on");
            }
        }
    }

    /**
     * One assignment of the space for the model check: each float or int parameter at the middle of its range
     * (geometric middle on a log scale), each categorical at its first choice, fixed ones at their value.
     */
    static Map<String, Object> sampleAssignment(SearchSpace space) {
        return space.assign(p -> {
            if (p instanceof FloatParameter f) {
                return f.log() ? Math.sqrt(f.low() * f.high()) : (f.low() + f.high()) / 2;
            }
            if (p instanceof IntParameter i) {
                return (int) Math.round(i.log() ? Math.sqrt((double) i.low() * i.high()) : (i.low() + i.high()) / 2.0);
            }
            return ((CategoricalParameter) p).choices().get(0);
        });
    }

    /**
     * {@code validate}'s checks, which write nothing: the local data, and that the output directory could be created
     * (its nearest existing ancestor is a writable directory).
     *
     * @return a line about the data for the console, e.g. rows, features, classes and the split
     */
    public static String beforeValidate(StudyConfig config) {
        StudyData data = config.data().readByDriver() ? StudyData.readLocal(config) : null;
        String summary = data == null ? null : data.summary();
        checkModel(config, data);
        Path dir = config.outputDir().toAbsolutePath().normalize();
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            throw new ConfigException(file(config), OUTPUT_FIELD, config.outputDir().toString(), existing == null
                    ? "no existing ancestor directory" : existing + (Files.isDirectory(existing)
                    ? " is not writable" : " is a file, not a directory") + "; choose a directory gradtune can write");
        }
        return summary;
    }

    /**
     * Creates the output directory, writes and removes a temporary file in it, then removes the directories it
     * created, so a later failure before the study starts still leaves nothing written.
     */
    private static void probeOutput(StudyConfig config) {
        Path dir = config.outputDir().toAbsolutePath().normalize();
        java.util.List<Path> created = new java.util.ArrayList<>();   // deepest first
        for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) {
            created.add(p);
        }
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".gradtune-write-probe", ".tmp");
            Files.delete(probe);
        } catch (IOException | UnsupportedOperationException e) {
            throw new ConfigException(file(config), OUTPUT_FIELD, config.outputDir().toString(), "cannot write there: "
                    + reason(e) + "; choose a directory gradtune can create and write (run directories go under it)");
        }
        for (Path p : created) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                return;   // someone else wrote there meanwhile: theirs to keep, and the directory is writable
            }
        }
    }

    private static String reason(Exception e) {
        if (e instanceof AccessDeniedException a) {
            return "permission denied (" + a.getFile() + ")";
        }
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + " exists and is not a directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason() + " (" + f.getFile() + ")";
        }
        return String.valueOf(e.getMessage());
    }

    private static String file(StudyConfig config) {
        return config.source() == null ? null : config.source().toString();
    }
}
