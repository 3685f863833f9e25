package io.gradtune.worker.model;

import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/**
 * A built network, plain (multi-layer) or residual (graph), behind one set of methods, with the map from its
 * weight-carrying layers to DL4J parameter keys, so the trainer and the gradient listener never parse DL4J's
 * layer list or care which kind of network they hold.
 */
public sealed interface TrainableNetwork permits MultiLayerTrainableNetwork, GraphTrainableNetwork {

    /**
     * One weight-carrying layer.
     *
     * @param index      0-based position among weight-carrying layers, input side first
     * @param key        DL4J layer name: parameter prefix ({@code key + "_W"} is the weight matrix) and the key of
     *                   the layer's output in {@link #activations(INDArray)}
     * @param kind       dense or output
     * @param activation activation name
     */
    record LayerInfo(int index, String key, String kind, String activation) {
        public String weightKey() {
            return key + "_W";
        }
    }

    List<LayerInfo> layers();

    long numParams();

    void setListeners(TrainingListener... listeners);

    /** One optimization step on one mini-batch. */
    void fit(INDArray features, INDArray labels);

    /**
     * Inference-mode output of every weight layer (before any batch normalization or skip), by layer key; the
     * output layer's entry is the softmax the trainer evaluates the validation split with.
     */
    Map<String, INDArray> activations(INDArray features);

    INDArray weights(LayerInfo layer);

    /**
     * Every parameter in one flat array, of which the per-layer parameters ({@link #weights(LayerInfo)}) are views.
     */
    INDArray flatParams();

    /**
     * The flat gradient array that the per-variable gradients are views of: the raw gradient after the backward
     * pass, the applied update after the updater ran. Null before the first fit.
     */
    INDArray flatGradients();

    /** The learning rate in effect now, schedule included. */
    double learningRate();

    /** Replaces the learning rate (and any schedule) of every layer, keeping the updater's state. */
    void setLearningRate(double learningRate);

    /** Marks the end of a pass over the training data, advancing epoch-based learning-rate schedules. */
    void endEpoch();
}
