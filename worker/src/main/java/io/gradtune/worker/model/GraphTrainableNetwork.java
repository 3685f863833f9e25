package io.gradtune.worker.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A computation graph with one input and one output: layers are found by vertex name. */
final class GraphTrainableNetwork implements TrainableNetwork {

    private final ComputationGraph network;
    private final List<LayerInfo> layers;

    GraphTrainableNetwork(ComputationGraph network, List<LayerInfo> layers) {
        this.network = network;
        this.layers = List.copyOf(layers);
    }

    @Override
    public List<LayerInfo> layers() {
        return layers;
    }

    @Override
    public org.deeplearning4j.nn.api.Model dl4j() {
        return network;
    }

    @Override
    public long numParams() {
        return network.numParams();
    }

    @Override
    public void setListeners(TrainingListener... listeners) {
        network.setListeners(listeners);
    }

    @Override
    public void fit(INDArray features, INDArray labels) {
        network.fit(new INDArray[]{features}, new INDArray[]{labels});
    }

    @Override
    public Activations inferencePass(INDArray features) {
        Map<String, INDArray> all = network.feedForward(features, false);
        Map<String, INDArray> byKey = new HashMap<>();
        for (LayerInfo layer : layers) {
            byKey.put(layer.key(), all.get(layer.key()));
        }
        return Activations.of(byKey, all.values(), features);
    }

    @Override
    public INDArray weights(LayerInfo layer) {
        return network.getParam(layer.weightKey());
    }

    @Override
    public INDArray flatParams() {
        return network.params();
    }

    @Override
    public INDArray flatGradients() {
        return network.getGradientsViewArray();
    }

    @Override
    public double learningRate() {
        Double lr = network.getLearningRate(layers.get(0).key());
        return lr == null ? Double.NaN : lr;
    }

    @Override
    public void setLearningRate(double learningRate) {
        DirectUpdaters.setLearningRate(network, learningRate);
    }

    @Override
    public void endEpoch() {
        network.incrementEpochCount();
    }

    @Override
    public void close() {
        ComputationGraphUpdater updater = network.getUpdater(false);
        Activations.freeWhole(network.params(), network.getGradientsViewArray(),
                updater == null ? null : updater.getStateViewArray());
    }
}
