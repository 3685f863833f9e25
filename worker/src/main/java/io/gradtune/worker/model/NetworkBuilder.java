package io.gradtune.worker.model;

import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns {@link HyperParameters} into a DL4J network: the one place that knows DL4J's configuration API.
 * Hidden layers are dense layers (optionally followed by batch normalization); the output is softmax with
 * multi-class cross-entropy. The seed fixes the initial weights.
 */
public final class NetworkBuilder {

    private NetworkBuilder() {
    }

    public static TrainableNetwork build(HyperParameters h, int numInputs, int numClasses, long seed) {
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(updater(h))
                .weightInit(weightInit(h.weightInit()))
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED);
        if (h.l1() > 0) {
            base.l1(h.l1());
        }
        if (h.l2() > 0) {
            base.l2(h.l2());
        }
        if (h.gradientClip() > 0) {
            base.gradientNormalization(GradientNormalization.ClipL2PerLayer)
                    .gradientNormalizationThreshold(h.gradientClip());
        }
        NeuralNetConfiguration.ListBuilder list = base.list();
        Activation act = activation(h.activation());
        List<TrainableNetwork.LayerInfo> infos = new ArrayList<>();
        int in = numInputs;
        int layerIndex = 0;
        for (int i = 0; i < h.unitsPerLayer().size(); i++) {
            int units = h.unitsPerLayer().get(i);
            DenseLayer.Builder dense = new DenseLayer.Builder().nIn(in).nOut(units).activation(act);
            if (h.dropout() > 0) {
                dense.dropOut(1.0 - h.dropout());
            }
            list.layer(layerIndex, dense.build());
            infos.add(new TrainableNetwork.LayerInfo(i, String.valueOf(layerIndex), "dense", h.activation(), layerIndex));
            layerIndex++;
            if (h.batchNorm()) {
                list.layer(layerIndex++, new BatchNormalization.Builder().nOut(units).build());
            }
            in = units;
        }
        list.layer(layerIndex, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .activation(Activation.SOFTMAX).nIn(in).nOut(numClasses).build());
        infos.add(new TrainableNetwork.LayerInfo(infos.size(), String.valueOf(layerIndex), "output", "softmax", layerIndex));
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return new TrainableNetwork(net, infos);
    }

    static IUpdater updater(HyperParameters h) {
        double lr = h.learningRate();
        return switch (h.optimizer()) {
            case "adam" -> new Adam(lr);
            case "nadam" -> new Nadam(lr);
            case "rmsprop" -> new RmsProp(lr);
            case "sgd" -> new Sgd(lr);
            case "nesterov" -> new Nesterovs(lr, h.momentum());
            default -> throw new IllegalArgumentException("unknown optimizer " + h.optimizer());
        };
    }

    static Activation activation(String name) {
        return switch (name) {
            case "sigmoid" -> Activation.SIGMOID;
            case "tanh" -> Activation.TANH;
            case "relu" -> Activation.RELU;
            case "leakyrelu" -> Activation.LEAKYRELU;
            case "elu" -> Activation.ELU;
            case "gelu" -> Activation.GELU;
            default -> throw new IllegalArgumentException("unknown activation " + name);
        };
    }

    static IWeightInit weightInit(String name) {
        return switch (name) {
            case "xavier" -> WeightInit.XAVIER.getWeightInitFunction();
            case "he" -> WeightInit.RELU.getWeightInitFunction();
            case "normal_small" -> new WeightInitDistribution(new NormalDistribution(0, 0.01));
            default -> throw new IllegalArgumentException("unknown weight_init " + name);
        };
    }
}
