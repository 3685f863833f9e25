package io.gradtune.worker.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * A built network and the map from its weight-carrying layers to DL4J parameter keys, so the trainer and
 * the gradient listener never parse DL4J's layer list themselves.
 */
public final class TrainableNetwork {

    /**
     * One weight-carrying layer.
     *
     * @param index      0-based position among weight-carrying layers
     * @param key        DL4J parameter prefix ({@code key + "_W"} is the weight matrix)
     * @param kind       dense or output
     * @param activation activation name
     * @param dl4jLayer  index of the layer in DL4J's layer list (its output is activation {@code dl4jLayer + 1})
     */
    public record LayerInfo(int index, String key, String kind, String activation, int dl4jLayer) {
        public String weightKey() {
            return key + "_W";
        }
    }

    private final MultiLayerNetwork network;
    private final List<LayerInfo> layers;

    TrainableNetwork(MultiLayerNetwork network, List<LayerInfo> layers) {
        this.network = network;
        this.layers = List.copyOf(layers);
    }

    public List<LayerInfo> layers() {
        return layers;
    }

    public MultiLayerNetwork dl4j() {
        return network;
    }

    public long numParams() {
        return network.numParams();
    }

    public void setListeners(TrainingListener... listeners) {
        network.setListeners(listeners);
    }

    public void fit(INDArray features, INDArray labels) {
        network.fit(features, labels);
    }

    /** Inference-mode output (softmax probabilities). */
    public INDArray output(INDArray features) {
        return network.output(features, false);
    }

    /** Inference-mode outputs of every layer; index 0 is the input. */
    public List<INDArray> activations(INDArray features) {
        return network.feedForward(features, false);
    }

    public INDArray weights(LayerInfo layer) {
        return network.getParam(layer.weightKey());
    }

    public double learningRate() {
        Double lr = network.getLearningRate(0);
        return lr == null ? Double.NaN : lr;
    }
}
