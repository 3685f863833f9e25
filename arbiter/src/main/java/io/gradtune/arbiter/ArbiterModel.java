package io.gradtune.arbiter;

import io.gradtune.api.DataShape;
import io.gradtune.api.DeclaresSpace;
import io.gradtune.api.ModelFactory;
import io.gradtune.api.NetworkConfig;
import io.gradtune.api.ParameterDeclaration;
import io.gradtune.api.Params;
import org.deeplearning4j.arbiter.BaseNetworkSpace;
import org.deeplearning4j.arbiter.ComputationGraphSpace;
import org.deeplearning4j.arbiter.DL4JConfiguration;
import org.deeplearning4j.arbiter.GraphConfiguration;
import org.deeplearning4j.arbiter.MultiLayerSpace;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

import java.util.List;
import java.util.Map;

/**
 * An Arbiter space as the model of a gradtune study. Subclass it, return your {@code MultiLayerSpace} (or
 * {@code ComputationGraphSpace}) from {@link #space()}, and name the subclass in the config
 * ({@code model: {class: com.acme.MySpace}}): the space's leaf parameter spaces become the study's parameters
 * ({@link DeclaresSpace}), gradtune's samplers search them, and every trial's network is the space's value for the
 * trial's parameters, with the trial's seed.
 *
 * <p>Parameter names are derived from where a leaf sits in the space (see {@code LeafNames}): e.g.
 * {@code updater.learningRate}, {@code l2}, {@code layer0.nOut}, {@code layer0.activationFunction},
 * {@code layer0.numLayers}; override {@link #names()} to give them your own. What is translated, and how each value
 * maps back to exactly the value Arbiter gives, is {@code ArbiterLeaf}'s. Arbiter's own search settings
 * ({@code numEpochs}, {@code earlyStoppingConfiguration}) are ignored: the study's config decides epochs and stopping.
 *
 * <p>The space comes only from this Java class: gradtune never reads Arbiter's JSON or YAML form of a space
 * (Jackson polymorphic typing by class name), from a config, Kafka or a run directory.
 *
 * <p>Like every {@link ModelFactory}, the subclass needs a public no-arg constructor. {@link #space()} is called once
 * per instance; the instance is then only read and serves concurrent trials.
 */
public abstract class ArbiterModel implements ModelFactory, DeclaresSpace {

    private ArbiterSpace<?> translated;

    /**
     * The Arbiter space: a {@code MultiLayerSpace} or a {@code ComputationGraphSpace}. Its output layer must have one
     * unit per class of the data with a softmax activation and MCXENT loss; its input should be declared with
     * {@code setInputType} (e.g. {@code InputType.feedForward(64)}) or an {@code nIn} equal to the data's features.
     * Seeds set on the space are replaced by each trial's seed.
     */
    protected abstract BaseNetworkSpace<?> space();

    /** Your names for the space's parameters, by derived name (e.g. {@code "updater.learningRate" -> "lr"}). */
    protected Map<String, String> names() {
        return Map.of();
    }

    @Override
    public final List<ParameterDeclaration> parameters() {
        return arbiter().declarations();
    }

    @Override
    public final NetworkConfig build(Params params, DataShape shape, long seed) {
        Object value = arbiter().valueOf(params.asMap());
        if (value instanceof DL4JConfiguration c) {
            MultiLayerConfiguration conf = c.getMultiLayerConfiguration();
            for (NeuralNetConfiguration layer : conf.getConfs()) {
                layer.setSeed(seed);
            }
            checkSizes(conf.getConf(0).getLayer(), conf.getConf(conf.getConfs().size() - 1).getLayer(), shape);
            return NetworkConfig.of(conf);
        }
        ComputationGraphConfiguration conf = ((GraphConfiguration) value).getConfiguration();
        conf.getDefaultConfiguration().setSeed(seed);
        Layer first = null;
        Layer last = null;
        for (Map.Entry<String, GraphVertex> v : conf.getVertices().entrySet()) {
            if (v.getValue() instanceof LayerVertex lv) {
                lv.getLayerConf().setSeed(seed);
                if (conf.getVertexInputs().getOrDefault(v.getKey(), List.of()).equals(conf.getNetworkInputs())) {
                    first = lv.getLayerConf().getLayer();
                }
                if (conf.getNetworkOutputs().contains(v.getKey())) {
                    last = lv.getLayerConf().getLayer();
                }
            }
        }
        checkSizes(first, last, shape);
        return NetworkConfig.of(conf);
    }

    /** The space translated, once per instance. */
    synchronized ArbiterSpace<?> arbiter() {
        if (translated == null) {
            BaseNetworkSpace<?> space = space();
            if (!(space instanceof MultiLayerSpace) && !(space instanceof ComputationGraphSpace)) {
                throw new IllegalArgumentException(getClass().getName() + ".space() returned "
                        + (space == null ? "null" : space.getClass().getName())
                        + "; return a MultiLayerSpace or a ComputationGraphSpace");
            }
            translated = ArbiterSpace.of(space, names());
        }
        return translated;
    }

    /** The space's first and last layer against the data, named plainly rather than as a shape error later. */
    private static void checkSizes(Layer first, Layer last, DataShape shape) {
        if (first instanceof FeedForwardLayer f && f.getNIn() > 0 && f.getNIn() != shape.numFeatures()) {
            throw new IllegalArgumentException("the Arbiter space's first layer takes nIn=" + f.getNIn()
                    + " values per row, the data has " + shape.numFeatures() + " features: use setInputType("
                    + "InputType.feedForward(" + shape.numFeatures() + ")) or nIn(" + shape.numFeatures() + ")");
        }
        if (last instanceof FeedForwardLayer f && f.getNOut() != shape.numClasses()) {
            throw new IllegalArgumentException("the Arbiter space's output layer has nOut=" + f.getNOut()
                    + ", the data has " + shape.numClasses() + " classes: give the OutputLayerSpace nOut("
                    + shape.numClasses() + ")");
        }
    }
}
