package io.gradtune.driver.study;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.rank.Leaderboard;
import io.gradtune.driver.stopping.StoppingSettings;
import io.gradtune.driver.stopping.TestCurves;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.stopping.Decision;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link Study#onEpoch} lets through: only records of its own run, of trials and attempts it launched, in epoch
 * order per attempt. Each rejected record is counted by reason and changes nothing, and every accepted record is
 * handed on once (that is what {@code metrics.jsonl} holds).
 */
class StudyRecordsTest {

    private static final String RUN = "run-a";
    private static final int EPOCHS = 4;

    private static StudyConfig config() {
        return new StudyConfig(null, "s", new StudyConfig.Objective("val_accuracy", true), null, null, null,
                new StudyConfig.Training(EPOCHS, Map.of()), StoppingSettings.none(), null,
                new StudyConfig.Spark("local[2]", Map.of(), 2), null);
    }

    /** Keeps what the study handed on: the accepted records, in order. */
    private static final class Accepted implements Study.Listener {
        final List<EpochMetrics> records = new ArrayList<>();
        final List<String> raw = new ArrayList<>();

        @Override
        public void stopRequested(String trialId, Decision decision) {
        }

        @Override
        public void event(String trialId, String event, Map<String, ?> fields) {
        }

        @Override
        public synchronized void recordAccepted(EpochMetrics m, String rawJson) {
            records.add(m);
            raw.add(rawJson);
        }
    }

    private static EpochMetrics record(String run, String trial, int attempt, int epoch, double accuracy) {
        return EpochMetrics.of("s", run, trial, attempt, "driver", "localhost", epoch, 1.0, 1.0, accuracy, 1e-3, 10, 0,
                TestCurves.healthyLayers(2));
    }

    private static EpochMetrics record(String trial, int attempt, int epoch, double accuracy) {
        return record(RUN, trial, attempt, epoch, accuracy);
    }

    private static TrialOutcome completed(String trial, int attempt, int epochs) {
        return TrialOutcome.of("s", trial, attempt, TrialOutcome.Status.COMPLETED, epochs, 1, 1, 0.5, 10, 1, null);
    }

    /** A trial created, running and with its first attempt started, as StudyRunner and Spark's listener make it. */
    private static String started(Study study) {
        String id = study.create(Map.of("x", study.size() + 1));
        study.markRunning(id);
        study.attemptStarted(id, 0);
        return id;
    }

    /** Finding: two runs with the same study name on one topic credited each other's curves to their parameters. */
    @Test
    void anotherRunOfTheSameStudyNameCreditsNothingToThisRun() throws InterruptedException {
        Accepted out = new Accepted();
        Study study = new Study(config(), RUN, out);
        String a = started(study);
        assertEquals(Study.Received.OTHER_RUN, study.onEpoch(record("run-b", a, 0, 1, 0.999)));
        assertEquals(Study.Received.ACCEPTED, study.onEpoch(record(a, 0, 1, 0.61)));
        assertEquals(Study.Received.OTHER_RUN, study.onEpoch(record("run-b", a, 0, 2, 0.999)));
        assertEquals(Study.Received.ACCEPTED, study.onEpoch(record(a, 0, 2, 0.62)));
        TrialResult r = study.finish(a, completed(a, 0, 2), null, 1000);
        assertEquals(0.62, r.objective());
        assertEquals(2, r.epochs());
        assertEquals(2, study.recordCounts().otherRun());
        assertTrue(out.records.stream().allMatch(m -> m.runId().equals(RUN)), out.records.toString());
    }

    /** Finding: one record with a higher attempt number put a fabricated 0.999 at rank 1. */
    @Test
    void aRecordOfAnAttemptSparkNeverStartedNeverReachesTheLeaderboard() throws InterruptedException {
        Accepted out = new Accepted();
        Study study = new Study(config(), RUN, out);
        String a = started(study);
        study.onEpoch(record(a, 0, 1, 0.61));
        assertEquals(Study.Received.UNLAUNCHED_ATTEMPT, study.onEpoch(record(a, 2, 1, 0.999)),
                "attempt 2 of a trial that may take 2 attempts (0 and 1) can never be real");
        assertEquals(Study.Received.PARKED, study.onEpoch(record(a, 1, 1, 0.999)),
                "attempt 1 may yet start: held back, not accepted");
        study.onEpoch(record(a, 0, 2, 0.63));
        TrialResult r = study.finish(a, completed(a, 0, 2), null, 1000);

        assertEquals(0.63, r.objective());
        assertEquals(List.of(0, 0), study.curve(a).stream().map(EpochMetrics::attempt).toList());
        assertEquals(1, r.placement().attempts());
        assertEquals(0.63, new Leaderboard(config().objective(), study.results()).best().objective());
        Study.RecordCounts counts = study.recordCounts();
        assertEquals(2, counts.unlaunchedAttempt(), "the parked record counts once the trial ended without attempt 1");
        assertEquals(0, counts.parked());
        assertEquals(2, counts.accepted());
        assertEquals(2, out.records.size());
    }

    /**
     * Finding: one early record for a trial not yet started made the driver blind to that trial (its attempt became
     * the trial's current one, and every real record looked stale).
     */
    @Test
    void anEarlyRecordForATrialNotYetStartedLeavesTheTrialToItsOwnRecords() throws InterruptedException {
        Accepted out = new Accepted();
        Study study = new Study(config(), RUN, out);
        started(study);
        assertEquals(Study.Received.UNKNOWN_TRIAL, study.onEpoch(record("t0002", 1, 1, 0.999)), "not created yet");
        assertEquals(Study.Received.UNKNOWN_TRIAL, study.onEpoch(record("t0002", 0, 1, 0.999)), "not created yet");
        String b = study.create(Map.of("x", 2));
        assertEquals("t0002", b);
        study.markRunning(b);
        assertEquals(Study.Received.PARKED, study.onEpoch(record(b, 1, 1, 0.999)), "its task has not started yet");
        study.attemptStarted(b, 0);
        for (int e = 1; e <= 3; e++) {
            assertEquals(Study.Received.ACCEPTED, study.onEpoch(record(b, 0, e, 0.5 + e / 100.0)), "epoch " + e);
        }
        TrialResult r = study.finish(b, completed(b, 0, 3), null, 1000);
        assertEquals(TrialState.COMPLETED, r.state());
        assertEquals(3, r.epochs());
        assertEquals(0.53, r.objective());
        assertEquals(null, r.error());
        Study.RecordCounts counts = study.recordCounts();
        assertEquals(2, counts.unknownTrial());
        assertEquals(1, counts.unlaunchedAttempt());
    }

    /** Spark's listener bus is asynchronous: a real record may arrive before its attempt's start event. */
    @Test
    void recordsThatArriveBeforeTheirAttemptsStartEventAreHeldAndReplayedInOrder() throws InterruptedException {
        Accepted out = new Accepted();
        Study study = new Study(config(), RUN, out);
        String a = study.create(Map.of("x", 1));
        study.markRunning(a);
        assertEquals(Study.Received.PARKED, study.onEpoch(record(a, 0, 1, 0.6), "{\"epoch\":1}"));
        assertEquals(Study.Received.PARKED, study.onEpoch(record(a, 0, 2, 0.7), "{\"epoch\":2}"));
        assertEquals(0, study.curve(a).size(), "nothing decided on a record of an attempt not known to have started");
        assertEquals(2, study.recordCounts().parked());
        study.attemptStarted(a, 0);
        assertEquals(List.of(1, 2), study.curve(a).stream().map(EpochMetrics::epoch).toList());
        assertEquals(List.of("{\"epoch\":1}", "{\"epoch\":2}"), out.raw, "handed on once each, with their JSON");
        study.attemptStarted(a, 0);
        assertEquals(2, out.records.size(), "a repeated start event replays nothing");
        assertEquals(Study.Received.ACCEPTED, study.onEpoch(record(a, 0, 3, 0.8)));
        assertEquals(new Study.RecordCounts(3, 0, 0, 0, 0, 0, 0, 0, 0), study.recordCounts());
    }

    /**
     * An attempt publishes each epoch of the budget once: one held-back record per epoch and attempt is kept, so a
     * flood of repeats neither grows the driver's memory nor pushes the real record out.
     */
    @Test
    void heldBackRecordsAreOnePerEpochOfTheBudget() throws InterruptedException {
        Accepted out = new Accepted();
        Study study = new Study(config(), RUN, out);
        String a = study.create(Map.of("x", 1));
        study.markRunning(a);
        assertEquals(Study.Received.PARKED, study.onEpoch(record(a, 0, 1, 0.6)));
        for (int i = 0; i < 100; i++) {
            assertEquals(Study.Received.DUPLICATE, study.onEpoch(record(a, 0, 1, 0.6)));
        }
        assertEquals(Study.Received.OUT_OF_ORDER, study.onEpoch(record(a, 0, EPOCHS + 1, 0.999)),
                "past the epoch budget: never the next epoch");
        for (int e = 1; e <= EPOCHS; e++) {
            assertEquals(Study.Received.PARKED, study.onEpoch(record(a, 1, e, 0.999)));
        }
        assertEquals(1 + EPOCHS, study.recordCounts().parked());
        study.attemptStarted(a, 0);
        assertEquals(Study.Received.ACCEPTED, study.onEpoch(record(a, 0, 2, 0.7)));
        study.finish(a, completed(a, 0, 2), null, 1000);
        Study.RecordCounts counts = study.recordCounts();
        assertEquals(new Study.RecordCounts(2, 0, 0, 0, EPOCHS, 100, 1, 0, 0), counts);
        assertEquals(2, out.records.size());
    }

    @Test
    void recordsOfAnAttemptAreAcceptedOnlyInEpochOrder() throws InterruptedException {
        Study study = new Study(config(), RUN, new Accepted());
        String a = started(study);
        assertEquals(Study.Received.OUT_OF_ORDER, study.onEpoch(record(a, 0, 2, 0.999)), "the first record is epoch 1");
        assertEquals(Study.Received.ACCEPTED, study.onEpoch(record(a, 0, 1, 0.6)));
        assertEquals(Study.Received.DUPLICATE, study.onEpoch(record(a, 0, 1, 0.999)));
        assertEquals(Study.Received.OUT_OF_ORDER, study.onEpoch(record(a, 0, 3, 0.999)));
        assertEquals(Study.Received.ACCEPTED, study.onEpoch(record(a, 0, 2, 0.7)));
        assertEquals(Study.Received.DUPLICATE, study.onEpoch(record(a, 0, 1, 0.999)));
        TrialResult r = study.finish(a, completed(a, 0, 2), null, 1000);
        assertEquals(0.7, r.objective());
        assertEquals(Study.Received.TRIAL_ENDED, study.onEpoch(record(a, 0, 3, 0.999)));
        assertEquals(new Study.RecordCounts(2, 0, 0, 0, 0, 2, 2, 1, 0), study.recordCounts());
    }

    /**
     * The outcome came back through Spark, so its attempt certainly started: its held-back records count even when
     * the start event is late. Attempts are counted per attempt: a retried attempt starts again at epoch 1.
     */
    @Test
    void theOutcomesAttemptCountsAsLaunchedAndARetriedAttemptStartsAtEpochOne() throws Exception {
        Accepted out = new Accepted();
        Study study = new Study(config(), RUN, out);
        String a = started(study);
        study.onEpoch(record(a, 0, 1, 0.6));
        study.onEpoch(record(a, 0, 2, 0.6));
        assertEquals(Study.Received.PARKED, study.onEpoch(record(a, 1, 1, 0.7)));
        TrialResult r = study.finish(a, completed(a, 1, 1), null, 1000);
        assertEquals(1, r.epochs());
        assertEquals(0.7, r.objective());
        assertEquals(2, r.placement().attempts());
        assertEquals(3, r.epochsTrained(), "2 superseded epochs of attempt 0 and attempt 1's one");
        Study.RecordCounts counts = study.recordCounts();
        assertEquals(3, counts.accepted());
        assertEquals(2, counts.superseded());
        assertEquals(0, counts.unlaunchedAttempt());
        assertEquals(3, out.records.size());
    }

    /** Every accepted record is an epoch trained: the per-trial totals add up to the accepted count. */
    @Test
    void acceptedRecordsAreTheEpochsTrainedIncludingSupersededAttempts() throws Exception {
        Accepted out = new Accepted();
        Study study = new Study(config(), RUN, out);
        String a = started(study);
        String b = started(study);
        study.onEpoch(record(a, 0, 1, 0.6));
        study.attemptStarted(a, 1);
        study.onEpoch(record(a, 1, 1, 0.6));
        assertEquals(Study.Received.ACCEPTED, study.onEpoch(record(a, 0, 2, 0.9)),
                "a late record of the older attempt, in order: trained, but not the curve");
        study.onEpoch(record(a, 1, 2, 0.65));
        study.onEpoch(record(b, 0, 1, 0.5));
        study.onEpoch(record("run-b", b, 0, 2, 0.999));
        TrialResult ra = study.finish(a, completed(a, 1, 2), null, 1000);
        TrialResult rb = study.finish(b, completed(b, 0, 1), null, 1000);
        assertEquals(0.65, ra.objective(), "the newer attempt's curve only");
        assertEquals(List.of(1, 1), study.curve(a).stream().map(EpochMetrics::attempt).toList());
        long trained = study.results().stream().mapToLong(TrialResult::epochsTrained).sum();
        assertEquals(study.recordCounts().accepted(), trained);
        assertEquals(out.records.size(), trained);
        assertEquals(List.of(4, 1), List.of(ra.epochsTrained(), rb.epochsTrained()));
        assertEquals(2, study.recordCounts().superseded());
    }
}
