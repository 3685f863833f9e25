package io.gradtune.driver.faults;

import io.gradtune.driver.testing.BrokerProcess;
import io.gradtune.worker.protocol.EpochMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker (its own JVM) is killed as the study's first record arrives and is back about ten seconds later,
 * within the default outage tolerance: no record is lost or duplicated, the study completes and exits 0, the outage
 * is logged and counted, and trials pause instead of training on, so their stop decision (plateau, at epoch 6) still
 * ends them within two epochs.
 */
class BrokerRestartFaultIT {

    static final int STOP_EPOCH = 6;

    @TempDir
    Path dir;

    @Test
    void aTenSecondBrokerOutageLosesNothingAndStopDecisionsStillLandWithinTwoEpochs() throws Exception {
        String study = "fault-restart";
        try (BrokerProcess broker = BrokerProcess.start(dir.resolve("broker"))) {
            // plateau: no improvement by more than 1.0 accuracy in 5 epochs, so every trial completes at epoch 6, decided
            // from its own records alone (ASHA off: its rung decisions wait for other trials, not for the broker).
            Path cfg = FaultRun.config(dir, study, broker.bootstrap(), 2, 30, "  outage_tolerance: 2m",
                    "{plateau: {patience: " + (STOP_EPOCH - 1) + ", min_delta: 1.0}, asha: false}");
            BrokerOutage outage = BrokerOutage.afterFirstRecord(broker, FaultRun.metricsLog(dir, study),
                    Duration.ofSeconds(10));
            FaultRun run = FaultRun.run(cfg, dir, study);
            outage.awaitEnd();
            List<FaultRun.Trial> hit = run.notDoneAt(outage.killedAtMillis());
            System.out.println(run.faultLine("broker-restart-10s", hit));

            assertEquals(0, run.exitCode, run.console);
            assertTrue(run.console.contains("kafka: brokers unreachable since"), run.console);
            assertTrue(run.console.contains("kafka: back after"), run.console);
            assertEquals(1, run.summary.path("kafka").path("outages").asInt(), run.summary.toString());
            assertTrue(run.summary.path("kafka").path("outageSeconds").asDouble() >= 9, run.summary.toString());
            assertEquals(0, run.summary.path("kafka").path("recordsLost").asLong());
            assertEquals(0, run.summary.path("kafka").path("eventSendFailures").asLong());
            assertEquals(0, run.duplicatedTrials());
            assertEquals(2, run.trials.size());
            assertTrue(hit.size() >= 1, "the outage hit a running trial");
            assertTrue(run.trials.values().stream().anyMatch(t -> t.state().equals("COMPLETED")), run.console);
            for (FaultRun.Trial t : run.trials.values()) {
                assertEquals("COMPLETED", t.state(), t.toString());
                int stop = FaultRun.stopEpoch(t);
                assertEquals(STOP_EPOCH, stop, "stopped by the plateau rule: " + t);
                assertTrue(run.intactCurve(t), t + ": epochs "
                        + run.finalAttempt(t.id()).stream().map(EpochMetrics::epoch).toList());
                assertTrue(run.lastEpochTrained(t.id()) <= stop + 2, t.id() + " trained to epoch "
                        + run.lastEpochTrained(t.id()) + " for a stop at epoch " + stop);
                // While the broker was away, the trial trained at most two epochs past its last acknowledged record
                // (and finished the one under way): it paused instead of training on.
                long during = run.finalAttempt(t.id()).stream().map(EpochMetrics::timestampMillis)
                        .filter(ts -> ts > outage.killedAtMillis() && ts < outage.backAtMillis()).count();
                assertTrue(during <= 3, t.id() + " made " + during + " epoch records while the broker was away");
            }
            assertTrue(hit.stream().anyMatch(t -> run.finalAttempt(t.id()).stream()
                    .anyMatch(m -> m.epoch() == FaultRun.stopEpoch(t) && m.timestampMillis() > outage.killedAtMillis())),
                    "a stop epoch's record was made after the broker went away, so its decision waited for the broker");
        }
    }
}
