package io.gradtune.driver.run;

import io.gradtune.driver.cli.Gradtune;
import io.gradtune.driver.testing.Cli;
import io.gradtune.worker.model.HyperParameters;
import io.gradtune.worker.model.Networks;
import io.gradtune.worker.model.PortableModel;
import io.gradtune.worker.model.TrainableNetwork;
import io.gradtune.worker.train.WorkerRuntime;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fine-tuning's bad input stops {@code validate} with exit 2 before anything starts, naming the field, the file and
 * what is wrong; a good saved model validates against the data.
 */
class FineTunePreflightTest {

    @TempDir
    static Path dir;

    /** A two-hidden-layer network for digits' 64 pixels and 10 classes, saved as DL4J model zips. */
    @BeforeAll
    static void models() throws IOException {
        WorkerRuntime.ensureInitialized();
        Map<String, Object> p = Map.of("layers", 2, "units", 8);
        try (TrainableNetwork net = Networks.build(null, p, HyperParameters.from(p), 64, 10, 1)) {
            ModelSerializer.writeModel(PortableModel.of(net), dir.resolve("m64.zip").toFile(), false);
        }
        try (TrainableNetwork net = Networks.build(null, p, HyperParameters.from(p), 30, 10, 1)) {
            ModelSerializer.writeModel(PortableModel.of(net), dir.resolve("m30.zip").toFile(), false);
        }
        Files.writeString(dir.resolve("not-a-model.zip"), "just text");
        MultiLayerNetwork regression = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().nIn(64).nOut(4).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .build());
        regression.init();
        ModelSerializer.writeModel(regression, dir.resolve("identity.zip").toFile(), false);
    }

    private static Cli validate(String model, String space) throws IOException {
        Path cfg = dir.resolve("f" + Math.abs((model + space).hashCode()) + ".yaml");
        Files.writeString(cfg, """
                study: f
                model: %s
                data: {source: '%s', label_column: label}
                search: {algorithm: random, max_trials: 2}
                space: %s
                training: {epochs: 1, batch_size: 32}
                output: {dir: '%s'}
                """.formatted(model, Path.of("..", "data", "digits.csv").toAbsolutePath().normalize(), space,
                dir.resolve("runs")));
        return Cli.run("validate", cfg.toString());
    }

    private static final String LR = "{learning_rate: {type: float, low: 1.0e-4, high: 1.0e-2, log: true}}";

    @Test
    void aSavedModelOfTheDataValidates() throws IOException {
        Cli r = validate("{init_from: m64.zip, freeze_layers: 2}", LR);
        assertEquals(Gradtune.EXIT_OK, r.code(), r.err());
        assertTrue(r.out().contains("model: fine-tuning " + dir.resolve("m64.zip") + ", first 2 weight layer(s) frozen"),
                r.out());
    }

    /**
     * The shipped {@code configs/digits-finetune.yaml} validates once step 1 has written its init model: the config
     * and its data copied into a tree of the repository's layout, with a 64-input, 5-class model at
     * {@code runs/digits-0-4/best-model.zip}. (ShippedConfigsTest cannot: the model is made by a study.)
     */
    @Test
    void theShippedFineTuningExampleValidatesOnceItsInitModelExists() throws IOException {
        Path repo = dir.resolve("repo");
        Files.createDirectories(repo.resolve("configs"));
        Files.createDirectories(repo.resolve("data"));
        Files.createDirectories(repo.resolve("runs/digits-0-4"));
        Files.copy(Path.of("..", "configs", "digits-finetune.yaml"), repo.resolve("configs/digits-finetune.yaml"));
        Files.copy(Path.of("..", "data", "digits-5-9.csv"), repo.resolve("data/digits-5-9.csv"));
        Map<String, Object> p = Map.of("layers", 2, "units", 16);
        try (TrainableNetwork net = Networks.build(null, p, HyperParameters.from(p), 64, 5, 1)) {
            ModelSerializer.writeModel(PortableModel.of(net), repo.resolve("runs/digits-0-4/best-model.zip").toFile(),
                    false);
        }
        Cli r = Cli.run("validate", repo.resolve("configs/digits-finetune.yaml").toString());
        assertEquals(Gradtune.EXIT_OK, r.code(), r.err());
        assertTrue(r.out().contains("model: fine-tuning") && r.out().contains("5 classes"), r.out());
        Files.delete(repo.resolve("runs/digits-0-4/best-model.zip"));
        expect(Cli.run("validate", repo.resolve("configs/digits-finetune.yaml").toString()), "model.init_from",
                "model file not found");
    }

    @Test
    void badFineTuningSettingsAreConfigErrors() throws IOException {
        expect(validate("{init_from: missing.zip}", LR), "model.init_from", "model file not found");
        expect(validate("{init_from: not-a-model.zip}", LR), "model.init_from", "not a DL4J model zip");
        expect(validate("{init_from: identity.zip}", LR), "model.init_from",
                "its output layer's activation is identity; gradtune fine-tunes classifiers with a softmax output");
        expect(validate("{init_from: m64.zip, freeze_layers: 3}", LR), "model.freeze_layers",
                "has 3 weight layers (the last is its output layer, which always trains): freeze 0 to 2");
        expect(validate("{init_from: m64.zip, freeze_layers: -1}", LR), "model.freeze_layers", "");
        expect(validate("{init_from: m30.zip}", LR), "model.init_from",
                "the saved model takes 30 input features, the data");
        expect(validate("{init_from: m30.zip}", LR), "model.init_from", "has 64");
        expect(validate("{init_from: m64.zip, class: com.acme.Net}", LR), "model.init_from",
                "model.class and model.init_from exclude each other");
        expect(validate("{init_from: m64.zip}", "{units: {type: int, low: 8, high: 16}}"), "units",
                "does not apply when fine-tuning");
    }

    private static void expect(Cli r, String field, String reason) {
        assertEquals(Gradtune.EXIT_USAGE, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(field) && r.err().contains(reason), r.err());
    }

    /** Data-parallel trials do not fine-tune: exit 2 naming training.workers, before anything starts. */
    @Test
    void dataParallelTrialsCannotFineTune() throws IOException {
        Path cfg = dir.resolve("dp-finetune.yaml");
        Files.writeString(cfg, """
                study: f
                model: {init_from: m64.zip, freeze_layers: 1}
                data: {source: '%s', label_column: label}
                search: {algorithm: random, max_trials: 2}
                space: %s
                training: {epochs: 1, batch_size: 32, workers: 2}
                spark: {master: "local[2]"}
                """.formatted(Path.of("..", "data", "digits.csv").toAbsolutePath().normalize(), LR));
        expect(Cli.run("validate", cfg.toString()), "training.workers", "cannot fine-tune");
    }
}
