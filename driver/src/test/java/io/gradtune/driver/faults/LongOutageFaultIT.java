package io.gradtune.driver.faults;

import io.gradtune.driver.testing.BrokerProcess;
import io.gradtune.worker.protocol.EpochMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker (its own JVM) is away for 20 s while the study tolerates 8 s: the running trials' records expire, so
 * their attempts fail and are retried, or the trials end FAILED with the loss as their cause; none is reported
 * COMPLETED with a short or fabricated curve; study.json reports the outage, the lost records and the event sends
 * that failed; the study exits 1.
 */
class LongOutageFaultIT {

    @TempDir
    Path dir;

    @Test
    void anOutageLongerThanTheToleranceFailsTheAffectedAttemptsAndTheStudyButFabricatesNothing() throws Exception {
        String study = "fault-long";
        try (BrokerProcess broker = BrokerProcess.start(dir.resolve("broker"))) {
            Path cfg = FaultRun.config(dir, study, broker.bootstrap(), 2, 30, "  outage_tolerance: 8s", "none");
            BrokerOutage outage = BrokerOutage.afterFirstRecord(broker, FaultRun.metricsLog(dir, study),
                    Duration.ofSeconds(20));
            FaultRun run = FaultRun.run(cfg, dir, study);
            outage.awaitEnd();
            List<FaultRun.Trial> hit = run.notDoneAt(outage.killedAtMillis());
            System.out.println(run.faultLine("broker-away-past-tolerance", hit));

            assertEquals(1, run.exitCode, run.console);
            assertEquals("failed", run.summary.path("status").asText(), run.summary.toString());
            assertTrue(run.summary.path("failure").asText().contains("longer than kafka.outage_tolerance")
                    || run.summary.path("failure").asText().contains("never arrived"), run.summary.toString());
            assertTrue(run.console.contains("kafka: brokers unreachable since"), run.console);
            assertTrue(run.summary.path("kafka").path("longestOutageSeconds").asDouble() > 8, run.summary.toString());
            assertEquals(0, run.duplicatedTrials());
            assertFalse(hit.isEmpty(), "the outage hit a running trial");
            for (FaultRun.Trial t : run.trials.values()) {
                if (t.state().equals("FAILED")) {
                    assertTrue(t.error().contains("never reached Kafka") || t.error().contains("epoch records arrived"),
                            t.toString());
                } else {
                    // Survived through a retry that ran once the broker was back: its own curve, whole.
                    assertTrue(run.intactCurve(t), t + ": epochs "
                            + run.finalAttempt(t.id()).stream().map(EpochMetrics::epoch).toList());
                    assertEquals(30, t.epochs(), t.toString());
                }
            }
            assertTrue(run.trials.values().stream().anyMatch(t -> t.state().equals("FAILED")
                    || run.finalAttempt(t.id()).stream().anyMatch(m -> m.attempt() > 0)),
                    "some attempt failed for the outage");
        }
    }
}
