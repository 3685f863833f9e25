package io.gradtune.worker.model;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trained network as a plain DL4J model, for export: the same configuration and parameters with DL4J's own layer
 * classes in place of gradtune's training-only replacements ({@link FastLayers}) and DL4J's own updater (the
 * export holds no updater state). Inference is the same arithmetic, so the copy's outputs are the trained network's;
 * its JSON names only DL4J classes, so a saved model loads wherever DL4J M2.1 does, without gradtune's jars.
 */
public final class PortableModel {

    private PortableModel() {
    }

    /** A standalone copy of {@code net} (its parameters copied; {@code net} may be closed afterwards). */
    public static Model of(TrainableNetwork net) {
        Model model = net.dl4j();
        if (model instanceof MultiLayerNetwork mln) {
            MultiLayerConfiguration conf = mln.getLayerWiseConfigurations().clone();
            for (NeuralNetConfiguration layerConf : conf.getConfs()) {
                layerConf.setLayer(FastLayers.standard(layerConf.getLayer()));
            }
            MultiLayerNetwork copy = new MultiLayerNetwork(conf);
            copy.init(mln.params(), true);
            return copy;
        }
        if (model instanceof ComputationGraph graph) {
            ComputationGraphConfiguration conf = graph.getConfiguration().clone();
            for (GraphVertex vertex : conf.getVertices().values()) {
                if (vertex instanceof LayerVertex layer) {
                    layer.getLayerConf().setLayer(FastLayers.standard(layer.getLayerConf().getLayer()));
                }
            }
            ComputationGraph copy = new ComputationGraph(conf);
            copy.init(graph.params(), true);
            return copy;
        }
        throw new IllegalArgumentException("cannot export a " + model.getClass().getName());
    }

    /** Inference output of a plain DL4J model (its single output), rows x classes. */
    public static INDArray output(Model model, INDArray features) {
        if (model instanceof MultiLayerNetwork mln) {
            return mln.output(features, false);
        }
        if (model instanceof ComputationGraph graph) {
            return graph.outputSingle(false, features);
        }
        throw new IllegalArgumentException("not a DL4J network: " + model.getClass().getName());
    }

    /**
     * The number of input features a plain DL4J model takes: its first layer's nIn (a frozen layer's, unwrapped), or,
     * for a network that reshapes flat rows to images ({@code InputType.convolutionalFlat}), height x width x channels.
     */
    public static long numInputs(Model model) {
        if (model instanceof MultiLayerNetwork mln) {
            if (mln.getLayerWiseConfigurations().getInputPreProcess(0)
                    instanceof org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor flat) {
                // flat rows reshaped to images (InputType.convolutionalFlat): the first layer's nIn is the channels
                return flat.getInputHeight() * flat.getInputWidth() * flat.getNumChannels();
            }
            return ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) LayerInfos.unwrap(
                    mln.getLayerWiseConfigurations().getConf(0).getLayer())).getNIn();
        }
        if (model instanceof ComputationGraph graph) {
            ComputationGraphConfiguration conf = graph.getConfiguration();
            String input = conf.getNetworkInputs().get(0);
            for (java.util.Map.Entry<String, java.util.List<String>> e : conf.getVertexInputs().entrySet()) {
                if (e.getValue().contains(input) && conf.getVertices().get(e.getKey()) instanceof LayerVertex lv
                        && LayerInfos.unwrap(lv.getLayerConf().getLayer())
                        instanceof org.deeplearning4j.nn.conf.layers.FeedForwardLayer f) {
                    return f.getNIn();
                }
            }
        }
        throw new IllegalArgumentException("cannot tell the input size of a " + model.getClass().getName());
    }
}
