package io.gradtune.arbiter;

import io.gradtune.api.DataShape;
import io.gradtune.api.NetworkConfig;
import io.gradtune.api.ParameterDeclaration;
import io.gradtune.api.Params;
import io.gradtune.worker.model.TrainableNetwork;
import io.gradtune.worker.model.UserModels;
import org.deeplearning4j.arbiter.BaseNetworkSpace;
import org.deeplearning4j.arbiter.ComputationGraphSpace;
import org.deeplearning4j.arbiter.conf.updater.AdamSpace;
import org.deeplearning4j.arbiter.layers.DenseLayerSpace;
import org.deeplearning4j.arbiter.layers.OutputLayerSpace;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A ComputationGraphSpace: its layers named by their names, and each trial a graph with the trial's seed. */
class ArbiterGraphSpaceTest {

    /** A two-layer graph space over digits. */
    public static class GraphDigits extends ArbiterModel {
        @Override
        protected BaseNetworkSpace<?> space() {
            return new ComputationGraphSpace.Builder()
                    .updater(new AdamSpace(new ContinuousParameterSpace(1e-3, 1e-2), new FixedValue<>(0.9),
                            new FixedValue<>(0.999), new FixedValue<>(1e-8)))
                    .addInputs("in")
                    .addLayer("hidden", new DenseLayerSpace.Builder().nOut(new IntegerParameterSpace(8, 32))
                            .activation(Activation.RELU, Activation.TANH).build(), "in")
                    .addLayer("out", new OutputLayerSpace.Builder().nOut(10).activation(Activation.SOFTMAX)
                            .lossFunction(LossFunctions.LossFunction.MCXENT).build(), "hidden")
                    .setOutputs("out")
                    .setInputTypes(InputType.feedForward(64))
                    .build();
        }
    }

    @Test
    void aGraphSpaceIsTranslatedAndBuildsTheTrialsGraph() {
        GraphDigits model = new GraphDigits();
        List<String> searched = model.parameters().stream()
                .filter(d -> d.type() != ParameterDeclaration.Type.FIXED).map(ParameterDeclaration::name).toList();
        assertEquals(List.of("updater.learningRate", "hidden.activationFunction", "hidden.nOut"), searched);
        Map<String, Object> values = Map.of("updater.learningRate", 0.005, "hidden.activationFunction", "TANH",
                "hidden.nOut", 20);
        ComputationGraphConfiguration conf = ((NetworkConfig.Graph) model.build(Params.of(values),
                new DataShape(64, 10), 42)).configuration();
        DenseLayer hidden = (DenseLayer) ((LayerVertex) conf.getVertices().get("hidden")).getLayerConf().getLayer();
        assertEquals(20, hidden.getNOut());
        assertEquals(Activation.TANH.getActivationFunction(), hidden.getActivationFn());
        assertEquals(0.005, ((Adam) hidden.getIUpdater()).getLearningRate(), 0.0);
        assertEquals(42, conf.getDefaultConfiguration().getSeed());
        assertEquals(42, ((LayerVertex) conf.getVertices().get("hidden")).getLayerConf().getSeed());
        try (TrainableNetwork net = UserModels.build(GraphDigits.class.getName(), values, 64, 10, 42)) {
            assertEquals(2, net.layers().size());
        }
    }
}
