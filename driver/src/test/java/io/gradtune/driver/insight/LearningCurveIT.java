package io.gradtune.driver.insight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradtune.driver.testing.Cli;
import io.gradtune.driver.testing.DigitsStudy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real small study on digits (Spark local[2], embedded Kafka, DL4J), then {@code learning-curve RUN_DIR} on it: three
 * fractions as Spark tasks, learning-curve.json with every epoch, the verdicts; and the study's feature importance in
 * study.json.
 */
class LearningCurveIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aFinishedStudysLearningCurveAndFeatureImportance() throws Exception {
        Path cfg = DigitsStudy.named("curve-it").trials(2).epochs(4).write(dir);
        Path runs = dir.resolve("runs");
        Cli run = Cli.run("run", cfg.toString(), "--output", runs.toString());
        assertEquals(0, run.code(), run.out() + run.err());
        Path runDir = runs.resolve("curve-it");

        // feature importance of the best trial's network, per pixel column of digits (64 features, not grouped)
        assertTrue(run.out().contains("feature importance: "), run.out());
        JsonNode fi = JSON.readTree(runDir.resolve("study.json").toFile()).path("feature_importance");
        assertEquals("val_accuracy", fi.path("metric").asText(), fi.toString());
        assertEquals(64, fi.path("values").size(), fi.toString());
        assertTrue(fi.path("baseline").asDouble() > 0.8, fi.toString());
        double previous = Double.POSITIVE_INFINITY;
        for (JsonNode v : fi.path("values")) {
            assertTrue(v.path("mean_drop").asDouble() <= previous, "largest drop first: " + fi);
            previous = v.path("mean_drop").asDouble();
        }
        assertTrue(fi.path("values").get(0).path("mean_drop").asDouble() > 0, fi.toString());
        assertTrue(Files.readString(runDir.resolve("report.html")).contains("\"featureImportance\""));

        Cli curve = Cli.run("learning-curve", runDir.toString(), "--fractions", "0.25,0.5,1.0", "--epochs", "3");
        assertEquals(0, curve.code(), curve.out() + curve.err());
        assertTrue(curve.out().contains("verdict: "), curve.out());
        JsonNode lc = JSON.readTree(runDir.resolve(LearningCurve.FILE).toFile());
        JsonNode fractions = lc.path("fractions");
        assertEquals(3, fractions.size(), lc.toString());
        int trainRows = lc.path("train_rows").asInt();
        assertEquals(trainRows, fractions.get(2).path("rows").asInt());
        assertTrue(fractions.get(0).path("rows").asInt() < fractions.get(1).path("rows").asInt());
        for (JsonNode f : fractions) {
            assertEquals(3, f.path("epochs").size(), f.toString());
            double best = f.path("best_val_accuracy").asDouble();
            assertTrue(best > 0.5 && best <= 1, f.toString());
            assertTrue(f.path("final_train_accuracy").asDouble() > 0, f.toString());
            assertTrue(f.path("epochs").get(2).path("valLoss").isNumber(), f.toString());
        }
        // 25 % of digits' 1,078 training rows already gives most of the accuracy
        assertTrue(List.of(CurveVerdict.MORE_DATA, CurveVerdict.FLAT).contains(lc.path("verdict").path("data").asText()));
        assertTrue(List.of(CurveVerdict.OVERFITTING, CurveVerdict.UNDERFITTING, CurveVerdict.GOOD_FIT)
                .contains(lc.path("verdict").path("fit").asText()), lc.toString());
        assertTrue(curve.out().contains(lc.path("verdict").path("data_text").asText()), curve.out());
    }
}
