package io.gradtune.arbiter.examples;

import io.gradtune.arbiter.ArbiterModel;
import org.deeplearning4j.arbiter.BaseNetworkSpace;
import org.deeplearning4j.arbiter.MultiLayerSpace;
import org.deeplearning4j.arbiter.conf.updater.AdamSpace;
import org.deeplearning4j.arbiter.layers.DenseLayerSpace;
import org.deeplearning4j.arbiter.layers.OutputLayerSpace;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.distribution.LogUniformDistribution;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Map;

/**
 * An Arbiter space for the digits data ({@code data/digits.csv}: 8x8 images as 64 features, 10 classes), as an
 * Arbiter user would have written it: 1 to 3 dense layers of 16 to 128 units with one of three activations, Adam
 * with a log-uniform learning rate, a log-uniform L2. {@code configs/arbiter-digits.yaml} runs it. The parameters
 * keep their derived names except the learning rate, renamed to show {@link #names()}.
 */
public class ArbiterDigitsMlp extends ArbiterModel {

    @Override
    protected BaseNetworkSpace<?> space() {
        // All four Adam arguments: AdamSpace(lr) alone sets beta1 = beta2 = epsilon = 0.001 (DEPENDENCIES.md).
        ParameterSpace<Double> learningRate = new ContinuousParameterSpace(new LogUniformDistribution(1e-4, 3e-2));
        AdamSpace adam = new AdamSpace(learningRate, new FixedValue<>(0.9), new FixedValue<>(0.999),
                new FixedValue<>(1e-8));
        return new MultiLayerSpace.Builder()
                .seed(0)   // replaced by each trial's seed
                .updater(adam)
                .l2(new ContinuousParameterSpace(new LogUniformDistribution(1e-6, 1e-2)))
                .weightInit(WeightInit.XAVIER)
                .addLayer(new DenseLayerSpace.Builder()
                                .nOut(new IntegerParameterSpace(16, 128))
                                .activation(Activation.RELU, Activation.TANH, Activation.LEAKYRELU)
                                .build(),
                        new IntegerParameterSpace(1, 3))   // the number of such layers
                .addLayer(new OutputLayerSpace.Builder()
                        .nOut(10)
                        .activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT)
                        .build())
                .setInputType(InputType.feedForward(64))
                .build();
    }

    @Override
    protected Map<String, String> names() {
        return Map.of("updater.learningRate", "learning_rate");
    }
}
