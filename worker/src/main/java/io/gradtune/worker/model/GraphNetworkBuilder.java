package io.gradtune.worker.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the residual variant of the network as a DL4J computation graph.
 *
 * <p>Hidden layer {@code k > 0} gets an identity skip: its output (after batch normalization, when on) is added
 * to its input by an {@link ElementWiseVertex} Add, but only where the two widths match. Where they differ there
 * is no skip rather than a projection layer, so that {@code residual} never changes the parameter count or the
 * set of weight layers the telemetry reports, and a residual trial compares like-for-like with a plain one. A
 * consequence: with all-different {@code units_k}, residual adds no skip at all. The first hidden layer is the
 * stem and never has a skip from the raw input.
 */
final class GraphNetworkBuilder {

    static final String INPUT = "input";
    static final String OUTPUT = "output";

    private GraphNetworkBuilder() {
    }

    static TrainableNetwork build(HyperParameters h, NeuralNetConfiguration.Builder base, int numInputs,
                                  int numClasses, TrainingStep step, boolean regression) {
        ComputationGraphConfiguration.GraphBuilder graph = base.graphBuilder().addInputs(INPUT);
        List<TrainableNetwork.LayerInfo> infos = new ArrayList<>();
        String previous = INPUT;
        int previousWidth = numInputs;
        for (int i = 0; i < h.unitsPerLayer().size(); i++) {
            int units = h.unitsPerLayer().get(i);
            String dense = "dense_" + i;
            graph.addLayer(dense, NetworkBuilder.hidden(h, previousWidth, units, step.fastLayers()), previous);
            infos.add(new TrainableNetwork.LayerInfo(i, dense, "dense", h.activation()));
            String out = dense;
            if (h.batchNorm()) {
                graph.addLayer("bn_" + i, NetworkBuilder.batchNorm(units), out);
                out = "bn_" + i;
            }
            if (i > 0 && units == previousWidth) {
                graph.addVertex("add_" + i, new ElementWiseVertex(ElementWiseVertex.Op.Add), out, previous);
                out = "add_" + i;
            }
            previous = out;
            previousWidth = units;
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
