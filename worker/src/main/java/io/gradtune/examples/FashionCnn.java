package io.gradtune.examples;

import io.gradtune.api.DataShape;
import io.gradtune.api.ModelFactory;
import io.gradtune.api.NetworkConfig;
import io.gradtune.api.Params;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The convolutional example of {@code configs/fashion-cnn.yaml}: a small CNN for 28x28 grey images (Fashion-MNIST),
 * built from a trial's parameters. Its {@code conv_blocks} blocks each are a convolution ({@code filters} filters,
 * doubled per block; {@code kernel_size} square, "same" padding, ReLU), batch normalization if {@code batch_norm}, and
 * 2x2 max pooling; then a dense layer of {@code dense_units} ReLU units with {@code dropout}, and the softmax output.
 * Adam with {@code learning_rate}. The rows arrive flat (784 pixels), so the input type is
 * {@code InputType.convolutionalFlat(28, 28, 1)}. Every parameter has a default, so a study may search any subset.
 */
public final class FashionCnn implements ModelFactory {

    /** Image side in pixels; the data's rows must have {@code SIDE * SIDE} values. */
    static final int SIDE = 28;

    @Override
    public NetworkConfig build(Params p, DataShape shape, long seed) {
        int side = (int) Math.round(Math.sqrt(shape.numFeatures()));
        if (side * side != shape.numFeatures()) {
            throw new IllegalArgumentException("FashionCnn takes square grey images; the data has "
                    + shape.numFeatures() + " features per row, not a square number");
        }
        int filters = p.getInt("filters", 16);
        int kernel = p.getInt("kernel_size", 3);
        int blocks = p.getInt("conv_blocks", 2);
        boolean batchNorm = p.getBoolean("batch_norm", false);
        double dropout = p.getDouble("dropout", 0.0);
        int dense = p.getInt("dense_units", 64);
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(p.getDouble("learning_rate", 1e-3)))
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same)
                .list();
        for (int b = 0; b < blocks; b++) {
            list.layer(new ConvolutionLayer.Builder(kernel, kernel).nOut(filters << b)
                    .activation(Activation.RELU).build());
            if (batchNorm) {
                list.layer(new BatchNormalization.Builder().activation(Activation.IDENTITY).build());
            }
            list.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                    .build());
        }
        DenseLayer.Builder hidden = new DenseLayer.Builder().nOut(dense).activation(Activation.RELU);
        if (dropout > 0) {
            hidden.dropOut(1.0 - dropout);   // DL4J's argument is the probability of keeping a unit
        }
        list.layer(hidden.build());
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(shape.numClasses())
                .activation(Activation.SOFTMAX).build());
        list.setInputType(InputType.convolutionalFlat(side, side, 1));
        return NetworkConfig.of(list.build());
    }
}
