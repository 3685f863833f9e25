package io.gradtune.worker.model;

import io.gradtune.api.DataShape;
import io.gradtune.api.ModelFactory;
import io.gradtune.api.NetworkConfig;
import io.gradtune.api.Params;
import io.gradtune.worker.userclass.UserClasses;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Loads a user's {@link ModelFactory} by class name and builds a trial's network with it. The class name comes from
 * the study's config or the Java builder only, through the {@code TrialSpec} the driver hands Spark; never from a
 * Kafka record or a run directory.
 *
 * <p>Every built network is checked against the data once, with a forward pass of two zero rows: it must take
 * {@code numFeatures} values per row and give {@code numClasses} softmax outputs, so a mismatch is a clear error
 * naming both sizes instead of a shape error deep inside the first mini-batch.
 */
public final class UserModels {

    private UserModels() {
    }

    /** An instance of the named factory, from the thread's context class loader (Spark's, with {@code --jars}). */
    public static ModelFactory load(String className) {
        return UserClasses.instantiate(className, ModelFactory.class,
                "put its jar on the classpath (on a cluster: --jars) or check the name in model.class",
                "a model class builds a network from a trial's parameters (see README, 'Your own model')", UserModelException::new);
    }

    /** The trial's network from the named factory, initialised and checked against the data's shape. */
    public static TrainableNetwork build(String className, Map<String, ?> params, int numFeatures, int numClasses,
                                         long seed) {
        return build(className, load(className), params, numFeatures, numClasses, seed);
    }

    static TrainableNetwork build(String className, ModelFactory factory, Map<String, ?> params, int numFeatures,
                                  int numClasses, long seed) {
        NetworkConfig config;
        try {
            config = factory.build(Params.of(params), new DataShape(numFeatures, numClasses), seed);
        } catch (RuntimeException | LinkageError e) {
            throw new UserModelException(className, "threw while building the network for " + params + ": " + e, e);
        }
        if (config == null) {
            throw new UserModelException(className, "returned no network configuration for " + params, null);
        }
        TrainableNetwork net;
        try {
            if (config instanceof NetworkConfig.MultiLayer m) {
                MultiLayerNetwork n = new MultiLayerNetwork(m.configuration());
                n.init();
                net = new MultiLayerTrainableNetwork(n, LayerInfos.of(n));
            } else {
                NetworkConfig.Graph g = (NetworkConfig.Graph) config;
                List<String> in = g.configuration().getNetworkInputs();
                List<String> out = g.configuration().getNetworkOutputs();
                if (in.size() != 1 || out.size() != 1) {
                    throw new UserModelException(className, "the graph has inputs " + in + " and outputs " + out
                            + "; gradtune trains graphs with one input and one output", null);
                }
                ComputationGraph n = new ComputationGraph(g.configuration());
                n.init();
                net = new GraphTrainableNetwork(n, LayerInfos.of(n));
            }
        } catch (UserModelException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UserModelException(className, "DL4J cannot build its network: " + e.getMessage(), e);
        }
        try {
            checkShape(className, net, numFeatures, numClasses);
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
        return net;
    }

    /** A forward pass of two zero rows: the network takes the data's rows and gives one softmax output per class. */
    private static void checkShape(String className, TrainableNetwork net, int numFeatures, int numClasses) {
        TrainableNetwork.LayerInfo output = net.layers().get(net.layers().size() - 1);
        if (!output.activation().equals("softmax")) {
            throw new UserModelException(className, "its output layer's activation is " + output.activation()
                    + "; gradtune scores classes on a softmax output (use Activation.SOFTMAX with LossMCXENT)", null);
        }
        INDArray probe = Nd4j.zeros(DataType.FLOAT, 2, numFeatures);
        INDArray out;
        try (TrainableNetwork.Activations pass = net.inferencePass(probe)) {
            out = pass.byKey().get(output.key());
            long[] shape = out.shape();
            if (shape.length != 2 || shape[1] != numClasses) {
                throw new UserModelException(className, "its output has shape " + Arrays.toString(shape)
                        + " for 2 rows, the data has " + numClasses + " classes: give the output layer nOut("
                        + numClasses + ") (DataShape.numClasses())", null);
            }
        } catch (UserModelException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UserModelException(className, "its network does not take rows of " + numFeatures
                    + " features (the data's; images arrive flat: use InputType.convolutionalFlat(h, w, c) with h*w*c = "
                    + numFeatures + "): " + e.getMessage(), e);
        } finally {
            probe.close();
        }
    }
}
