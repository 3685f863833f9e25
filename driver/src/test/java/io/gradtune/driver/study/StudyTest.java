package io.gradtune.driver.study;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.diagnose.ChanceLevel;
import io.gradtune.driver.diagnose.Diagnoser;
import io.gradtune.driver.diagnose.DiagnosisKind;
import io.gradtune.driver.stopping.AshaRule;
import io.gradtune.driver.stopping.LegacyComparativeRules;
import io.gradtune.driver.stopping.MedianStoppingRule;
import io.gradtune.driver.stopping.StoppingPolicy;
import io.gradtune.driver.stopping.StoppingRule;
import io.gradtune.driver.stopping.StoppingSettings;
import io.gradtune.driver.stopping.TestCurves;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.stopping.Decision;
import io.gradtune.worker.stopping.ExplodingGradientsRule;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link Study} keeps one incrementally updated curves index instead of copying every curve per record; its
 * decisions must be those of a study whose comparative rules scan a fresh copy of every trial's curve, as before.
 */
class StudyTest {

    private static final String RUN = "run-1";

    private static StudyConfig config(String metric, boolean maximize, StoppingSettings stopping) {
        // Up to 100 attempts: the random streams below retry trials many times.
        return new StudyConfig(null, "s", new StudyConfig.Objective(metric, maximize), null, null, null,
                new StudyConfig.Training(12, Map.of()), stopping, null, new StudyConfig.Spark("local[2]", Map.of(), 100),
                null);
    }

    /** Records what a study decided, in order. */
    private static final class Recorder implements Study.Listener {
        final List<String> log = new ArrayList<>();

        @Override
        public void stopRequested(String trialId, Decision decision) {
            log.add(trialId + " stop " + decision);
        }

        @Override
        public void event(String trialId, String event, Map<String, ?> fields) {
            log.add(trialId + " " + event + " " + fields);
        }
    }

    @Test
    void decidesLikeFullCopiesOfEveryCurveOnRandomStreams() throws InterruptedException {
        SplittableRandom r = new SplittableRandom(5);
        int stops = 0;
        for (int run = 0; run < 60; run++) {
            boolean accuracy = r.nextBoolean();
            String metric = accuracy ? "val_accuracy" : "val_loss";
            MedianStoppingRule.Settings median = new MedianStoppingRule.Settings(1 + r.nextInt(3), 1 + r.nextInt(3));
            AshaRule.Settings asha = new AshaRule.Settings(1 + r.nextInt(2), 2 + r.nextInt(2));
            StoppingSettings d = StoppingSettings.defaults();
            StoppingSettings settings = new StoppingSettings(d.divergence(), d.explodingGradients(),
                    d.vanishingGradients(), d.plateau(), median, asha);
            StudyConfig config = config(metric, accuracy, settings);
            List<StoppingRule> rules = settings.toPolicy(12).rules();

            Recorder indexedLog = new Recorder();
            Study indexed = new Study(config, RUN, indexedLog);
            Recorder legacyLog = new Recorder();
            List<String> ids = new ArrayList<>();
            Study[] legacyRef = new Study[1];
            List<StoppingRule> legacyRules = new ArrayList<>();
            AshaRule ashaRule = new AshaRule(asha, 12);
            for (StoppingRule rule : rules) {
                if (rule instanceof MedianStoppingRule) {
                    legacyRules.add((curve, sc) -> LegacyComparativeRules.median(median, curve,
                            copies(legacyRef[0], ids), sc));
                } else if (rule instanceof AshaRule) {
                    legacyRules.add((curve, sc) -> LegacyComparativeRules.asha(asha, ashaRule.rungs(), curve,
                            copies(legacyRef[0], ids), sc));
                } else {
                    legacyRules.add(rule);
                }
            }
            Study legacy = new Study(config, RUN, new StoppingPolicy(legacyRules), Diagnoser.forSettings(settings), legacyLog);
            legacyRef[0] = legacy;

            int trials = 2 + r.nextInt(25);
            int[] attempt = new int[trials];
            int[] next = new int[trials];
            for (int t = 0; t < trials; t++) {
                String a = indexed.create(Map.of("x", t));
                assertEquals(a, legacy.create(Map.of("x", t)));
                ids.add(a);
                indexed.markRunning(a);
                legacy.markRunning(a);
                indexed.attemptStarted(a, 0);
                legacy.attemptStarted(a, 0);
                next[t] = 1;
            }
            for (int step = 0; step < 300; step++) {
                int t = r.nextInt(trials);
                String id = ids.get(t);
                int kind = r.nextInt(40);
                if (kind == 0) { // the Spark task finished: the trial becomes terminal
                    assertEquals(timeless(legacy.finish(id, null, "done", 0)), timeless(indexed.finish(id, null, "done", 0)));
                    continue;
                }
                int a = attempt[t];
                int e = next[t];
                if (kind == 1) { // a retried task: new attempt, from epoch 1 or (lost record) epoch 2
                    a = ++attempt[t];
                    indexed.attemptStarted(id, a);
                    legacy.attemptStarted(id, a);
                    e = 1 + r.nextInt(2);
                    next[t] = e == 1 ? 2 : 1;
                } else if (kind == 2) { // a duplicate, a skipped epoch or a stale attempt: all ignored
                    e = Math.max(1, e + r.nextInt(3) - 1);
                    a = r.nextBoolean() ? a : a - 1;
                } else {
                    next[t]++;
                }
                EpochMetrics m = record(r, id, a, e);
                indexed.onEpoch(m);
                legacy.onEpoch(m);
                assertEquals(legacyLog.log, indexedLog.log, "run " + run + " step " + step);
                assertEquals(legacy.curve(id), indexed.curve(id));
            }
            assertEquals(legacy.results().stream().map(StudyTest::timeless).toList(),
                    indexed.results().stream().map(StudyTest::timeless).toList());
            assertEquals(legacy.active(), indexed.active());
            stops += (int) indexedLog.log.stream().filter(s -> s.contains(" stop ")).count();
        }
        assertTrue(stops > 100, "the random streams should exercise stopping, got " + stops);
    }

    /** What the old {@code Study.curves()} built for every record: a copy of every trial's curve. */
    private static Map<String, List<EpochMetrics>> copies(Study study, List<String> ids) {
        Map<String, List<EpochMetrics>> c = new LinkedHashMap<>();
        for (String id : ids) {
            c.put(id, study.curve(id));
        }
        return c;
    }

    /** A result without its wall time, which differs between two studies fed the same records. */
    private static String timeless(TrialResult r) {
        return r.toString().replaceAll("seconds=[^,]*,", "");
    }

    private static EpochMetrics record(SplittableRandom r, String id, int attempt, int epoch) {
        double acc = r.nextInt(30) == 0 ? Double.NaN : Math.round(r.nextDouble() * 10) / 10.0;
        double loss = Math.round((0.2 + r.nextDouble()) * 10) / 10.0;
        return EpochMetrics.of("s", RUN, id, attempt, "driver", "localhost", epoch, loss, loss, acc, 1e-3, 10, 0, TestCurves.healthyLayers(2));
    }

    /** Polls until the condition holds, failing after 30 s (never sleeps a fixed time and hopes). */
    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(what + " within 30 s");
            }
            Thread.onSpinWait();
        }
    }

    /**
     * The diagnosis uses the study's configured gradient thresholds, not the defaults: a gradient norm of 1.0 is
     * healthy under the default {@code max_norm} 1e3 and exploding under a configured 0.5. The rule itself is
     * switched off here, so only the diagnosis can tell.
     */
    @Test
    void diagnosisUsesTheStudysConfiguredGradientThresholds() throws InterruptedException {
        StoppingSettings d = StoppingSettings.defaults();
        StoppingSettings strict = new StoppingSettings(null, new ExplodingGradientsRule.Settings(0.5, 2.0, 3),
                null, null, null, null);
        for (StoppingSettings settings : List.of(d, strict)) {
            Study study = new Study(config("val_accuracy", true, settings), RUN, new Recorder());
            // The configured policy must not stop the trial: only the diagnosis reads the threshold.
            Study diagnosisOnly = new Study(study.config(), RUN, StoppingPolicy.none(), Diagnoser.forSettings(settings),
                    new Recorder());
            for (Study s : List.of(study, diagnosisOnly)) {
                String a = s.create(Map.of("x", 1));
                s.markRunning(a);
                s.attemptStarted(a, 0);
                s.onEpoch(EpochMetrics.of("s", RUN, a, 0, "driver", "localhost", 1, 1.0, 1.0, 0.7, 1e-3, 10, 0, TestCurves.healthyLayers(2)));
                TrialResult r = s.finish(a, TrialOutcome.of("s", a, 0, TrialOutcome.Status.COMPLETED, 1, 1, 1, 0.7,
                        10, 1, null), null, 1000);
                DiagnosisKind expected = settings == strict ? DiagnosisKind.EXPLODING_GRADIENT : DiagnosisKind.HEALTHY;
                assertEquals(expected, r.diagnosis().primary(), r.diagnosis().summary());
            }
        }
    }

    /**
     * {@code search.feedback}: a trial the divergence rule stopped reaches the sampler as INFEASIBLE with feedback on
     * (the default) and as an ordinary PRUNED trial with it off; its diagnosis is there either way.
     */
    @Test
    void feedbackDecidesWhetherTheSamplerSeesAnInfeasibleStopAsInfeasibleOrPruned() throws InterruptedException {
        StudyConfig.Search on = new StudyConfig.Search("random", 10, 1, io.gradtune.driver.search.SamplerOptions.defaults(),
                null, Double.NaN, null, false, true);
        for (StudyConfig.Search search : List.of(on, on.withFeedback(false))) {
            StudyConfig base = config("val_accuracy", true, StoppingSettings.defaults());
            StudyConfig c = new StudyConfig(null, "s", base.objective(), null, search, null, base.training(),
                    base.stopping(), null, base.spark(), null);
            Study s = new Study(c, RUN, new Recorder());
            String a = s.create(Map.of("x", 1));
            s.markRunning(a);
            s.attemptStarted(a, 0);
            s.onEpoch(EpochMetrics.of("s", RUN, a, 0, "driver", "localhost", 1, Double.NaN, Double.NaN, 0.1, 1e-3, 10, 0,
                    TestCurves.healthyLayers(2)));
            TrialResult r = s.finish(a, null, "stopped", 0);
            assertEquals(TrialState.PRUNED, r.state(), String.valueOf(r.stop()));
            assertTrue(r.stop().marksInfeasible(), r.stop().toString());
            var observed = s.history().finished().get(0);
            assertEquals(search.feedback() ? io.gradtune.driver.search.Observation.Kind.INFEASIBLE
                    : io.gradtune.driver.search.Observation.Kind.PRUNED, observed.kind());
            assertTrue(observed.diagnosis() != null);
        }
    }

    /**
     * Diagnosis feedback: a trial ASHA pruned at its first rung whose diagnosis is a vanishing gradient (no infeasible
     * rule is on, so only the diagnosis can tell) reaches the sampler as INFEASIBLE with feedback on, as PRUNED with it
     * off; the trial ASHA pruned while healthy is PRUNED either way.
     */
    @Test
    void feedbackMakesAPrunedTrialDiagnosedWithAVanishingGradientInfeasible() throws InterruptedException {
        StudyConfig.Search on = new StudyConfig.Search("random", 10, 1, io.gradtune.driver.search.SamplerOptions.defaults(),
                null, Double.NaN, null, false, true);
        StoppingSettings ashaOnly = new StoppingSettings(null, null, null, null, null, new AshaRule.Settings(1, 3));
        for (StudyConfig.Search search : List.of(on, on.withFeedback(false))) {
            StudyConfig base = config("val_accuracy", true, ashaOnly);
            StudyConfig c = new StudyConfig(null, "s", base.objective(), null, search, null, base.training(),
                    base.stopping(), null, base.spark(), null);
            Study s = new Study(c, RUN, ChanceLevel.ofCounts(10, 10, 10), new Recorder());
            List<TrialResult> r = new ArrayList<>();
            List<Object[]> rows = List.of(new Object[]{0.9, 0.3, TestCurves.healthyLayers(3)},
                    new Object[]{0.34, Math.log(3), TestCurves.layers(3, l -> l == 0 ? 1e-7 : 1.0, 1e-8)},
                    new Object[]{0.7, 0.7, TestCurves.healthyLayers(3)});
            for (Object[] row : rows) {
                String t = s.create(Map.of("x", row[0]));
                s.markRunning(t);
                s.attemptStarted(t, 0);
                @SuppressWarnings("unchecked")
                var layers = (List<io.gradtune.worker.protocol.LayerStats>) row[2];
                s.onEpoch(EpochMetrics.of("s", RUN, t, 0, "driver", "localhost", 1, (double) row[1], (double) row[1],
                        (double) row[0], 1e-3, 10, 0, layers));
                r.add(s.finish(t, TrialOutcome.of("s", t, 0, TrialOutcome.Status.INTERRUPTED, 1, 1, 1, (double) row[0],
                        10, 1, null), null, 1000));
            }
            assertEquals(TrialState.PRUNED, r.get(1).state());
            assertEquals(DiagnosisKind.VANISHING_GRADIENT, r.get(1).diagnosis().primary(), r.get(1).diagnosis().summary());
            assertEquals(TrialState.PRUNED, r.get(2).state());
            var observed = s.history().finished();
            assertEquals(search.feedback() ? io.gradtune.driver.search.Observation.Kind.INFEASIBLE
                    : io.gradtune.driver.search.Observation.Kind.PRUNED, observed.get(1).kind());
            assertEquals(io.gradtune.driver.search.Observation.Kind.PRUNED, observed.get(2).kind());
        }
    }

    /**
     * A study given the dataset's chance level diagnoses a trial that ended after one epoch at chance, its loss still
     * ln 3, as UNDERFITTING; without it (the fixed accuracy bound needs three epochs) the trial looked HEALTHY.
     */
    @Test
    void aStudyWithTheChanceLevelDiagnosesAShortTrialAtChanceAsUnderfitting() throws InterruptedException {
        StudyConfig config = config("val_accuracy", true, StoppingSettings.none());
        Study withChance = new Study(config, RUN, ChanceLevel.ofCounts(10, 10, 10), new Recorder());
        Study without = new Study(config, RUN, new Recorder());
        for (Study s : List.of(withChance, without)) {
            String a = s.create(Map.of("x", 1));
            s.markRunning(a);
            s.attemptStarted(a, 0);
            s.onEpoch(EpochMetrics.of("s", RUN, a, 0, "driver", "localhost", 1, 1.1, Math.log(3), 0.34, 1e-3, 10, 0,
                    TestCurves.healthyLayers(2)));
            TrialResult r = s.finish(a, TrialOutcome.of("s", a, 0, TrialOutcome.Status.COMPLETED, 1, 1, 1, 0.34,
                    10, 1, null), null, 1000);
            DiagnosisKind expected = s == withChance ? DiagnosisKind.UNDERFITTING : DiagnosisKind.HEALTHY;
            assertEquals(expected, r.diagnosis().primary(), r.diagnosis().summary());
        }
    }

    /**
     * With ASHA on, the trial pruned at the first rung while at chance (its loss still ln 3) is UNDERFITTING, and the
     * one pruned there for being behind a better trial while well above chance is HEALTHY.
     */
    @Test
    void trialsPrunedByAshaAtTheFirstRungAreDiagnosedFromTheirEpoch() throws InterruptedException {
        StoppingSettings ashaOnly = new StoppingSettings(null, null, null, null, null, new AshaRule.Settings(1, 2));
        Study study = new Study(config("val_accuracy", true, ashaOnly), RUN, ChanceLevel.ofCounts(10, 10, 10),
                new Recorder());
        Map<String, TrialResult> results = new LinkedHashMap<>();
        for (double[] row : new double[][]{{0.9, 0.3}, {0.34, Math.log(3)}, {0.7, 0.7}}) {
            String t = study.create(Map.of("x", row[0]));
            study.markRunning(t);
            study.attemptStarted(t, 0);
            study.onEpoch(EpochMetrics.of("s", RUN, t, 0, "driver", "localhost", 1, row[1], row[1], row[0], 1e-3, 10, 0,
                    TestCurves.healthyLayers(2)));
            results.put(t, study.finish(t, TrialOutcome.of("s", t, 0, TrialOutcome.Status.INTERRUPTED, 1, 1, 1, row[0],
                    10, 1, null), null, 1000));
        }
        List<TrialResult> r = new ArrayList<>(results.values());
        assertEquals(DiagnosisKind.UNDERFITTING, r.get(1).diagnosis().primary(), r.get(1).diagnosis().summary());
        assertEquals("asha", r.get(1).diagnosis().evidence().get("stop.rule"));
        assertEquals(DiagnosisKind.HEALTHY, r.get(2).diagnosis().primary(), r.get(2).diagnosis().summary());
        assertEquals("asha", r.get(2).diagnosis().evidence().get("stop.rule"));
    }

    @Test
    void repeatedSkippedUnknownAndLateRecordsAreRejectedByReason() throws InterruptedException {
        Study study = new Study(config("val_accuracy", true, StoppingSettings.none()), RUN, new Recorder());
        String a = study.create(Map.of("x", 1));
        study.markRunning(a);
        study.attemptStarted(a, 1);
        assertEquals(Study.Received.ACCEPTED, study.onEpoch(record(a, 1, 1)));
        assertEquals(Study.Received.DUPLICATE, study.onEpoch(record(a, 1, 1)), "repeat");
        assertEquals(Study.Received.OUT_OF_ORDER, study.onEpoch(record(a, 1, 3)), "skipped epoch");
        study.attemptStarted(a, 2);
        assertEquals(Study.Received.ACCEPTED, study.onEpoch(record(a, 2, 1)), "a retried task starts over");
        assertEquals(Study.Received.DUPLICATE, study.onEpoch(record(a, 1, 1)), "stale attempt, repeated");
        assertEquals(1, study.curve(a).size());
        assertEquals(Study.Received.UNKNOWN_TRIAL, study.onEpoch(record("t9999", 0, 1)), "unknown trial");
        study.finish(a, null, "failed", 0);
        assertEquals(Study.Received.TRIAL_ENDED, study.onEpoch(record(a, 2, 2)), "terminal trial");
        assertEquals(new Study.RecordCounts(2, 1, 0, 1, 0, 2, 1, 1, 0), study.recordCounts(),
                "attempt 1's record superseded");
    }

    @Test
    void anInterruptedStudysCancelledTrialsAreInterruptedNotFailedAndStayOutOfTheHistory() throws InterruptedException {
        Study s = new Study(config("val_accuracy", true, StoppingSettings.none()), RUN, new Recorder());
        List<TrialResult> recorded = new ArrayList<>();
        s.recordTo((r, curve) -> recorded.add(r));
        String a = s.create(Map.of("x", 1));
        s.markRunning(a);
        s.attemptStarted(a, 0);
        s.onEpoch(record(a, 0, 1));
        s.interrupt("received SIGTERM");
        TrialResult r = s.finish(a, null, "Job cancelled because SparkContext was shut down", 30_000);
        assertEquals(TrialState.INTERRUPTED, r.state());
        assertEquals("interrupted: received SIGTERM", r.error());
        assertEquals(1, r.epochs());
        assertEquals(List.of(r), recorded, "the recorder sees the interrupted end too");
        assertTrue(s.history().finished().isEmpty(), "an interrupted trial says nothing to the sampler");
        assertEquals(0, s.active());
    }

    @Test
    void aTrialCompletedWhileTheStudyStopsButMissingRecordsIsInterruptedNotCompletedWithHoles()
            throws InterruptedException {
        Study s = new Study(config("val_accuracy", true, StoppingSettings.none()), RUN, new Recorder());
        String a = s.create(Map.of("x", 1));
        String b = s.create(Map.of("x", 2));
        for (String id : List.of(a, b)) {
            s.markRunning(id);
            s.attemptStarted(id, 0);
            s.onEpoch(record(id, 0, 1));
            s.onEpoch(record(id, 0, 2));
        }
        s.interrupt("received SIGINT");
        TrialResult whole = s.finish(a, TrialOutcome.of("s", a, 0, TrialOutcome.Status.COMPLETED, 2, 1, 1, 0.5, 7, 1,
                null), null, 30_000);
        TrialResult holes = s.finish(b, TrialOutcome.of("s", b, 0, TrialOutcome.Status.COMPLETED, 3, 1, 1, 0.5, 7, 1,
                null), null, 30_000);
        assertEquals(TrialState.COMPLETED, whole.state());
        assertEquals(TrialState.INTERRUPTED, holes.state());
        assertEquals("interrupted: received SIGINT (2 of 3 epoch records had arrived)", holes.error());
    }

    /** The cost-aware search's cost: the median of a trial's epoch times, NaN without an epoch that took time. */
    @Test
    void theSamplerSeesEachTrialsMedianEpochTime() throws InterruptedException {
        Study s = new Study(config("val_accuracy", true, StoppingSettings.none()), RUN, new Recorder());
        String a = s.create(Map.of("x", 1));
        String b = s.create(Map.of("x", 2));
        s.markRunning(a);
        s.markRunning(b);
        long[] millis = {2000, 300, 100}; // a slow first epoch does not move the median
        for (int e = 1; e <= 3; e++) {
            s.onEpoch(EpochMetrics.of("s", RUN, a, 0, "driver", "localhost", e, 1.0, 1.0, 0.5, 1e-3, millis[e - 1], 0,
                    TestCurves.healthyLayers(2)));
        }
        s.finish(a, TrialOutcome.of("s", a, 0, TrialOutcome.Status.COMPLETED, 3, 1, 1, 0.5, 7, 1, null), null, 1000);
        s.finish(b, null, "boom", 2, 1000);
        assertEquals(0.3, s.history().finished().get(0).secondsPerEpoch(), 1e-12);
        assertTrue(Double.isNaN(s.history().finished().get(1).secondsPerEpoch()), "no epoch: unknown");
        assertEquals(0.2, Study.secondsPerEpoch(List.of(record(a, 0, 1), record(a, 0, 2))
                .stream().map(m -> EpochMetrics.of("s", RUN, a, 0, "driver", "localhost", m.epoch(), 1.0, 1.0, 0.5,
                        1e-3, m.epoch() * 100 + 50, 0, TestCurves.healthyLayers(2))).toList()), 1e-12, "even count");
    }

    @Test
    void restoredTrialsGiveTheSameResultsAndHistoryAsTheOriginals() throws InterruptedException {
        StudyConfig config = config("val_accuracy", true, StoppingSettings.none());
        Study original = new Study(config, RUN, new Recorder());
        List<TrialResult> ends = new ArrayList<>();
        Map<String, List<EpochMetrics>> curves = new LinkedHashMap<>();
        original.recordTo((r, curve) -> {
            ends.add(r);
            curves.put(r.trialId(), List.copyOf(curve));
        });
        String a = original.create(Map.of("x", 1));
        String b = original.create(Map.of("x", 2));
        for (String id : List.of(a, b)) {
            original.markRunning(id);
            original.onEpoch(record(id, 0, 1));
            original.onEpoch(record(id, 0, 2));
        }
        original.finish(b, TrialOutcome.of("s", b, 0, TrialOutcome.Status.COMPLETED, 2, 1, 1, 0.5, 7, 1, null), null, 1000);
        original.finish(a, null, "boom", 2, 1000);

        Study restored = new Study(config, RUN, new Recorder());
        assertEquals(a, restored.restoreCreated(a, Map.of("x", 1)));
        assertEquals(b, restored.restoreCreated(b, Map.of("x", 2)));
        for (TrialResult end : ends) {
            restored.restoreFinished(end, curves.get(end.trialId()));
        }
        assertEquals(original.results(), restored.results());
        assertEquals(original.history(), restored.history(), "the sampler sees the same history, in finishing order");
        assertEquals(0, restored.active());
    }

    private static EpochMetrics record(String trial, int attempt, int epoch) {
        return EpochMetrics.of("s", RUN, trial, attempt, "driver", "localhost", epoch, 1.0, 1.0, 0.5, 1e-3, 10, 0, TestCurves.healthyLayers(2));
    }

    private static EpochMetrics recordOn(String executor, String trial, int attempt, int epoch) {
        return EpochMetrics.of("s", RUN, trial, attempt, executor, "host-" + executor, epoch, 1.0, 1.0, 0.5 + epoch / 100.0,
                1e-3, 10, 0, TestCurves.healthyLayers(2));
    }

    /**
     * An executor was lost after its attempt published every epoch; Spark reran the task and the new attempt's
     * outcome arrives before its records. The trial must wait for the new attempt's curve, not end with the lost
     * one's, and say it took two attempts and where the curve was trained.
     */
    @Test
    void theOutcomeOfANewerAttemptWaitsForThatAttemptsRecords() throws Exception {
        Study study = new Study(config("val_accuracy", true, StoppingSettings.none()), RUN, new Recorder());
        String a = study.create(Map.of("x", 1));
        study.markRunning(a);
        study.attemptStarted(a, 0);
        for (int e = 1; e <= 3; e++) {
            study.onEpoch(recordOn("1", a, 0, e));
        }
        java.util.concurrent.CompletableFuture<TrialResult> done = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return study.finish(a, TrialOutcome.of("s", a, 1, TrialOutcome.Status.COMPLETED, 3, 1, 1, 0.53, 10, 1,
                        null), null, 0, 60_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        awaitTrue(() -> study.awaitingRecords(a), "finish should wait for attempt 1's records");
        study.onEpoch(recordOn("2", a, 1, 1));
        study.onEpoch(recordOn("2", a, 1, 2));
        assertTrue(!done.isDone(), "two of attempt 1's three records");
        study.onEpoch(recordOn("2", a, 1, 3));
        TrialResult r = done.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(TrialState.COMPLETED, r.state());
        assertEquals(3, r.epochs());
        assertTrue(study.curve(a).stream().allMatch(m -> m.attempt() == 1), study.curve(a).toString());
        assertEquals(new TrialResult.Placement(2, "2", "host-2", 3), r.placement(), "attempt 0's 3 epochs superseded");
        assertEquals(new Study.RecordCounts(6, 3, 0, 0, 0, 0, 0, 0, 0), study.recordCounts());
    }

    /** A trial that failed on its last attempt says so, with the cause; a cancelled one is not "failed on". */
    @Test
    void aTrialThatFailedOnEveryAttemptSaysHowManyAndWhy() throws InterruptedException {
        Study study = new Study(config("val_accuracy", true, StoppingSettings.none()), RUN, new Recorder());
        String a = study.create(Map.of("x", 1));
        study.markRunning(a);
        study.onEpoch(recordOn("driver", a, 1, 1));
        TrialResult ra = study.finish(a, TrialOutcome.of("s", a, 1, TrialOutcome.Status.FAILED, 1, 1, 1, 0.5, 10, 1,
                "IllegalStateException: boom"), null, 1000);
        assertEquals(TrialState.FAILED, ra.state());
        assertEquals("failed on 2 attempts: IllegalStateException: boom", ra.error());
        assertEquals(2, ra.placement().attempts());

        String b = study.create(Map.of("x", 2));
        study.markRunning(b);
        TrialResult rb = study.finish(b, null, "ExecutorLostFailure (executor 3 exited)", 2, 0);
        assertEquals("failed on 2 attempts: ExecutorLostFailure (executor 3 exited)", rb.error());
        assertEquals(new TrialResult.Placement(2, null, null), rb.placement(), "no record: executor unknown");

        String c = study.create(Map.of("x", 3));
        study.markRunning(c);
        TrialResult rc = study.finish(c, null, "SparkException: Job 4 cancelled part of cancelled job group t0003", 0);
        assertEquals("SparkException: Job 4 cancelled part of cancelled job group t0003", rc.error());
    }

    @Test
    void aCompletedOutcomeWhoseRecordsDidNotAllArriveEndsFailedAndCountsTheMissingRecords()
            throws InterruptedException {
        Study study = new Study(config("val_accuracy", true, StoppingSettings.none()), RUN, new Recorder());
        String a = study.create(Map.of("x", 1));
        study.markRunning(a);
        study.attemptStarted(a, 0);
        study.onEpoch(record(a, 0, 1));
        study.onEpoch(record(a, 0, 2));
        TrialResult r = study.finish(a, TrialOutcome.of("s", a, 0, TrialOutcome.Status.COMPLETED, 4, 1, 1, 0.7, 10, 1,
                null), null, 50);
        assertEquals(TrialState.FAILED, r.state(), "never COMPLETED with a short curve");
        assertTrue(r.error().startsWith("only 2 of 4 epoch records arrived through Kafka"), r.error());
        assertEquals(2, study.recordsMissing());
    }

    @Test
    void activeAndResultsFollowTheTrialLifecycle() throws InterruptedException {
        Study study = new Study(config("val_accuracy", true, StoppingSettings.none()), RUN, new Recorder());
        String a = study.create(Map.of("x", 1));
        String b = study.create(Map.of("x", 2));
        assertEquals(2, study.active());
        study.markRunning(a);
        study.attemptStarted(a, 0);
        study.onEpoch(EpochMetrics.of("s", RUN, a, 0, "driver", "localhost", 1, 1.0, 1.0, 0.7, 1e-3, 10, 0, TestCurves.healthyLayers(2)));
        TrialResult ra = study.finish(a, TrialOutcome.of("s", a, 0, TrialOutcome.Status.COMPLETED, 1, 1, 1, 0.7, 10, 1,
                null), null, 1000);
        assertEquals(1, study.active());
        assertEquals(List.of(ra), study.results());
        assertEquals(0.7, ra.objective());
        study.onEpoch(EpochMetrics.of("s", RUN, a, 0, "driver", "localhost", 2, 1.0, 1.0, 0.9, 1e-3, 10, 0, TestCurves.healthyLayers(2)));
        assertEquals(List.of(ra), study.results()); // terminal trials never change
        assertEquals(1, study.curve(a).size());
        study.finish(b, null, "failed", 0);
        assertEquals(0, study.active());
        assertEquals(2, study.results().size());
    }

    @Test
    void finishWakesWhenTheAwaitedRecordArrives() throws Exception {
        Study study = new Study(config("val_accuracy", true, StoppingSettings.defaults()), RUN, new Recorder());
        String a = study.create(Map.of("x", 1));
        String b = study.create(Map.of("x", 2));
        study.markRunning(a);
        study.markRunning(b);
        study.attemptStarted(a, 0);
        study.attemptStarted(b, 0);
        study.onEpoch(EpochMetrics.of("s", RUN, a, 0, "driver", "localhost", 1, 1.0, 1.0, 0.7, 1e-3, 10, 0, TestCurves.healthyLayers(2)));
        java.util.concurrent.CompletableFuture<TrialResult> done = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return study.finish(a, TrialOutcome.of("s", a, 0, TrialOutcome.Status.COMPLETED, 2, 1, 1, 0.8, 10, 1,
                        null), null, 60_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        awaitTrue(() -> study.awaitingRecords(a), "finish should wait for the trial's second record");
        study.onEpoch(EpochMetrics.of("s", RUN, b, 0, "driver", "localhost", 1, 1.0, 1.0, 0.6, 1e-3, 10, 0, TestCurves.healthyLayers(2)));
        assertTrue(!done.isDone(), "another trial's record must not end the wait");
        long t0 = System.nanoTime();
        study.onEpoch(EpochMetrics.of("s", RUN, a, 0, "driver", "localhost", 2, 1.0, 1.0, 0.8, 1e-3, 10, 0, TestCurves.healthyLayers(2)));
        TrialResult r = done.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
        assertEquals(2, r.epochs());
        assertEquals(TrialState.COMPLETED, r.state());
        assertEquals(null, r.error());
    }

    @Test
    void awaitChangeWakesWhenATrialFinishes() throws Exception {
        Study study = new Study(config("val_accuracy", true, StoppingSettings.none()), RUN, new Recorder());
        String a = study.create(Map.of("x", 1));
        Thread waiter = new Thread(() -> {
            try {
                study.awaitChange(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        awaitTrue(() -> waiter.getState() == Thread.State.TIMED_WAITING, "the waiter should be waiting");
        study.finish(a, null, "failed", 0);
        waiter.join(10_000);
        assertTrue(!waiter.isAlive(), "finish must wake the proposal loop");
    }

    @Test
    void aTrialsEndIsRecordedUnderTheLockAndWaitedDurableAfterItBeforeFinishReturns() throws InterruptedException {
        Study s = new Study(config("val_accuracy", true, StoppingSettings.none()), RUN, new Recorder());
        List<String> calls = new ArrayList<>();
        s.recordTo(new Study.Recorder() {
            @Override
            public void finished(TrialResult result, List<EpochMetrics> curve) {
                calls.add("finished " + result.trialId() + (Thread.holdsLock(s) ? " locked" : " unlocked"));
            }

            @Override
            public void awaitDurable() {
                calls.add("durable" + (Thread.holdsLock(s) ? " locked" : " unlocked"));
            }
        });
        String a = s.create(Map.of("x", 1));
        s.markRunning(a);
        String b = s.create(Map.of("x", 2));
        s.markRunning(b);
        s.finish(a, null, "failed", 0);
        s.finish(b, null, "failed", 0);
        assertEquals(List.of("finished " + a + " locked", "durable unlocked", "finished " + b + " locked",
                "durable unlocked"), calls, "the order fixed under the lock, the flush outside it, before the return");
    }
}
