package io.gradtune.api;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

import java.util.Objects;

/**
 * What a {@link ModelFactory} returns: a DL4J network configuration, either a stack of layers or a computation
 * graph with one input and one output. Either way the last (output) layer must be a softmax output layer with one
 * unit per class: gradtune scores the validation split on its output (cross-entropy, accuracy).
 */
public sealed interface NetworkConfig permits NetworkConfig.MultiLayer, NetworkConfig.Graph {

    static NetworkConfig of(MultiLayerConfiguration configuration) {
        return new MultiLayer(configuration);
    }

    static NetworkConfig of(ComputationGraphConfiguration configuration) {
        return new Graph(configuration);
    }

    /** A {@code MultiLayerNetwork}'s configuration. */
    record MultiLayer(MultiLayerConfiguration configuration) implements NetworkConfig {
        public MultiLayer {
            Objects.requireNonNull(configuration, "configuration");
        }
    }

    /** A {@code ComputationGraph}'s configuration (one input, one output). */
    record Graph(ComputationGraphConfiguration configuration) implements NetworkConfig {
        public Graph {
            Objects.requireNonNull(configuration, "configuration");
        }
    }
}
