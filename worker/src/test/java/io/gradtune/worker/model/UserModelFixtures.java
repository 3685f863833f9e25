package io.gradtune.worker.model;

import io.gradtune.api.DataShape;
import io.gradtune.api.ModelFactory;
import io.gradtune.api.NetworkConfig;
import io.gradtune.api.Params;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Model classes for the tests: good ones (a tiny CNN, a tiny graph) and every kind of bad one. */
public final class UserModelFixtures {

    private UserModelFixtures() {
    }

    /** conv(relu) - batch norm - max pool - dense - softmax, on square images of {@code numFeatures} pixels. */
    public static final class TinyCnn implements ModelFactory {
        @Override
        public NetworkConfig build(Params p, DataShape shape, long seed) {
            int side = (int) Math.round(Math.sqrt(shape.numFeatures()));
            return NetworkConfig.of(new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                    .updater(new Adam(p.getDouble("lr", 1e-2))).convolutionMode(ConvolutionMode.Same).list()
                    .layer(new ConvolutionLayer.Builder(3, 3).nOut(p.getInt("filters", 4))
                            .activation(Activation.RELU).build())
                    .layer(new BatchNormalization.Builder().activation(Activation.IDENTITY).build())
                    .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                            .stride(2, 2).build())
                    .layer(new DenseLayer.Builder().nOut(8).activation(Activation.TANH).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(shape.numClasses())
                            .activation(Activation.SOFTMAX).build())
                    .setInputType(InputType.convolutionalFlat(side, side, 1)).build());
        }
    }

    /** A graph: input - dense "hidden" - batch norm "bn" - output "out". */
    public static final class TinyGraph implements ModelFactory {
        @Override
        public NetworkConfig build(Params p, DataShape shape, long seed) {
            ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed)
                    .dataType(DataType.FLOAT).updater(new Adam(p.getDouble("lr", 1e-2))).graphBuilder()
                    .addInputs("in")
                    .addLayer("hidden", new DenseLayer.Builder().nOut(p.getInt("units", 8))
                            .activation(Activation.RELU).build(), "in")
                    .addLayer("bn", new BatchNormalization.Builder().activation(Activation.IDENTITY).build(), "hidden")
                    .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                            .nOut(shape.numClasses()).activation(Activation.SOFTMAX).build(), "bn")
                    .setOutputs("out")
                    .setInputTypes(InputType.feedForward(shape.numFeatures()))
                    .build();
            return NetworkConfig.of(conf);
        }
    }

    /** Ten outputs whatever the data. */
    public static final class WrongOutputSize implements ModelFactory {
        @Override
        public NetworkConfig build(Params p, DataShape shape, long seed) {
            return NetworkConfig.of(new NeuralNetConfiguration.Builder().seed(seed).list()
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(shape.numFeatures()).nOut(10)
                            .activation(Activation.SOFTMAX).build()).build());
        }
    }

    /** Expects 784 inputs whatever the data. */
    public static final class WrongInputSize implements ModelFactory {
        @Override
        public NetworkConfig build(Params p, DataShape shape, long seed) {
            return NetworkConfig.of(new NeuralNetConfiguration.Builder().seed(seed).list()
                    .layer(new DenseLayer.Builder().nIn(784).nOut(4).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4)
                            .nOut(shape.numClasses()).activation(Activation.SOFTMAX).build()).build());
        }
    }

    /** Reads a parameter the study does not define. */
    public static final class Throws implements ModelFactory {
        @Override
        public NetworkConfig build(Params p, DataShape shape, long seed) {
            p.getInt("no_such_parameter");
            return null;
        }
    }

    /** Has only a constructor with an argument. */
    public static final class NoDefaultConstructor implements ModelFactory {
        public NoDefaultConstructor(int unused) {
        }

        @Override
        public NetworkConfig build(Params p, DataShape shape, long seed) {
            return null;
        }
    }

    /** Not a factory at all. */
    public static final class NotAFactory {
    }
}
