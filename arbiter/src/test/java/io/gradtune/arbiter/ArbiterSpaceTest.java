package io.gradtune.arbiter;

import io.gradtune.api.DataShape;
import io.gradtune.api.NetworkConfig;
import io.gradtune.api.ParameterDeclaration;
import io.gradtune.api.Params;
import io.gradtune.arbiter.examples.ArbiterDigitsMlp;
import io.gradtune.worker.model.UserModelException;
import io.gradtune.worker.model.UserModels;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.deeplearning4j.arbiter.BaseNetworkSpace;
import org.deeplearning4j.arbiter.MultiLayerSpace;
import org.deeplearning4j.arbiter.conf.updater.AdamSpace;
import org.deeplearning4j.arbiter.layers.DenseLayerSpace;
import org.deeplearning4j.arbiter.layers.OutputLayerSpace;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArbiterSpaceTest {

    private static final DataShape DIGITS = new DataShape(64, 10);

    @Test
    void theLeavesBecomeNamedGradtuneParameters() {
        Map<String, ParameterDeclaration> searched = new LinkedHashMap<>();
        for (ParameterDeclaration d : new ArbiterDigitsMlp().parameters()) {
            if (d.type() != ParameterDeclaration.Type.FIXED) {
                searched.put(d.name(), d);
            }
        }
        assertEquals(List.of("l2", "learning_rate", "layer_0.activationFunction", "layer_0.nOut",
                "layer_0.numLayers"), List.copyOf(searched.keySet()));
        assertEquals(ParameterDeclaration.floatRange("learning_rate", 1e-4, 3e-2, true), searched.get("learning_rate"));
        assertEquals(ParameterDeclaration.floatRange("l2", 1e-6, 1e-2, true), searched.get("l2"));
        assertEquals(ParameterDeclaration.intRange("layer_0.nOut", 16, 128, false), searched.get("layer_0.nOut"));
        assertEquals(ParameterDeclaration.categorical("layer_0.activationFunction", List.of("RELU", "TANH",
                "LEAKYRELU")), searched.get("layer_0.activationFunction"));
        assertEquals(ParameterDeclaration.intRange("layer_0.numLayers", 1, 3, false),
                searched.get("layer_0.numLayers"));
        ParameterDeclaration beta1 = new ArbiterDigitsMlp().parameters().stream()
                .filter(d -> d.name().equals("updater.beta1")).findFirst().orElseThrow();
        assertEquals(ParameterDeclaration.fixed("updater.beta1", 0.9), beta1);
    }

    /**
     * Ints and choices come back exactly; floats exactly wherever Arbiter's inverse CDF reaches them, else within a
     * few ulps (ArbiterLeaf.FLOAT_TOLERANCE), and the network trains with exactly what the leaf gave.
     */
    @Test
    void everySampledAssignmentComesBackFromArbitersGetValue() {
        int exactFloats = 0;
        int floats = 0;
        ArbiterDigitsMlp model = new ArbiterDigitsMlp();
        List<ParameterDeclaration> declared = model.parameters();
        Random random = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            Map<String, Object> values = sample(declared, random, trial);
            double[] x = arbiterOf(model).encode(values);
            Map<String, Object> back = arbiterOf(model).decode(x);
            for (ParameterDeclaration d : declared) {
                if (d.type() == ParameterDeclaration.Type.FIXED) {
                    continue;
                }
                Object want = values.get(d.name());
                Object got = back.get(d.name());
                if (d.type() == ParameterDeclaration.Type.FLOAT) {
                    double w = ((Number) want).doubleValue();
                    double g = ((Number) got).doubleValue();
                    assertEquals(w, g, ArbiterLeaf.FLOAT_TOLERANCE * w, d.name() + " in " + values);
                    floats++;
                    exactFloats += w == g ? 1 : 0;
                } else if (want instanceof Number w) {
                    assertEquals(w.doubleValue(), ((Number) got).doubleValue(), 0.0, d.name() + " in " + values);
                } else {
                    assertEquals(want, got, d.name());
                }
            }
            MultiLayerConfiguration conf = multiLayer(model.build(Params.of(values), DIGITS, 100 + trial));
            int layers = ((Number) values.get("layer_0.numLayers")).intValue();
            assertEquals(layers + 1, conf.getConfs().size());
            for (int i = 0; i < layers; i++) {
                DenseLayer dense = (DenseLayer) conf.getConf(i).getLayer();
                assertEquals(((Number) values.get("layer_0.nOut")).longValue(), dense.getNOut());
                assertEquals(Activation.valueOf((String) values.get("layer_0.activationFunction")).getActivationFunction(),
                        dense.getActivationFn());
                Adam adam = (Adam) dense.getIUpdater();
                assertEquals((double) back.get("learning_rate"), adam.getLearningRate(), 0.0);
                assertEquals(0.9, adam.getBeta1(), 0.0);
                assertEquals(0.999, adam.getBeta2(), 0.0);
                assertEquals(1e-8, adam.getEpsilon(), 0.0);
            }
            for (NeuralNetConfiguration c : conf.getConfs()) {
                assertEquals(100 + trial, c.getSeed());
            }
            assertEquals(10, ((OutputLayer) conf.getConf(layers).getLayer()).getNOut());
        }
        System.out.println("floats exactly reproduced: " + exactFloats + " of " + floats);
        assertTrue(exactFloats > 0, "no float came back exactly");
    }

    @Test
    void theSameAssignmentAndSeedBuildTheSameNetworkAndTheSeedIsTheTrials() {
        ArbiterDigitsMlp model = new ArbiterDigitsMlp();
        Map<String, Object> values = sample(model.parameters(), new Random(1), 0);
        String a = multiLayer(model.build(Params.of(values), DIGITS, 5)).toJson();
        String b = multiLayer(new ArbiterDigitsMlp().build(Params.of(values), DIGITS, 5)).toJson();
        String c = multiLayer(model.build(Params.of(values), DIGITS, 6)).toJson();
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void aValueOutsideItsLeafIsAnErrorNamingTheParameter() {
        ArbiterDigitsMlp model = new ArbiterDigitsMlp();
        Map<String, Object> values = new LinkedHashMap<>(sample(model.parameters(), new Random(1), 0));
        values.put("layer_0.activationFunction", "SIGMOID");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.build(Params.of(values), DIGITS, 1));
        assertTrue(e.getMessage().contains("layer_0.activationFunction"), e.getMessage());
        values.put("layer_0.activationFunction", "RELU");
        values.put("learning_rate", 0.5);
        e = assertThrows(IllegalArgumentException.class, () -> model.build(Params.of(values), DIGITS, 1));
        assertTrue(e.getMessage().contains("learning_rate") && e.getMessage().contains("outside"), e.getMessage());
    }

    @Test
    void aDistributionGradtuneCannotSampleIsAnErrorNamingTheLeaf() {
        ArbiterModel model = new ArbiterModel() {
            @Override
            protected BaseNetworkSpace<?> space() {
                return new MultiLayerSpace.Builder()
                        .updater(new AdamSpace(new ContinuousParameterSpace(new NormalDistribution(0.01, 0.001)),
                                new FixedValue<>(0.9), new FixedValue<>(0.999), new FixedValue<>(1e-8)))
                        .addLayer(new OutputLayerSpace.Builder().nOut(10).activation(Activation.SOFTMAX)
                                .lossFunction(LossFunctions.LossFunction.MCXENT).build())
                        .setInputType(InputType.feedForward(64))
                        .build();
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, model::parameters);
        assertTrue(e.getMessage().contains("'updater.learningRate'") && e.getMessage().contains("NormalDistribution"),
                e.getMessage());
    }

    @Test
    void anOutputLayerOfTheWrongSizeIsAModelErrorNamingBothSizes() {
        ArbiterDigitsMlp model = new ArbiterDigitsMlp();
        Map<String, Object> values = sample(model.parameters(), new Random(1), 0);
        UserModelException e = assertThrows(UserModelException.class, () -> UserModels.build(
                ArbiterDigitsMlp.class.getName(), values, 64, 3, 1L));
        assertTrue(e.getMessage().contains("nOut=10") && e.getMessage().contains("3 classes")
                && e.getMessage().contains(ArbiterDigitsMlp.class.getName()), e.getMessage());
        e = assertThrows(UserModelException.class, () -> UserModels.build(
                ArbiterDigitsMlp.class.getName(), values, 30, 10, 1L));
        assertTrue(e.getMessage().contains("nIn=64") && e.getMessage().contains("30 features"), e.getMessage());
    }

    @Test
    void renamingALeafTheSpaceDoesNotHaveIsAnError() {
        ArbiterModel model = new ArbiterDigitsMlp() {
            @Override
            protected Map<String, String> names() {
                return Map.of("updater.learningrate", "lr");
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, model::parameters);
        assertTrue(e.getMessage().contains("updater.learningrate") && e.getMessage().contains("updater.learningRate"),
                e.getMessage());
    }

    @Test
    void booleanAndNumericChoicesKeepTheirType() {
        ArbiterModel model = new ArbiterModel() {
            @Override
            protected BaseNetworkSpace<?> space() {
                return new MultiLayerSpace.Builder()
                        .addLayer(new DenseLayerSpace.Builder().nOut(new DiscreteParameterSpace<>(8, 16, 32))
                                .hasBias(new org.deeplearning4j.arbiter.optimize.parameter.BooleanSpace()).build())
                        .addLayer(new OutputLayerSpace.Builder().nOut(10).activation(Activation.SOFTMAX)
                                .lossFunction(LossFunctions.LossFunction.MCXENT).build())
                        .setInputType(InputType.feedForward(64))
                        .build();
            }
        };
        Map<String, ParameterDeclaration> byName = new LinkedHashMap<>();
        model.parameters().forEach(d -> byName.put(d.name(), d));
        assertEquals(List.of(8, 16, 32), byName.get("layer_0.nOut").values());
        assertEquals(List.of(true, false), byName.get("layer_0.hasBias").values());
        MultiLayerConfiguration conf = multiLayer(model.build(Params.of(Map.of("layer_0.nOut", 16,
                "layer_0.hasBias", false)), DIGITS, 3));
        assertEquals(16, ((DenseLayer) conf.getConf(0).getLayer()).getNOut());
        assertEquals(false, ((DenseLayer) conf.getConf(0).getLayer()).hasBias());
    }

    /** A random assignment of the declared parameters; the first two trials take every range's ends. */
    static Map<String, Object> sample(List<ParameterDeclaration> declared, Random random, int trial) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (ParameterDeclaration d : declared) {
            double u = trial == 0 ? 0 : trial == 1 ? 1 : random.nextDouble();
            switch (d.type()) {
                case FLOAT -> out.put(d.name(), d.log()
                        ? Math.min(d.high(), Math.exp(Math.log(d.low()) + u * (Math.log(d.high()) - Math.log(d.low()))))
                        : d.low() + u * (d.high() - d.low()));
                case INT -> out.put(d.name(), (int) Math.min(d.high(), Math.floor(d.low() + u * (d.high() - d.low() + 1))));
                case CATEGORICAL -> out.put(d.name(), d.values().get(Math.min(d.values().size() - 1,
                        (int) (u * d.values().size()))));
                case FIXED -> out.put(d.name(), d.values().get(0));
            }
        }
        return out;
    }

    private static ArbiterSpace<?> arbiterOf(ArbiterModel model) {
        return model.arbiter();
    }

    private static MultiLayerConfiguration multiLayer(NetworkConfig config) {
        return ((NetworkConfig.MultiLayer) config).configuration();
    }
}
