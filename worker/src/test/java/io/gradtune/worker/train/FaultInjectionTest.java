package io.gradtune.worker.train;

import io.gradtune.worker.protocol.DataSpec;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.protocol.TrialSpec;
import io.gradtune.worker.telemetry.MetricsPublisher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The test-only fault: chosen attempts fail inside the epoch loop after the chosen epoch; others train. */
class FaultInjectionTest {

    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        System.clearProperty(FaultInjection.PROPERTY);
    }

    private static final class Recording implements MetricsPublisher {
        final List<EpochMetrics> records = new ArrayList<>();

        @Override
        public void publish(EpochMetrics metrics) {
            records.add(metrics);
        }

        @Override
        public void flush() {
        }
    }

    private TrialSpec spec() throws Exception {
        Random r = new Random(1);
        StringBuilder csv = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 60; i++) {
            int label = i % 2;
            csv.append(r.nextGaussian() + 2 * label).append(',').append(r.nextGaussian()).append(',').append(label)
                    .append('\n');
        }
        Path data = dir.resolve("d.csv");
        Files.writeString(data, csv);
        return TrialSpec.of("s", "run-1", "t0001", Map.of("layers", 1, "units", 4), 3, 1,
                new DataSpec(data.toString(), "csv", "label", null, 0.6, 0.2, "standard", 0), "unused:9092", "unused");
    }

    @Test
    void theFirstAttemptFailsAfterItsSecondEpochAndTheSecondTrainsThrough() throws Exception {
        TrialSpec spec = spec();
        System.setProperty(FaultInjection.PROPERTY, FaultInjection.fault("t0001", 1, 2) + ",t0009=5@0");
        Recording first = new Recording();
        TrialOutcome o0 = new TrialRunner(first).run(spec, new TaskAttempt(0, "1", "h1", 0), () -> false);
        assertEquals(TrialOutcome.Status.FAILED, o0.status());
        assertEquals(2, o0.epochsRun());
        assertTrue(o0.error().contains("injected fault: t0001 attempt 0 after epoch 2"), o0.error());
        assertEquals(List.of(1, 2), first.records.stream().map(EpochMetrics::epoch).toList());

        Recording second = new Recording();
        TrialOutcome o1 = new TrialRunner(second).run(spec, new TaskAttempt(1, "2", "h2", 0), () -> false);
        assertEquals(TrialOutcome.Status.COMPLETED, o1.status(), o1.error());
        assertEquals(3, second.records.size());
        assertTrue(second.records.stream().allMatch(m -> m.attempt() == 1 && m.executorId().equals("2")
                && m.host().equals("h2")), second.records.toString());
        assertTrue(first.records.stream().allMatch(m -> m.runId().equals("run-1"))
                && second.records.stream().allMatch(m -> m.runId().equals("run-1")), "the spec's run id in every record");
    }

    @Test
    void withoutThePropertyNothingIsInjected() throws Exception {
        Recording r = new Recording();
        TrialOutcome o = new TrialRunner(r).run(spec(), 0, () -> false);
        assertEquals(TrialOutcome.Status.COMPLETED, o.status(), o.error());
        assertEquals(3, r.records.size());
    }
}
