package io.gradtune.worker.model;

import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitConstant;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationGELU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns {@link HyperParameters} into a DL4J network: the one place (with {@link GraphNetworkBuilder}) that knows
 * DL4J's configuration API. Hidden layers are dense layers (optionally followed by batch normalization); the
 * output is softmax with multi-class cross-entropy, or for a regression ({@link #buildRegression}) one identity unit
 * with mean squared error (DL4J's {@code LossMSE}; {@link FastLayers.Output} takes it as it is: the layer only keeps
 * the pre-activation, whatever activation and loss follow). The seed fixes the initial weights. With plain
 * connections the result is a {@link MultiLayerNetwork}; with residual or dense ones, a computation graph. With
 * {@code activation: prelu} each hidden dense layer has the identity activation and is followed by a
 * {@link PReLULayer} (before batch normalization, where the other activations are applied too).
 *
 * <p>Step, exponential and cyclic learning-rate schedules are epoch-based ND4J schedules inside the updater, so
 * they advance only when the trainer calls {@link TrainableNetwork#endEpoch()}. Reduce-on-plateau depends on the
 * validation loss and is applied by the trainer through {@link TrainableNetwork#setLearningRate(double)}.
 */
public final class NetworkBuilder {

    private NetworkBuilder() {
    }

    public static TrainableNetwork build(HyperParameters h, int numInputs, int numClasses, long seed) {
        return build(h, numInputs, numClasses, seed, TrainingStep.requested());
    }

    /** The regression network: the same hidden layers, one identity output unit, mean squared error. */
    public static TrainableNetwork buildRegression(HyperParameters h, int numInputs, long seed) {
        return build(h, numInputs, 1, seed, TrainingStep.requested(), TrainingStep.currentBackend(), true);
    }

    /**
     * As {@link #build(HyperParameters, int, int, long)}, with the given training-step replacements as far as this
     * JVM's ND4J backend allows them ({@link TrainingStep#onBackend(String)}: none but on the CPU backend).
     */
    static TrainableNetwork build(HyperParameters h, int numInputs, int numClasses, long seed,
                                  TrainingStep requested) {
        return build(h, numInputs, numClasses, seed, requested, TrainingStep.currentBackend());
    }

    /** As {@link #build(HyperParameters, int, int, long, TrainingStep)}, as if ND4J ran {@code backend}. */
    static TrainableNetwork build(HyperParameters h, int numInputs, int numClasses, long seed,
                                  TrainingStep requested, String backend) {
        return build(h, numInputs, numClasses, seed, requested, backend, false);
    }

    /** As above; {@code regression}: {@code numClasses} output units with identity activation and MSE loss. */
    static TrainableNetwork build(HyperParameters h, int numInputs, int numClasses, long seed,
                                  TrainingStep requested, String backend, boolean regression) {
        TrainingStep step = requested.onBackend(backend);
        return !h.connections().equals(Architecture.PLAIN)
                ? GraphNetworkBuilder.build(h, base(h, seed), numInputs, numClasses, step, regression)
                : multiLayer(h, base(h, seed), numInputs, numClasses, step, regression);
    }

    private static TrainableNetwork multiLayer(HyperParameters h, NeuralNetConfiguration.Builder base,
                                               int numInputs, int numClasses, TrainingStep step, boolean regression) {
        NeuralNetConfiguration.ListBuilder list = base.list();
        List<TrainableNetwork.LayerInfo> infos = new ArrayList<>();
        int in = numInputs;
        int layerIndex = 0;
        for (int i = 0; i < h.unitsPerLayer().size(); i++) {
            int units = h.unitsPerLayer().get(i);
            list.layer(layerIndex, hidden(h, in, units, step.fastLayers()));
            infos.add(new TrainableNetwork.LayerInfo(i, String.valueOf(layerIndex), "dense", h.activation()));
            layerIndex++;
            if (isPrelu(h)) {
                list.layer(layerIndex++, prelu(units));
            }
            if (h.batchNorm()) {
                list.layer(layerIndex++, batchNorm(units));
            }
            in = units;
        }
        list.layer(layerIndex, output(in, numClasses, step.fastLayers(), regression));
        infos.add(new TrainableNetwork.LayerInfo(infos.size(), String.valueOf(layerIndex), "output",
                outputActivation(regression)));
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        if (step.directUpdater()) {
            DirectUpdaters.install(net, step.javaUpdater());
        }
        return new MultiLayerTrainableNetwork(net, infos);
    }

    /** Settings shared by every layer: seed, precision, updater, initialization, regularization, clipping. */
    static NeuralNetConfiguration.Builder base(HyperParameters h, long seed) {
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
        return base;
    }

    /** A hidden dense layer; {@code fast}: {@link FastLayers.Dense} (DL4J's arithmetic, less work). */
    static DenseLayer hidden(HyperParameters h, int nIn, int nOut, boolean fast) {
        DenseLayer.Builder dense = new DenseLayer.Builder().nIn(nIn).nOut(nOut).activation(activation(h.activation()));
        if (h.dropout() > 0) {
            dense.dropOut(1.0 - h.dropout());
        }
        return fast ? FastLayers.dense(dense.build()) : dense.build();
    }

    /** True when hidden layers are followed by a learned-slope {@link PReLULayer} ({@code activation: prelu}). */
    static boolean isPrelu(HyperParameters h) {
        return h.activation().equals("prelu");
    }

    /**
     * PReLU after a hidden dense layer (whose own activation is then the identity): max(0, x) + alpha * min(0, x)
     * with one learned alpha per unit, initialized to {@value #PRELU_INITIAL_SLOPE} as in He et al. (2015).
     */
    static PReLULayer prelu(int units) {
        return new PReLULayer.Builder().inputShape(units).weightInit(new WeightInitConstant(PRELU_INITIAL_SLOPE))
                .build();
    }

    /** The initial negative slope of every PReLU unit. */
    static final double PRELU_INITIAL_SLOPE = 0.25;

    static BatchNormalization batchNorm(int units) {
        return new BatchNormalization.Builder().nOut(units).build();
    }

    /** The softmax output layer; {@code fast}: {@link FastLayers.Output} (DL4J's arithmetic, less work). */
    static OutputLayer output(int nIn, int numClasses, boolean fast) {
        return output(nIn, numClasses, fast, false);
    }

    /**
     * The output layer: softmax with multi-class cross-entropy, or ({@code regression}) identity with mean squared
     * error; {@code fast}: {@link FastLayers.Output} (DL4J's arithmetic, less work).
     */
    static OutputLayer output(int nIn, int units, boolean fast, boolean regression) {
        OutputLayer output = regression
                ? new OutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .nIn(nIn).nOut(units).build()
                : new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(nIn).nOut(units).build();
        return fast ? FastLayers.output(output) : output;
    }

    /** The output layer's activation as the telemetry names it. */
    static String outputActivation(boolean regression) {
        return regression ? "identity" : "softmax";
    }

    static IUpdater updater(HyperParameters h) {
        ISchedule schedule = schedule(h);
        if (schedule == null) {
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
        return switch (h.optimizer()) {
            case "adam" -> new Adam(schedule);
            case "nadam" -> new Nadam(schedule);
            case "rmsprop" -> new RmsProp(schedule);
            case "sgd" -> new Sgd(schedule);
            case "nesterov" -> new Nesterovs(schedule, h.momentum());
            default -> throw new IllegalArgumentException("unknown optimizer " + h.optimizer());
        };
    }

    /** The epoch-based schedule of the learning rate, or null when the rate is fixed or set by the trainer. */
    static ISchedule schedule(HyperParameters h) {
        double lr = h.learningRate();
        return switch (h.lrSchedule()) {
            case "none", "plateau" -> null;
            case "step" -> new StepSchedule(ScheduleType.EPOCH, lr, h.lrDecay(), h.lrStepEpochs());
            case "exponential" -> new ExponentialSchedule(ScheduleType.EPOCH, lr, h.lrDecay());
            case "cyclic" -> new TriangularSchedule(lr, lr / 10, h.lrCycleEpochs());
            default -> throw new IllegalArgumentException("unknown lr_schedule " + h.lrSchedule());
        };
    }

    /**
     * The DL4J activation for a name. GELU is the "precise" variant: DL4J's default GELU (the sigmoid
     * approximation) has a derivative that is NaN for pre-activations above about 40, which turned healthy
     * trials into NaN losses (found on Fashion-MNIST with Nadam); the precise variant is finite everywhere.
     */
    static IActivation activation(String name) {
        return switch (name) {
            case "sigmoid" -> Activation.SIGMOID.getActivationFunction();
            case "tanh" -> Activation.TANH.getActivationFunction();
            case "relu" -> Activation.RELU.getActivationFunction();
            case "leakyrelu" -> Activation.LEAKYRELU.getActivationFunction();
            case "elu" -> Activation.ELU.getActivationFunction();
            case "gelu" -> new ActivationGELU(true);
            case "selu" -> Activation.SELU.getActivationFunction();
            case "prelu" -> Activation.IDENTITY.getActivationFunction();   // the PReLULayer after it is the nonlinearity
            default -> throw new IllegalArgumentException("unknown activation " + name);
        };
    }

    static IWeightInit weightInit(String name) {
        return switch (name) {
            case "xavier" -> WeightInit.XAVIER.getWeightInitFunction();
            case "he" -> WeightInit.RELU.getWeightInitFunction();
            case "lecun" -> WeightInit.LECUN_NORMAL.getWeightInitFunction();
            case "normal_small" -> new WeightInitDistribution(new NormalDistribution(0, 0.01));
            default -> throw new IllegalArgumentException("unknown weight_init " + name);
        };
    }
}
