package io.gradtune.worker.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Fine-tuning (transfer learning, {@code model.init_from} with {@code freeze_layers}): a trial's network restored from
 * a saved DL4J model zip (a gradtune {@code best-model.zip} or any {@code ModelSerializer} file), its first
 * {@code k} weight-carrying layers frozen (DL4J's {@code TransferLearning} feature extractor: they keep their
 * parameters and get no updates), the output layer replaced when the data's class count differs from the saved
 * output's, the rest trained with the trial's updater and learning rate ({@code FineTuneConfiguration}).
 *
 * <p>Only DL4J's model entries are read ({@code configuration.json}, {@code coefficients.bin}; no updater state) and
 * gradtune's plain-JSON {@code gradtune.json}: nothing in the file is Java-deserialized.
 */
public final class FineTuning {

    /**
     * gradtune's parameters that apply when fine-tuning: the trainer's mini-batch size and scaling, the updater and
     * learning rate of the trained layers (and their schedules), and the weight init of a replaced output layer. The
     * architecture is the saved model's.
     */
    public static final List<String> TRAINING_KEYS = List.of("batch_size", "scaling", "learning_rate", "optimizer",
            "momentum", "lr_schedule", "lr_decay", "lr_step_epochs", "lr_cycle_epochs", "lr_patience", "weight_init",
            "noise_std", "augment", "augment_shift", "image_shape");

    private static final ObjectMapper JSON = new ObjectMapper();
    /** gradtune's {@code normal_small}: N(0, 0.01^2). */
    private static final NormalDistribution SMALL_NORMAL = new NormalDistribution(0, 0.01);

    /** Local copies of broadcast model files in this JVM, by the SHA-256 of their bytes. */
    private static final java.util.concurrent.ConcurrentHashMap<String, Path> LOCAL_COPIES =
            new java.util.concurrent.ConcurrentHashMap<>();

    private FineTuning() {
    }

    /**
     * A file in this JVM's temporary directory holding {@code bytes} (a saved model the driver broadcast), written once
     * per JVM and content: executors restore the model from it instead of reading {@code init_from} themselves. The
     * bytes are only ever read back by {@link #restore}.
     */
    public static Path localCopy(byte[] bytes) {
        String digest;
        try {
            digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return LOCAL_COPIES.computeIfAbsent(digest, d -> {
            try {
                Path file = Files.createTempFile("gradtune-init-" + d.substring(0, 12) + "-", ".zip");
                file.toFile().deleteOnExit();
                Files.write(file, bytes);
                return file;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot write the broadcast model to a temporary file", e);
            }
        });
    }

    /** {@code params} restricted to {@link #TRAINING_KEYS}, read with defaults. */
    public static HyperParameters trainingParameters(Map<String, ?> params) {
        Map<String, Object> own = new LinkedHashMap<>();
        for (String k : TRAINING_KEYS) {
            if (params.containsKey(k)) {
                own.put(k, params.get(k));
            }
        }
        return HyperParameters.from(own);
    }

    /**
     * A saved model as stored: a MultiLayerNetwork or ComputationGraph, without updater state.
     *
     * @throws IllegalArgumentException naming the file when it is missing or not a DL4J model zip
     */
    public static Model restore(Path file) {
        boolean graph = isGraph(file);
        try {
            return graph ? ModelSerializer.restoreComputationGraph(file.toFile(), false)
                    : ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + ": cannot restore the DL4J model: " + e.getMessage(), e);
        }
    }

    /**
     * The number of input features the saved model takes: {@code gradtune.json}'s feature count for a model gradtune
     * saved, else the first layer's nIn.
     */
    public static long inputSize(Path file, Model model) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry meta = zip.getEntry("gradtune.json");
            if (meta != null) {
                try (InputStream in = zip.getInputStream(meta)) {
                    JsonNode names = JSON.readTree(in).path("feature_names");
                    if (names.isArray() && names.size() > 0) {
                        return names.size();
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not a readable model zip: " + e.getMessage(), e);
        }
        return PortableModel.numInputs(model);
    }

    /**
     * The weight-carrying layers of a saved model ({@link LayerInfos}), output layer last, after checking that gradtune
     * can fine-tune it: one input, one output, and a softmax output layer (gradtune scores classes on it).
     *
     * @throws IllegalArgumentException saying what the model lacks
     */
    public static List<TrainableNetwork.LayerInfo> weightLayers(Model model) {
        List<TrainableNetwork.LayerInfo> layers;
        try {
            if (model instanceof ComputationGraph g) {
                List<String> in = g.getConfiguration().getNetworkInputs();
                List<String> out = g.getConfiguration().getNetworkOutputs();
                if (in.size() != 1 || out.size() != 1) {
                    throw new IllegalArgumentException("the saved graph has inputs " + in + " and outputs " + out
                            + "; gradtune fine-tunes graphs with one input and one output");
                }
                layers = LayerInfos.of(g);
            } else {
                layers = LayerInfos.of((MultiLayerNetwork) model);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot fine-tune the saved model: " + e.getMessage(), e);
        }
        String activation = layers.get(layers.size() - 1).activation();
        if (!activation.equals("softmax")) {
            throw new IllegalArgumentException("cannot fine-tune the saved model: its output layer's activation is "
                    + activation + "; gradtune fine-tunes classifiers with a softmax output layer");
        }
        return layers;
    }

    /**
     * A trial's network: the model in {@code file} with its first {@code freezeLayers} weight layers frozen, its output
     * layer replaced (weights drawn with {@code h}'s weight init from {@code seed}) when {@code replaceOutput} or when
     * its size is not {@code numClasses}, and the trainable layers set to {@code h}'s updater and learning rate.
     *
     * @throws IllegalArgumentException when the file is not a model, the data's width is not the model's input size,
     *                                  or {@code freezeLayers} is not in 0 .. (weight layers - 1)
     */
    public static TrainableNetwork build(Path file, int freezeLayers, boolean replaceOutput, HyperParameters h,
                                         int numFeatures, int numClasses, long seed) {
        Model saved = restore(file);
        long inputs = inputSize(file, saved);
        if (inputs != numFeatures) {
            throw new IllegalArgumentException(file + ": the saved model takes " + inputs + " input features, the data "
                    + "has " + numFeatures + "; fine-tune on data with the same feature columns");
        }
        List<TrainableNetwork.LayerInfo> layers;
        try {
            layers = weightLayers(saved);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        if (freezeLayers < 0 || freezeLayers >= layers.size()) {
            throw new IllegalArgumentException(file + ": freeze_layers = " + freezeLayers + ", the model has "
                    + layers.size() + " weight layers; freeze 0 to " + (layers.size() - 1) + " (the output layer "
                    + "always trains)");
        }
        FineTuneConfiguration tune = new FineTuneConfiguration.Builder()
                .updater(NetworkBuilder.updater(h))
                .seed(seed)
                .build();
        TrainableNetwork.LayerInfo output = layers.get(layers.size() - 1);
        Nd4j.getRandom().setSeed(seed);
        if (saved instanceof MultiLayerNetwork mln) {
            TransferLearning.Builder b = new TransferLearning.Builder(mln).fineTuneConfiguration(tune);
            if (freezeLayers > 0) {
                b.setFeatureExtractor(Integer.parseInt(layers.get(freezeLayers - 1).key()));
            }
            int out = Integer.parseInt(output.key());
            if (replaceOutput || nOut(mln.getLayer(out).conf().getLayer()) != numClasses) {
                if (h.weightInit().equals("normal_small")) {
                    b.nOutReplace(out, numClasses, SMALL_NORMAL);
                } else {
                    b.nOutReplace(out, numClasses, weightInit(h.weightInit()));
                }
            }
            MultiLayerNetwork n = b.build();
            return new MultiLayerTrainableNetwork(n, LayerInfos.of(n));
        }
        ComputationGraph graph = (ComputationGraph) saved;
        TransferLearning.GraphBuilder b = new TransferLearning.GraphBuilder(graph).fineTuneConfiguration(tune);
        if (freezeLayers > 0) {
            b.setFeatureExtractor(layers.get(freezeLayers - 1).key());
        }
        if (replaceOutput || nOut(graph.getLayer(output.key()).conf().getLayer()) != numClasses) {
            if (h.weightInit().equals("normal_small")) {
                b.nOutReplace(output.key(), numClasses, SMALL_NORMAL);
            } else {
                b.nOutReplace(output.key(), numClasses, weightInit(h.weightInit()));
            }
        }
        ComputationGraph n = b.build();
        return new GraphTrainableNetwork(n, LayerInfos.of(n));
    }

    /** DL4J's weight init for gradtune's xavier and he ({@code normal_small} is {@link #SMALL_NORMAL}). */
    private static WeightInit weightInit(String name) {
        return switch (name) {
            case "xavier" -> WeightInit.XAVIER;
            case "he" -> WeightInit.RELU;
            default -> throw new IllegalArgumentException("unknown weight_init " + name);
        };
    }

    private static long nOut(org.deeplearning4j.nn.conf.layers.Layer layer) {
        return layer instanceof FeedForwardLayer f ? f.getNOut() : -1;
    }

    private static boolean isGraph(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": model file not found (give a best-model.zip of a run "
                    + "directory, or another DL4J ModelSerializer zip)");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry config = zip.getEntry("configuration.json");
            if (config == null || zip.getEntry("coefficients.bin") == null) {
                throw new IllegalArgumentException(file + ": not a DL4J model zip (no configuration.json and "
                        + "coefficients.bin in it); save the model with ModelSerializer.writeModel");
            }
            try (InputStream in = zip.getInputStream(config)) {
                return JSON.readTree(in).has("vertices");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not a DL4J model zip (" + e.getMessage() + ")", e);
        }
    }
}
