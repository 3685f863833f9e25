package io.gradtune.worker.train;

import io.gradtune.worker.data.DataLoader;
import io.gradtune.worker.data.StratifiedSplit;
import io.gradtune.worker.protocol.DataSpec;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.protocol.TrialSpec;
import io.gradtune.worker.stopping.ClassPrior;
import io.gradtune.worker.stopping.Decision;
import io.gradtune.worker.stopping.DivergenceRule;
import io.gradtune.worker.stopping.ExplodingGradientsRule;
import io.gradtune.worker.stopping.PlateauRule;
import io.gradtune.worker.stopping.TrialStopping;
import io.gradtune.worker.stopping.VanishingGradientsRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real DL4J training of a regression trial with the study's per-trial rules and the regression prior (the MSE of
 * predicting the training mean): a healthy trial learns (R² well above 0) and no rule stops it; a divergent one (plain
 * SGD at a learning rate far too large) is still stopped by the divergence or exploding-gradient rule.
 */
class RegressionTrialTest {

    @TempDir
    Path dir;

    private DataSpec data() throws IOException {
        Random r = new Random(5);
        StringBuilder csv = new StringBuilder("a,b,c,y\n");
        for (int i = 0; i < 300; i++) {
            double a = r.nextDouble();
            double b = r.nextDouble();
            double c = r.nextDouble();
            csv.append(a).append(',').append(b).append(',').append(c).append(',')
                    .append(20 + 8 * a - 5 * b + 3 * Math.sin(3 * c) + 0.3 * r.nextGaussian()).append('\n');
        }
        Path f = Files.writeString(dir.resolve("reg.csv"), csv);
        return new DataSpec(f.toString(), "csv", "y", null, 0.6, 0.2, "standard", 0, null, null, null,
                DataSpec.REGRESSION);
    }

    private static TrialStopping rules(DataSpec data) {
        StratifiedSplit.Parts parts = DataLoader.parts(data);
        double mean = 0;
        for (float y : parts.train().targets()) {
            mean += y;
        }
        mean /= parts.train().rows();
        double se = 0;
        for (float y : parts.validation().targets()) {
            se += (y - mean) * (y - mean);
        }
        return new TrialStopping("val_r2", true, DivergenceRule.Settings.defaults(),
                ExplodingGradientsRule.Settings.defaults(), VanishingGradientsRule.Settings.defaults(),
                PlateauRule.Settings.defaults(), ClassPrior.regression(se / parts.validation().rows()));
    }

    private static TrialSpec spec(DataSpec data, Map<String, Object> params, int epochs) {
        return TrialSpec.of("s", "run-1", "t0001", params, epochs, 3, data, "unused:9092", "unused")
                .withStopping(rules(data).toSpec());
    }

    @Test
    void aHealthyRegressionTrialLearnsAndIsNotStopped() throws IOException {
        DataSpec data = data();
        TinyTrial.Recording publisher = new TinyTrial.Recording();
        TrialOutcome outcome = new TrialRunner(publisher).run(spec(data, Map.of("layers", 1, "units", 16,
                "learning_rate", 0.01, "optimizer", "adam", "batch_size", 16), 12), 0, () -> false);
        assertEquals(TrialOutcome.Status.COMPLETED, outcome.status(), outcome.error());
        assertEquals(12, outcome.epochsRun(), "no rule stopped it: " + rules(data).evaluate(publisher.records));
        EpochMetrics last = publisher.records.get(publisher.records.size() - 1);
        assertNotNull(last.valR2());
        assertTrue(last.valR2() > 0.8, "R² " + last.valR2());
        assertEquals(last.valR2(), outcome.valR2());
        assertEquals(last.valMae(), outcome.valMae());
        assertTrue(Double.isNaN(last.valAccuracy()));
        assertTrue(last.valLoss() < 0.2 * rules(data).prior().priorLoss(), "MSE " + last.valLoss() + " vs prior "
                + rules(data).prior().priorLoss());
        assertEquals("identity", last.layers().get(last.layers().size() - 1).activation());
        assertFalse(rules(data).prior().neverLeftChance(publisher.records));
    }

    @Test
    void aDivergentRegressionTrialIsStopped() throws IOException {
        DataSpec data = data();
        TinyTrial.Recording publisher = new TinyTrial.Recording();
        TrialOutcome outcome = new TrialRunner(publisher).run(spec(data, Map.of("layers", 2, "units", 32,
                "learning_rate", 5.0, "optimizer", "sgd", "batch_size", 16), 12), 0, () -> false);
        Decision d = rules(data).evaluate(publisher.records);
        assertEquals(Decision.Action.PRUNE, d.action(), "records: " + publisher.records.size());
        assertTrue(Set.of(DivergenceRule.NAME, ExplodingGradientsRule.NAME).contains(d.rule()), d.toString());
        assertTrue(outcome.epochsRun() < 12, "stopped at epoch " + outcome.epochsRun());
    }
}
