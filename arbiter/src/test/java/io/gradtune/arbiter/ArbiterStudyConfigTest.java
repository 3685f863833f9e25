package io.gradtune.arbiter;

import io.gradtune.driver.cli.Gradtune;
import io.gradtune.driver.config.ConfigException;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.driver.space.CategoricalParameter;
import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.IntParameter;
import io.gradtune.driver.space.Parameter;
import io.gradtune.driver.testing.Cli;
import io.gradtune.arbiter.examples.ArbiterDigitsMlp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The driver's side: a config naming an Arbiter model gets the space's parameters as its search space. */
class ArbiterStudyConfigTest {

    @TempDir
    Path dir;

    private Path config(String model, String space, String training) throws Exception {
        Path digits = Path.of("../data/digits.csv").toAbsolutePath().normalize();
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, """
                study: arbiter-test
                data: {source: %s, label_column: label, split: {train: 0.6, validation: 0.2}, scaling: standard}
                model: {class: %s}
                search: {algorithm: random, max_trials: 2, seed: 3}
                %s
                training: {epochs: 2%s}
                """.formatted(digits, model, space, training));
        return f;
    }

    @Test
    void theSpacesParametersComeFirstThenTheConfigsOwn() throws Exception {
        StudyConfig c = StudyConfigLoader.load(config(ArbiterDigitsMlp.class.getName(), """
                space:
                  batch_size: {type: categorical, values: [32, 64]}
                  momentum_hint: {type: float, low: 0.1, high: 0.2, when: {layer_0.activationFunction: [RELU]}}""",
                ", custom_flag: 7"));
        List<String> searched = c.space().searched().stream().map(Parameter::name).toList();
        assertEquals(List.of("l2", "learning_rate", "layer_0.activationFunction", "layer_0.nOut", "layer_0.numLayers",
                "batch_size", "momentum_hint"), searched);
        assertEquals(new FloatParameter("learning_rate", 1e-4, 3e-2, true, null), c.space().get("learning_rate"));
        assertEquals(new IntParameter("layer_0.numLayers", 1, 3, false, null), c.space().get("layer_0.numLayers"));
        assertEquals(List.of("RELU", "TANH", "LEAKYRELU"),
                ((CategoricalParameter) c.space().get("layer_0.activationFunction")).choices());
        assertEquals("7", String.valueOf(c.space().get("custom_flag") instanceof io.gradtune.driver.space.FixedParameter f
                ? f.value() : null));
        assertEquals(ArbiterDigitsMlp.class.getName(), c.training().modelClass());
    }

    @Test
    void aConfigParameterWithADeclaredNameIsAnErrorNamingIt() throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> StudyConfigLoader.load(config(
                ArbiterDigitsMlp.class.getName(), "space:\n  learning_rate: {type: float, low: 0.001, high: 0.1}", "")));
        assertTrue(e.getMessage().contains("space.learning_rate") && e.getMessage().contains("declared by the model"),
                e.getMessage());
        e = assertThrows(ConfigException.class, () -> StudyConfigLoader.load(config(
                ArbiterDigitsMlp.class.getName(), "", ", l2: 0.001")));
        assertTrue(e.getMessage().contains("training.l2") && e.getMessage().contains("declared by the model"),
                e.getMessage());
    }

    @Test
    void theShippedArbiterConfigValidates() {
        Cli r = Cli.run("validate", "../configs/arbiter-digits.yaml");
        assertEquals(Gradtune.EXIT_OK, r.code(), r.err());
    }

    @Test
    void aClassThatIsNotAModelFactoryExitsWith2NamingIt() throws Exception {
        Cli r = Cli.run("validate", config("java.lang.String", "space:\n  batch_size: 32", "").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("model.class") && r.err().contains("java.lang.String")
                && r.err().contains("does not implement io.gradtune.api.ModelFactory"), r.err());
        r = Cli.run("validate", config("com.acme.Missing", "space:\n  batch_size: 32", "").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("com.acme.Missing") && r.err().contains("not found"), r.err());
    }

    @Test
    void aSpaceGradtuneCannotTranslateExitsWith2NamingTheLeaf() throws Exception {
        Cli r = Cli.run("validate", config(NormalLearningRate.class.getName(), "", "").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("model.class") && r.err().contains("updater.learningRate")
                && r.err().contains("NormalDistribution"), r.err());
    }

    /** A space with a normally distributed learning rate, which gradtune's samplers do not have. */
    public static class NormalLearningRate extends ArbiterModel {
        @Override
        protected org.deeplearning4j.arbiter.BaseNetworkSpace<?> space() {
            return new org.deeplearning4j.arbiter.MultiLayerSpace.Builder()
                    .updater(new org.deeplearning4j.arbiter.conf.updater.SgdSpace(
                            new org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace(
                                    new org.apache.commons.math3.distribution.NormalDistribution(0.01, 0.001))))
                    .addLayer(new org.deeplearning4j.arbiter.layers.OutputLayerSpace.Builder().nOut(10)
                            .activation(org.nd4j.linalg.activations.Activation.SOFTMAX)
                            .lossFunction(org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MCXENT).build())
                    .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.feedForward(64))
                    .build();
        }
    }
}
