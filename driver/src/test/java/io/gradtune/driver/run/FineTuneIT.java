package io.gradtune.driver.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.driver.refit.SavedModel;
import io.gradtune.driver.search.RandomSampler;
import io.gradtune.driver.study.TrialResult;
import io.gradtune.driver.study.TrialState;
import io.gradtune.worker.data.DataLoader;
import io.gradtune.worker.model.HyperParameters;
import io.gradtune.worker.model.PortableModel;
import io.gradtune.worker.model.TrainableNetwork;
import io.gradtune.worker.protocol.DataSpec;
import io.gradtune.worker.train.TrialRunner;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fine-tuning study for real: Spark local[2], the embedded Kafka broker, DL4J training. A network trained briefly on
 * digits is saved; a study with {@code model.init_from} and {@code freeze_layers: 1} tunes the learning rate from it.
 * Every epoch record streams statistics of all three weight layers, the frozen one with a zero update ratio and
 * the others with positive ones; the executors restore the model from the bytes the driver broadcast; the refit
 * starts from the saved model too and writes a reloadable best-model.zip.
 */
class FineTuneIT {

    @TempDir
    Path dir;

    @Test
    void aFineTuningStudyStreamsEveryLayerAndItsFrozenLayerShowsNoUpdate() throws Exception {
        Path digits = Path.of("..", "data", "digits.csv").toAbsolutePath().normalize();
        Map<String, Object> p = Map.of("layers", 2, "units", 32);
        try (TrainableNetwork net = TrialRunner.train(null, p, HyperParameters.from(p), DataLoader.prepared(
                new DataSpec(digits.toString(), "csv", "label", null, 0.6, 0.2, "standard", 0), "standard"), 3, 1,
                null, () -> false)) {
            ModelSerializer.writeModel(PortableModel.of(net), dir.resolve("pretrained.zip").toFile(), false);
        }
        Path cfg = dir.resolve("finetune.yaml");
        Files.writeString(cfg, """
                study: it-finetune
                model: {init_from: pretrained.zip, freeze_layers: 1}
                data: {source: '%s', label_column: label, split: {train: 0.6, validation: 0.2}}
                search: {algorithm: random, max_trials: 2, seed: 3}
                space:
                  learning_rate: {type: float, low: 1.0e-3, high: 1.0e-2, log: true}
                training: {epochs: 2, batch_size: 64}
                early_stopping: none
                spark: {master: "local[2]"}
                """.formatted(digits));
        StudyConfig config = StudyConfigLoader.load(cfg).withOutputDir(dir.resolve("runs"));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        StudyRunner.Outcome outcome = new StudyRunner(config, new RandomSampler(config.space(), 3),
                new PrintStream(console, true)).withData(Preflight.beforeRun(config)).run();
        String log = console.toString();
        assertNull(outcome.failure(), log);
        assertEquals(2, outcome.results().size(), log);
        for (TrialResult r : outcome.results()) {
            assertEquals(TrialState.COMPLETED, r.state(), log);
            assertTrue(r.valAccuracy() > 0.5, "ten digit classes, from a pretrained network: " + r);
        }
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(outcome.runDir().resolve("metrics.jsonl"));
        assertEquals(4, lines.size(), log);
        for (String line : lines) {
            JsonNode r = json.readTree(line);
            List<String> kinds = new ArrayList<>();
            for (JsonNode layer : r.path("layers")) {
                kinds.add(layer.path("kind").asText());
                assertTrue(layer.path("weightL2").asDouble() > 0, layer.toString());
            }
            assertEquals(List.of("dense", "dense", "output"), kinds, line);
            JsonNode frozen = r.path("layers").get(0);
            assertTrue(frozen.path("frozen").asBoolean(), "marked frozen: " + frozen);
            assertTrue(r.path("layers").get(1).path("frozen").isMissingNode(), "a trained layer has no flag");
            assertTrue(frozen.path("updateRatio").isNumber() && frozen.path("updateRatio").asDouble() == 0.0,
                    "frozen layer: zero update, not NaN: " + frozen);
            for (int i = 1; i < 3; i++) {
                assertTrue(r.path("layers").get(i).path("updateRatio").asDouble() > 0, r.path("layers").get(i).toString());
            }
        }
        byte[] model = Files.readAllBytes(dir.resolve("pretrained.zip"));
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(model));
        try (var copies = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            List<Path> local = copies.filter(f -> f.getFileName().toString().startsWith("gradtune-init-"
                    + sha.substring(0, 12))).toList();
            assertTrue(!local.isEmpty(), "the executor (this JVM in local mode) wrote the broadcast model");
            for (Path f : local) {
                assertTrue(java.util.Arrays.equals(model, Files.readAllBytes(f)), f.toString());
            }
        }
        String leaderboard = Files.readString(outcome.runDir().resolve("leaderboard.txt"));
        assertTrue(!leaderboard.contains("VANISHING_GRADIENT"), "a frozen layer is not a vanished gradient:\n"
                + leaderboard);
        Path best = outcome.runDir().resolve("best-model.zip");
        assertTrue(Files.isRegularFile(best), log);
        assertEquals(64, SavedModel.load(best).numInputs());
    }
}
