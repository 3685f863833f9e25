package io.gradtune.worker.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.SplittableRandom;

/**
 * gradtune's network with an autoencoder front end ({@code autoencoder_units}): a dense autoencoder (inputs -> units
 * -> inputs, the hidden activation of the trial, identity output, mean squared error, the trial's updater) is
 * pretrained on the training inputs for {@code autoencoder_epochs} epochs, then its encoder becomes the first layer
 * of the trial's network, whose hidden layers and output follow as {@link NetworkBuilder} builds them for
 * {@code units} inputs. Frozen (DL4J's {@code FrozenLayer}: no updates, no regularization; {@link LayerInfos} reports
 * it as a frozen dense layer) unless {@code autoencoder_finetune}. The encoder is part of the network, so a saved
 * model applies it at predict time. Everything is seeded from the trial's seed: the same seed, data and parameters
 * give the same network.
 *
 * <p>The network trains on DL4J's standard path ({@link FastLayers#standard}, no direct updaters), like a fine-tuned
 * model; residual connections (a computation graph) are not supported with an autoencoder yet.
 */
public final class AutoencoderFrontEnd {

    private AutoencoderFrontEnd() {
    }

    /**
     * The trial's network with a pretrained encoder in front.
     *
     * @param trainX     the training inputs (rows x features, scaled) the autoencoder is pretrained on
     * @param numClasses output units (1 for a regression)
     * @throws IllegalArgumentException with residual or dense connections, or PReLU (not supported yet)
     */
    public static TrainableNetwork build(AutoencoderParameters ae, HyperParameters h, INDArray trainX, int numClasses,
                                         boolean regression, long seed) {
        if (!h.connections().equals(Architecture.PLAIN)) {
            throw new IllegalArgumentException("autoencoder_units with connections: " + h.connections()
                    + " is not supported yet (that network is a computation graph); use connections: plain with an "
                    + "autoencoder");
        }
        if (NetworkBuilder.isPrelu(h)) {
            throw new IllegalArgumentException("autoencoder_units with activation: prelu is not supported yet (the "
                    + "encoder would be linear); use another activation with an autoencoder");
        }
        int inputs = (int) trainX.columns();
        INDArray[] encoder = pretrain(ae, h, trainX, seed);
        MultiLayerConfiguration rest;
        try (TrainableNetwork hidden = regression ? NetworkBuilder.buildRegression(h, ae.units(), seed)
                : NetworkBuilder.build(h, ae.units(), numClasses, seed)) {
            rest = ((MultiLayerNetwork) hidden.dl4j()).getLayerWiseConfigurations().clone();
        }
        Layer first = encoderLayer(h, inputs, ae.units());
        NeuralNetConfiguration.ListBuilder list = NetworkBuilder.base(h, seed).list();
        list.layer(0, ae.finetune() ? first : new FrozenLayer(first));
        for (int i = 0; i < rest.getConfs().size(); i++) {
            list.layer(i + 1, FastLayers.standard(rest.getConf(i).getLayer()));
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        net.getParam("0_W").assign(encoder[0]);
        net.getParam("0_b").assign(encoder[1]);
        TrainableNetwork.Activations.free(encoder);
        return new MultiLayerTrainableNetwork(net, LayerInfos.of(net));
    }

    /**
     * Trains the autoencoder on {@code trainX} (seeded shuffles, the trial's batch size) and returns copies of its
     * encoder's weights and bias.
     */
    static INDArray[] pretrain(AutoencoderParameters ae, HyperParameters h, INDArray trainX, long seed) {
        int inputs = (int) trainX.columns();
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed ^ 0x2545F4914F6CDD1DL)
                .dataType(DataType.FLOAT)
                .updater(NetworkBuilder.updater(h))
                .weightInit(NetworkBuilder.weightInit(h.weightInit()))
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .list()
                .layer(0, encoderLayer(h, inputs, ae.units()))
                .layer(1, new OutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .nIn(ae.units()).nOut(inputs).build())
                .build();
        MultiLayerNetwork auto = new MultiLayerNetwork(conf);
        auto.init();
        try (MultiLayerTrainableNetwork closing = new MultiLayerTrainableNetwork(auto, LayerInfos.of(auto))) {
            int n = (int) trainX.rows();
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            SplittableRandom r = new SplittableRandom(seed ^ 0x6A09E667F3BCC909L);
            int batch = h.batchSize();
            for (int epoch = 0; epoch < ae.epochs(); epoch++) {
                for (int i = n - 1; i > 0; i--) {
                    int j = r.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
                for (int from = 0; from < n; from += batch) {
                    int size = Math.min(batch, n - from);
                    int[] rows = java.util.Arrays.copyOfRange(order, from, from + size);
                    INDArray x = Nd4j.pullRows(trainX, 1, rows);
                    auto.fit(x, x);
                    TrainableNetwork.Activations.free(x);
                }
                auto.incrementEpochCount();
            }
            return new INDArray[]{auto.getParam("0_W").dup(), auto.getParam("0_b").dup()};
        }
    }

    /** The encoder: a dense layer of the trial's hidden activation, no dropout. */
    private static DenseLayer encoderLayer(HyperParameters h, int inputs, int units) {
        return new DenseLayer.Builder().nIn(inputs).nOut(units).activation(NetworkBuilder.activation(h.activation()))
                .build();
    }
}
