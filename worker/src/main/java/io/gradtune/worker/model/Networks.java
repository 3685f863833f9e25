package io.gradtune.worker.model;

import io.gradtune.worker.protocol.FineTuneSpec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that builds a trial's network: gradtune's built-in network from its parameter vocabulary
 * ({@link NetworkBuilder}), or a user's {@link io.gradtune.api.ModelFactory} named by the spec's model class
 * ({@link UserModels}), or a saved model fine-tuned ({@link FineTuning}). Trainers, refits and benchmarks call this rather than either builder.
 */
public final class Networks {

    /**
     * gradtune's own parameters that still apply to a user's model: the trainer's mini-batch size, the input
     * scaling and the training-batch augmentation ({@link AugmentParameters}). Everything else (updater, learning rate, layers, regularization) is the factory's.
     */
    public static final List<String> USER_MODEL_TRAINING_KEYS = List.of("batch_size", "scaling", "noise_std", "augment",
            "augment_shift", "image_shape");

    private Networks() {
    }

    /**
     * The trainer's reading of an assignment: every parameter for the built-in network; for a user's model only
     * {@link #USER_MODEL_TRAINING_KEYS} (the rest keep their defaults, and the factory reads them itself).
     *
     * @param modelClass the user's factory class, or null for the built-in network
     */
    public static HyperParameters trainingParameters(Map<String, ?> params, String modelClass) {
        if (modelClass == null) {
            return HyperParameters.from(params);
        }
        Map<String, Object> own = new LinkedHashMap<>();
        for (String k : USER_MODEL_TRAINING_KEYS) {
            if (params.containsKey(k)) {
                own.put(k, params.get(k));
            }
        }
        return HyperParameters.from(own);
    }

    /**
     * The trainer's reading of an assignment when the study may fine-tune: {@link FineTuning#TRAINING_KEYS} for a
     * fine-tuned model, else {@link #trainingParameters(Map, String)}.
     *
     * @param fineTune the study's fine-tuning, or null
     */
    public static HyperParameters trainingParameters(Map<String, ?> params, String modelClass, FineTuneSpec fineTune) {
        return fineTune != null ? FineTuning.trainingParameters(params) : trainingParameters(params, modelClass);
    }

    /**
     * A trial's network: for a regression gradtune's network with one identity output; else the saved model of
     * {@code fineTune} restored and prepared for fine-tuning, or {@link #build(String, Map, HyperParameters, int, int,
     * long)}.
     *
     * @param fineTune   the study's fine-tuning, or null
     * @param regression whether the data's target is numeric ({@code data.task: regression}; {@code numClasses} is
     *                   then ignored)
     * @throws IllegalArgumentException for a regression with a model class or a fine-tuning (the loader refuses both)
     */
    public static TrainableNetwork build(String modelClass, FineTuneSpec fineTune, Map<String, ?> params,
                                         HyperParameters h, int numFeatures, int numClasses, boolean regression,
                                         long seed) {
        if (regression) {
            if (fineTune != null) {
                throw new IllegalArgumentException("model.init_from cannot fine-tune on a regression yet: the saved "
                        + "model's output is a softmax over classes");
            }
            if (modelClass != null) {
                throw new IllegalArgumentException("a model class (" + modelClass + ") cannot be tuned on a "
                        + "regression yet: its output is checked as a softmax over classes");
            }
            return NetworkBuilder.buildRegression(h, numFeatures, seed);
        }
        if (fineTune != null) {
            return FineTuning.build(Path.of(fineTune.initFrom()), fineTune.freezeLayers(), fineTune.replaceOutput(), h,
                    numFeatures, numClasses, seed);
        }
        return build(modelClass, params, h, numFeatures, numClasses, seed);
    }

    /**
     * A trial's network: the built-in one from {@code h}, or the user's factory's from {@code params} verbatim.
     *
     * @param modelClass the user's factory class, or null for the built-in network
     * @param h          {@link #trainingParameters(Map, String)} of {@code params}
     */
    public static TrainableNetwork build(String modelClass, Map<String, ?> params, HyperParameters h, int numFeatures,
                                         int numClasses, long seed) {
        return modelClass == null ? NetworkBuilder.build(h, numFeatures, numClasses, seed)
                : UserModels.build(modelClass, params, numFeatures, numClasses, seed);
    }
}
