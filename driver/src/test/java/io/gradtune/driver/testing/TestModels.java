package io.gradtune.driver.testing;

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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** User model classes for the driver's tests (good and bad), and tiny image data for them. */
public final class TestModels {

    private TestModels() {
    }

    /** conv(relu) - batch norm - max pool - dense - softmax on square images; reads {@code filters} and {@code lr}. */
    public static final class TinyCnn implements ModelFactory {
        @Override
        public NetworkConfig build(Params p, DataShape shape, long seed) {
            int side = (int) Math.round(Math.sqrt(shape.numFeatures()));
            return NetworkConfig.of(new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                    .updater(new Adam(p.getDouble("lr"))).convolutionMode(ConvolutionMode.Same).list()
                    .layer(new ConvolutionLayer.Builder(3, 3).nOut(p.getInt("filters")).activation(Activation.RELU)
                            .build())
                    .layer(new BatchNormalization.Builder().activation(Activation.IDENTITY).build())
                    .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                            .stride(2, 2).build())
                    .layer(new DenseLayer.Builder().nOut(8).activation(Activation.TANH).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(shape.numClasses())
                            .activation(Activation.SOFTMAX).build())
                    .setInputType(InputType.convolutionalFlat(side, side, 1)).build());
        }
    }

    /** A graph: input - dense "hidden" ({@code units}) - batch norm "bn" - output "out". */
    public static final class TinyGraph implements ModelFactory {
        @Override
        public NetworkConfig build(Params p, DataShape shape, long seed) {
            ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed)
                    .dataType(DataType.FLOAT).updater(new Adam(p.getDouble("lr", 1e-2))).graphBuilder()
                    .addInputs("in")
                    .addLayer("hidden", new DenseLayer.Builder().nOut(p.getInt("units")).activation(Activation.RELU)
                            .build(), "in")
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
    public static final class TenOutputs implements ModelFactory {
        @Override
        public NetworkConfig build(Params p, DataShape shape, long seed) {
            return NetworkConfig.of(new NeuralNetConfiguration.Builder().seed(seed).list()
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(shape.numFeatures()).nOut(10)
                            .activation(Activation.SOFTMAX).build()).build());
        }
    }

    /** Throws whatever it is asked. */
    public static final class Throws implements ModelFactory {
        @Override
        public NetworkConfig build(Params p, DataShape shape, long seed) {
            throw new IllegalStateException("not today");
        }
    }

    /** No public no-arg constructor. */
    public static final class NeedsArgument implements ModelFactory {
        public NeedsArgument(String unused) {
        }

        @Override
        public NetworkConfig build(Params p, DataShape shape, long seed) {
            return null;
        }
    }

    /** Not a model factory. */
    public static final class NotAModel {
    }

    /**
     * {@code rows} rows of 16 "pixels" (a 4x4 image) and a label column, three classes that light up different
     * quarters of the image: learnable in a few epochs.
     */
    public static Path images(Path file, int rows) throws IOException {
        Random r = new Random(3);
        StringBuilder csv = new StringBuilder();
        for (int f = 0; f < 16; f++) {
            csv.append("p").append(f).append(',');
        }
        csv.append("label\n");
        for (int i = 0; i < rows; i++) {
            int label = i % 3;
            for (int f = 0; f < 16; f++) {
                boolean lit = (f / 4 < 2) == (label == 0) && (f % 4 < 2) == (label != 2);
                csv.append(r.nextGaussian() * 0.3 + (lit ? 1 : 0)).append(',');
            }
            csv.append(label).append('\n');
        }
        Files.writeString(file, csv);
        return file;
    }
}
