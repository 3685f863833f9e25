package io.gradtune.worker.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the residual and the dense variants of the network as DL4J computation graphs.
 *
 * <p>Dense (DenseNet-style, {@code connections: dense}): hidden layer {@code k > 0} takes the concatenation
 * ({@link MergeVertex} {@code concat_k}) of the network input and the outputs of hidden layers 0..k-1 (each after
 * its PReLU and batch normalization, when on); the output layer takes the concatenation of the input and every
 * hidden output ({@code concat_output}), so every layer has a one-layer path to the loss. Unlike residual this
 * adds parameters (layer k's fan-in is inputs + the widths before it); the weight layers reported are the same.
 *
 * <p>Residual ({@code connections: residual}, or the older {@code residual: true}): hidden layer {@code k > 0} gets an identity skip: its output (after batch normalization, when on) is added
 * to its input by an {@link ElementWiseVertex} Add, but only where the two widths match. Where they differ there
 * is no skip rather than a projection layer, so that {@code residual} never changes the parameter count or the
 * set of weight layers the telemetry reports, and a residual trial compares like-for-like with a plain one. A
 * consequence: with all-different {@code units_k}, residual adds no skip at all. The first hidden layer is the
 * stem and never has a skip from the raw input.
 */
final class GraphNetworkBuilder {

    static final String INPUT = "input";
    static final String OUTPUT = "output";
    /** Dense connections: the vertex concatenating the input and every hidden output for the output layer. */
    static final String CONCAT_OUTPUT = "concat_output";

    private GraphNetworkBuilder() {
    }

    static TrainableNetwork build(HyperParameters h, NeuralNetConfiguration.Builder base, int numInputs,
                                  int numClasses, TrainingStep step, boolean regression) {
        ComputationGraphConfiguration.GraphBuilder graph = base.graphBuilder().addInputs(INPUT);
        List<TrainableNetwork.LayerInfo> infos = new ArrayList<>();
        boolean dense = h.connections().equals(Architecture.DENSE);
        List<String> outputs = new ArrayList<>(List.of(INPUT));   // dense: every output so far, input first
        int concatWidth = numInputs;
        String previous = INPUT;
        int previousWidth = numInputs;
        for (int i = 0; i < h.unitsPerLayer().size(); i++) {
            int units = h.unitsPerLayer().get(i);
            String in = previous;
            int inWidth = previousWidth;
            if (dense && i > 0) {
                in = "concat_" + i;
                graph.addVertex(in, new MergeVertex(), outputs.toArray(new String[0]));
                inWidth = concatWidth;
            }
            String layer = "dense_" + i;
            graph.addLayer(layer, NetworkBuilder.hidden(h, inWidth, units, step.fastLayers()), in);
            infos.add(new TrainableNetwork.LayerInfo(i, layer, "dense", h.activation()));
            String out = layer;
            if (NetworkBuilder.isPrelu(h)) {
                graph.addLayer("prelu_" + i, NetworkBuilder.prelu(units), out);
                out = "prelu_" + i;
            }
            if (h.batchNorm()) {
                graph.addLayer("bn_" + i, NetworkBuilder.batchNorm(units), out);
                out = "bn_" + i;
            }
            if (!dense && i > 0 && units == previousWidth) {
                graph.addVertex("add_" + i, new ElementWiseVertex(ElementWiseVertex.Op.Add), out, previous);
                out = "add_" + i;
            }
            previous = out;
            previousWidth = units;
            outputs.add(out);
            concatWidth += units;
        }
        if (dense) {
            graph.addVertex(CONCAT_OUTPUT, new MergeVertex(), outputs.toArray(new String[0]));
            previous = CONCAT_OUTPUT;
            previousWidth = concatWidth;
        }
        graph.addLayer(OUTPUT, NetworkBuilder.output(previousWidth, numClasses, step.fastLayers(), regression), previous)
                .setOutputs(OUTPUT);
        infos.add(new TrainableNetwork.LayerInfo(infos.size(), OUTPUT, "output",
                NetworkBuilder.outputActivation(regression)));
        ComputationGraph net = new ComputationGraph(graph.build());
        net.init();
        if (step.directUpdater()) {
            DirectUpdaters.install(net, step.javaUpdater());
        }
        return new GraphTrainableNetwork(net, infos);
    }
}
