package io.gradtune.worker.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The weight-carrying layers of any DL4J network, for the statistics: which layers there are, what kind each is and
 * which of its parameters the statistics describe ({@link TrainableNetwork.LayerInfo#param}). A layer carries weights
 * when its parameter table has {@code W} (dense, convolution, LSTM, output, embedding, ...); batch normalization has
 * {@code gamma} instead (none when gamma and beta are locked); layers without parameters (subsampling, dropout,
 * activation, global pooling) have no statistics. The output layer is always the last entry: the trainer evaluates
 * the validation split on its activations.
 */
public final class LayerInfos {

    private LayerInfos() {
    }

    /** The weight-carrying layers of a stack of layers, input side first; keys are layer positions. */
    public static List<TrainableNetwork.LayerInfo> of(MultiLayerNetwork net) {
        List<TrainableNetwork.LayerInfo> infos = new ArrayList<>();
        Layer[] layers = net.getLayers();
        for (int i = 0; i < layers.length; i++) {
            add(infos, String.valueOf(i), layers[i].conf().getLayer(), layers[i].paramTable(), frozen(layers[i]));
        }
        return outputLast(infos, "the last layer");
    }

    /** The weight-carrying layers of a graph in topological order; keys are vertex names. */
    public static List<TrainableNetwork.LayerInfo> of(ComputationGraph graph) {
        List<TrainableNetwork.LayerInfo> infos = new ArrayList<>();
        GraphVertex[] vertices = graph.getVertices();
        for (int index : graph.topologicalSortOrder()) {
            GraphVertex v = vertices[index];
            if (v.hasLayer()) {
                add(infos, v.getVertexName(), v.getLayer().conf().getLayer(), v.getLayer().paramTable(),
                        frozen(v.getLayer()));
            }
        }
        List<String> outputs = graph.getConfiguration().getNetworkOutputs();
        if (outputs.size() == 1) {
            String out = outputs.get(0);
            infos.stream().filter(l -> l.key().equals(out)).findFirst().ifPresent(o -> {
                infos.remove(o);
                infos.add(o);
            });
        }
        return outputLast(renumber(infos), "the graph's output vertex");
    }

    /** The kind gradtune reports for a layer configuration. */
    static String kind(org.deeplearning4j.nn.conf.layers.Layer wrapped) {
        org.deeplearning4j.nn.conf.layers.Layer layer = unwrap(wrapped);
        if (layer instanceof BaseOutputLayer) {
            return "output";
        }
        if (layer instanceof ConvolutionLayer) {
            return "conv";
        }
        if (layer instanceof BatchNormalization) {
            return "batchnorm";
        }
        if (layer instanceof BaseRecurrentLayer) {
            return layer.getClass().getSimpleName().toLowerCase(Locale.ROOT).contains("lstm") ? "lstm" : "recurrent";
        }
        if (layer instanceof DenseLayer) {
            return "dense";
        }
        return layer.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    /** The activation's name as gradtune's diagnosis reads it: {@code relu}, {@code softmax}, ... (no arguments). */
    static String activation(org.deeplearning4j.nn.conf.layers.Layer wrapped) {
        org.deeplearning4j.nn.conf.layers.Layer layer = unwrap(wrapped);
        if (!(layer instanceof BaseLayer b) || b.getActivationFn() == null) {
            return "identity";
        }
        String name = b.getActivationFn().toString().toLowerCase(Locale.ROOT);
        int paren = name.indexOf('(');
        return paren > 0 ? name.substring(0, paren) : name;
    }

    /**
     * The layer a frozen layer wraps (fine-tuning: DL4J's {@code FrozenLayer} / {@code FrozenLayerWithBackprop}), so a
     * frozen dense layer still reports as dense; any other layer itself.
     */
    static org.deeplearning4j.nn.conf.layers.Layer unwrap(org.deeplearning4j.nn.conf.layers.Layer layer) {
        org.deeplearning4j.nn.conf.layers.Layer l = layer;
        while (true) {
            if (l instanceof org.deeplearning4j.nn.conf.layers.misc.FrozenLayer f) {
                l = f.getLayer();
            } else if (l instanceof org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer w) {
                l = w.getUnderlying();
            } else {
                return l;
            }
        }
    }

    /**
     * Whether fine-tuning froze the layer: DL4J's {@code FrozenLayer} or {@code FrozenLayerWithBackprop} around it
     * (whose {@code conf()} is the wrapped layer's, so the implementation class tells).
     */
    static boolean frozen(Layer layer) {
        return layer instanceof org.deeplearning4j.nn.layers.FrozenLayer
                || layer instanceof org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
    }

    private static void add(List<TrainableNetwork.LayerInfo> infos, String key,
                            org.deeplearning4j.nn.conf.layers.Layer layer, Map<String, ?> params, boolean frozen) {
        String param = params.containsKey("W") ? "W" : params.containsKey("gamma") ? "gamma" : null;
        if (param != null) {
            infos.add(new TrainableNetwork.LayerInfo(infos.size(), key, kind(layer), activation(layer), param,
                    frozen));
        }
    }

    private static List<TrainableNetwork.LayerInfo> renumber(List<TrainableNetwork.LayerInfo> infos) {
        List<TrainableNetwork.LayerInfo> out = new ArrayList<>(infos.size());
        for (TrainableNetwork.LayerInfo l : infos) {
            out.add(new TrainableNetwork.LayerInfo(out.size(), l.key(), l.kind(), l.activation(), l.param(),
                    l.frozen()));
        }
        return out;
    }

    private static List<TrainableNetwork.LayerInfo> outputLast(List<TrainableNetwork.LayerInfo> infos, String where) {
        if (infos.isEmpty() || !infos.get(infos.size() - 1).kind().equals("output")) {
            throw new IllegalArgumentException(where + " must be an output layer with weights (OutputLayer with "
                    + "softmax, one unit per class); found " + (infos.isEmpty() ? "no weight-carrying layer"
                    : "a " + infos.get(infos.size() - 1).kind() + " layer"));
        }
        return List.copyOf(infos);
    }
}
