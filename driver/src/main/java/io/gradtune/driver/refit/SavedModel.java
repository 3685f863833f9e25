package io.gradtune.driver.refit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradtune.worker.data.FittedPreprocessing;
import io.gradtune.worker.data.Table;
import io.gradtune.worker.model.PortableModel;
import io.gradtune.worker.train.Evaluation;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A model saved by the refit ({@code best-model.zip}): DL4J's {@code ModelSerializer} format (configuration JSON with
 * DL4J's own layer classes, parameters, the fitted normalizer), plus {@value #META} — gradtune's description of the
 * input, plain JSON: feature names, label column, classes, and for a regression ({@code "task": "regression"}) the
 * target's {@code target_mean} and {@code target_std}: the network predicts the standardized target, and
 * {@link #predictions} turns its output back into the original scale ({@code y = out * std + mean}). Any DL4J M2.1
 * program restores the network and normalizer with {@code ModelSerializer}; gradtune's {@code predict} also uses the
 * description to pick the columns.
 *
 * <p>Loading reads only DL4J's JSON configuration, its binary arrays and this JSON: nothing in the file names a class
 * that gets loaded beyond DL4J's own configuration types (no Java serialization: {@code ModelSerializer}'s
 * {@code addObjectToFile} is not used).
 *
 * @param model      the network (MultiLayerNetwork or ComputationGraph)
 * @param normalizer the fitted scaling, or null when the study used none
 * @param meta       what the model takes, or null for a file gradtune did not write
 * @param preprocessing the fitted data cleaning and PCA ({@value #PREPROCESSING}), or null when the study used none
 */
public record SavedModel(Model model, DataNormalization normalizer, Meta meta, FittedPreprocessing preprocessing) {

    /** The zip entry holding {@link Meta} as JSON. */
    public static final String META = "gradtune.json";
    /**
     * The zip entry holding the fitted data cleaning and PCA ({@link FittedPreprocessing#toJson}), when the study
     * used them: {@link #output} applies its cleaning (fill, indicators, clip) before the normalizer and its PCA after.
     */
    public static final String PREPROCESSING = "gradtune-preprocessing.json";

    /** A model without data cleaning. */
    public SavedModel(Model model, DataNormalization normalizer, Meta meta) {
        this(model, normalizer, meta, null);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What the model takes and gives.
     *
     * @param featureNames the feature columns in order
     * @param labelColumn  the label column of the data it was trained on
     * @param classes      number of classes (output columns)
     * @param scaling      the scaling the normalizer implements (standard, minmax, none)
     * @param task         {@code classification} or {@code regression}
     * @param targetMean   regression: the mean the network's target was centred with (train + validation's); else NaN
     * @param targetStd    regression: the standard deviation it was divided by; else NaN
     */
    public record Meta(List<String> featureNames, String labelColumn, int classes, String scaling, String task,
                       double targetMean, double targetStd) {

        /** A classifier's description. */
        public Meta(List<String> featureNames, String labelColumn, int classes, String scaling) {
            this(featureNames, labelColumn, classes, scaling, CLASSIFICATION, Double.NaN, Double.NaN);
        }

        /** A regression model's description: one output, the target's standardization. */
        public static Meta regression(List<String> featureNames, String labelColumn, String scaling, double mean,
                                      double std) {
            return new Meta(featureNames, labelColumn, 1, scaling, REGRESSION, mean, std);
        }

        /** Whether the model predicts a number (its output de-standardized by {@link #predictions}). */
        public boolean regression() {
            return REGRESSION.equals(task);
        }
    }

    static final String CLASSIFICATION = "classification";
    static final String REGRESSION = "regression";

    /**
     * Reads a saved model.
     *
     * @throws IllegalArgumentException naming the file, when it is missing or not a DL4J model
     */
    public static SavedModel load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": model file not found (give the best-model.zip of a run "
                    + "directory)");
        }
        Meta meta;
        FittedPreprocessing preprocessing = null;
        boolean graph;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry config = zip.getEntry("configuration.json");
            if (config == null) {
                throw new IllegalArgumentException(file + ": not a DL4J model (no configuration.json in it)");
            }
            try (InputStream in = zip.getInputStream(config)) {
                graph = JSON.readTree(in).has("vertices");
            }
            ZipEntry m = zip.getEntry(META);
            meta = m == null ? null : readMeta(zip, m);
            ZipEntry pre = zip.getEntry(PREPROCESSING);
            if (pre != null) {
                try (InputStream in = zip.getInputStream(pre)) {
                    preprocessing = FittedPreprocessing.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not a readable model zip: " + e.getMessage(), e);
        }
        try {
            Model model = graph ? ModelSerializer.restoreComputationGraph(file.toFile(), false)
                    : ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
            DataNormalization normalizer = ModelSerializer.restoreNormalizerFromFile(file.toFile());
            return new SavedModel(model, normalizer, meta, preprocessing);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + ": cannot restore the DL4J model: " + e.getMessage(), e);
        }
    }

    private static Meta readMeta(ZipFile zip, ZipEntry entry) throws IOException {
        try (InputStream in = zip.getInputStream(entry)) {
            JsonNode n = JSON.readTree(in);
            List<String> names = new ArrayList<>();
            n.path("feature_names").forEach(f -> names.add(f.asText()));
            String task = n.path("task").asText(CLASSIFICATION);
            if (task.equals(REGRESSION) && !(n.path("target_mean").isNumber() && n.path("target_std").isNumber())) {
                throw new IOException(META + " describes a regression model without a numeric target_mean and "
                        + "target_std");
            }
            return new Meta(names, n.path("label_column").asText(null), n.path("classes").asInt(),
                    n.path("scaling").asText("none"), task, n.path("target_mean").asDouble(Double.NaN),
                    n.path("target_std").asDouble(Double.NaN));
        }
    }

    /** Writes {@code fitted} into the zip {@code file} as {@value #PREPROCESSING} (rewritten through {@code tmp}). */
    static void addPreprocessing(Path file, Path tmp, FittedPreprocessing fitted) throws IOException {
        addEntry(file, tmp, PREPROCESSING, fitted.toJson().getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code meta} into the zip {@code file} as {@value #META} (the zip is rewritten through {@code tmp}). */
    static void addMeta(Path file, Path tmp, Meta meta) throws IOException {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("feature_names", meta.featureNames());
        m.put("label_column", meta.labelColumn());
        m.put("classes", meta.classes());
        m.put("scaling", meta.scaling());
        if (meta.regression()) {
            m.put("task", REGRESSION);
            m.put("target_mean", meta.targetMean());
            m.put("target_std", meta.targetStd());
        }
        byte[] json = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m).getBytes(StandardCharsets.UTF_8);
        addEntry(file, tmp, META, json);
    }

    private static void addEntry(Path file, Path tmp, String name, byte[] json) throws IOException {
        try (ZipFile in = new ZipFile(file.toFile());
             OutputStream raw = Files.newOutputStream(tmp);
             ZipOutputStream out = new ZipOutputStream(raw)) {
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                out.putNextEntry(new ZipEntry(entry.getName()));
                try (InputStream data = in.getInputStream(entry)) {
                    data.transferTo(out);
                }
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry(name));
            out.write(json);
            out.closeEntry();
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Input features the network takes: the feature columns it was trained on when the file says (a convolutional
     * network's first layer takes channels, not the flat row's width), else {@link PortableModel#numInputs}.
     */
    public long numInputs() {
        if (meta != null && meta.featureNames() != null && !meta.featureNames().isEmpty()) {
            return meta.featureNames().size();
        }
        return PortableModel.numInputs(model);
    }

    /**
     * Class probabilities for {@code rows}' features (unscaled, as read): the saved normalizer applied, then the
     * network's output, rows x classes.
     */
    public INDArray probabilities(Table rows) {
        return output(rows);
    }

    /** Whether this is a regression model (its description says so). */
    public boolean regression() {
        return meta != null && meta.regression();
    }

    /**
     * A regression model's predictions for {@code rows}' features (unscaled, as read), on the target's original
     * scale: the saved normalizer, the network's one output, then {@code out * std + mean} with the saved target
     * standardization ({@link Evaluation#destandardized}, the same arithmetic as a trial's figures).
     *
     * @throws IllegalStateException for a classifier
     */
    public double[] predictions(Table rows) {
        if (!regression()) {
            throw new IllegalStateException("not a regression model: its " + META + " has no task: regression");
        }
        INDArray out = output(rows);
        return Evaluation.destandardized(out, meta.targetMean(), meta.targetStd());
    }

    private INDArray output(Table rows) {
        Table in = preprocessing == null ? rows : preprocessing.cleaning().apply(rows);
        INDArray x = Nd4j.create(in.features(), new long[]{in.rows(), in.columns()}, DataType.FLOAT);
        if (normalizer != null) {
            normalizer.transform(x);
        }
        if (preprocessing != null && preprocessing.pca() != null) {
            x = Nd4j.create(preprocessing.pca().apply(x.dup('c').data().asFloat(), in.rows()),
                    new long[]{in.rows(), preprocessing.pca().components()}, DataType.FLOAT);
        }
        return PortableModel.output(model, x);
    }
}
