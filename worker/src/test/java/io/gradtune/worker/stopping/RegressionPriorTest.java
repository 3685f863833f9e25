package io.gradtune.worker.stopping;

import io.gradtune.worker.protocol.DataSpec;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.ProtocolCodec;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.protocol.TrialSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The regression prior, the regression objectives and the records' optional regression fields on the wire. */
class RegressionPriorTest {

    private static EpochMetrics record(int epoch, double trainLoss, double mse, Double mae, Double r2) {
        EpochMetrics m = EpochMetrics.of("s", "r-1", "t0001", 0, "e1", "h", epoch, trainLoss, mse, Double.NaN, 0.01,
                10, 0, List.of());
        return mae == null ? m : m.withRegression(mae, r2);
    }

    @Test
    void theChanceBandIsOnR2AndTheUninformedLossIsThePriorMse() {
        ClassPrior prior = ClassPrior.regression(26.0);
        assertEquals(26.0, prior.uninformedLoss());
        assertEquals(ClassPrior.CHANCE_MARGIN, prior.band(), 1e-12);
        assertEquals("val_r2", prior.scoreName());
        assertTrue(prior.neverLeftChance(List.of(record(1, 26, 25.5, 4.0, 0.02), record(2, 26, 24.0, 3.9, 0.08))));
        assertFalse(prior.neverLeftChance(List.of(record(1, 26, 25.5, 4.0, 0.02), record(2, 10, 8.0, 2.0, 0.7))));
        assertEquals(0.7, prior.bestScore(List.of(record(1, 1, 1, 1.0, 0.7), record(2, 1, 1, 1.0, Double.NaN))));
        assertThrows(InvalidSettingException.class, () -> new ClassPrior(2, 1.0, 0, true));
    }

    @Test
    void theRegressionObjectivesReadTheirFields() {
        EpochMetrics m = record(1, 2.0, 1.5, 0.9, 0.8);
        assertEquals(1.5, Objective.valueOf("val_mse", m));
        assertEquals(1.5, Objective.valueOf("val_loss", m));
        assertEquals(0.9, Objective.valueOf("val_mae", m));
        assertEquals(0.8, Objective.valueOf("val_r2", m));
        assertTrue(Double.isNaN(Objective.valueOf("val_r2", record(1, 2.0, 1.5, null, null))),
                "a classification's record has no R²");
    }

    /** Within schema 3: a regression's records add valMae and valR2; a classification's and older ones have none. */
    @Test
    void theOptionalFieldsTravelAndRecordsWithoutThemStillDecode() {
        EpochMetrics reg = record(1, 2.0, 1.5, 0.9, 0.8);
        String json = ProtocolCodec.encode(reg);
        assertEquals(reg, ProtocolCodec.decodeEpochMetrics(json).value());
        EpochMetrics cls = record(1, 2.0, 1.5, null, null);
        String plain = ProtocolCodec.encode(cls);
        assertFalse(plain.contains("valR2") || plain.contains("valMae"), plain);
        EpochMetrics back = ProtocolCodec.decodeEpochMetrics(plain).value();
        assertNull(back.valR2());
        assertEquals(cls, back);
        EpochMetrics nan = record(1, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        assertTrue(Double.isNaN(ProtocolCodec.decodeEpochMetrics(ProtocolCodec.encode(nan)).value().valR2()));

        TrialOutcome o = TrialOutcome.of("s", "t1", 0, TrialOutcome.Status.COMPLETED, 3, 1, 2, Double.NaN, 10, 1.0, null)
                .withRegression(0.5, 0.9);
        assertEquals(o, ProtocolCodec.decodeTrialOutcome(ProtocolCodec.encode(o)).value());
        TrialOutcome c = TrialOutcome.of("s", "t1", 0, TrialOutcome.Status.COMPLETED, 3, 1, 2, 0.5, 10, 1.0, null);
        assertNull(ProtocolCodec.decodeTrialOutcome(ProtocolCodec.encode(c)).value().valR2());
    }

    @Test
    void theRegressionPriorAndTaskTravelInTheSpec() {
        DataSpec data = new DataSpec("/d.csv", "csv", "y", null, 0.6, 0.2, "standard", 0, null, null, null,
                DataSpec.REGRESSION);
        TrialStopping rules = new TrialStopping("val_mse", false, DivergenceRule.Settings.defaults(), null, null, null,
                ClassPrior.regression(3.5));
        TrialSpec spec = TrialSpec.of("s", "r-1", "t0001", Map.of("layers", 1), 5, 1, data, "b:9092", "m")
                .withStopping(rules.toSpec());
        TrialSpec back = ProtocolCodec.decodeTrialSpec(ProtocolCodec.encode(spec)).value();
        assertTrue(back.data().regression());
        assertEquals(rules, TrialStopping.fromSpec(back.stopping()));
        assertFalse(new DataSpec("/d.csv", "csv", "y", null, 0.6, 0.2, "standard", 0).regression());
        assertThrows(IllegalArgumentException.class, () -> data.withTask("ordinal"));
    }
}
