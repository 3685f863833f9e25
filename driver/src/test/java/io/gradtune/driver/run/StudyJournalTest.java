package io.gradtune.driver.run;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.journal.Journal;
import io.gradtune.driver.search.Sampler;
import io.gradtune.driver.search.SamplerOptions;
import io.gradtune.driver.search.Samplers;
import io.gradtune.driver.search.SearchHistory;
import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.IntParameter;
import io.gradtune.driver.space.SearchSpace;
import io.gradtune.driver.stopping.StoppingSettings;
import io.gradtune.driver.stopping.TestCurves;
import io.gradtune.driver.study.Study;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.stopping.Decision;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A study rebuilt from its journal is the study that was interrupted: the same results, the same history, and a
 * sampler in the same state, so the next proposal is the one the interrupted study would have made. History-driven
 * samplers (GP, TPE, the grid's skipping) are the demanding case: each journaled trial must be proposed again with
 * exactly the history it was proposed with, although trials finished on other threads in between.
 */
class StudyJournalTest {

    private static final SearchSpace SPACE = new SearchSpace(List.of(new FloatParameter("x", 0, 1, false, null),
            new IntParameter("n", 1, 4, false, null)));
    private static final StudyConfig CONFIG = new StudyConfig(null, "s", new StudyConfig.Objective("val_accuracy", true),
            null, null, SPACE, new StudyConfig.Training(3, Map.of()), StoppingSettings.none(), null, null, null);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"grid", "random", "tpe", "gp"})
    void aReplayedStudyAndSamplerContinueAsTheInterruptedOnesWould(String algorithm) throws Exception {
        Path file = dir.resolve(Journal.FILE);
        Study original = new Study(CONFIG, "run-1", quiet());
        Sampler sampler = sampler(algorithm);
        List<String> running = new ArrayList<>();
        try (Journal journal = Journal.open(file)) {
            StudyJournal sj = new StudyJournal(journal);
            original.recordTo(sj);
            // Two in flight; a trial finishes after every proposal but the first, oldest first, so proposals see
            // histories of different lengths; the last two are still running at the "kill".
            for (int i = 0; i < 7; i++) {
                SearchHistory history = original.history();
                Map<String, Object> params = sampler.propose(history).orElseThrow();
                String id = original.create(params);
                if (i % 2 == 0) { // as StudyRunner journals a new trial: created and running in one append
                    sj.createdAndRunning(id, original.size(), StudyJournal.normalized(params), 100 + original.size(),
                            history.finished().size());
                } else {
                    sj.created(id, original.size(), StudyJournal.normalized(params), 100 + original.size(),
                            history.finished().size());
                }
                original.markRunning(id);
                running.add(id);
                if (running.size() > 2) {
                    finish(original, running.remove(0), i);
                }
            }
        }
        Map<String, Object> next = sampler.propose(original.history()).orElseThrow();

        Study resumed = new Study(CONFIG, "run-1", quiet());
        Sampler replayed = sampler(algorithm);
        List<String> notes = new ArrayList<>();
        List<StudyJournal.Pending> again = StudyJournal.replay(Journal.read(file), resumed, replayed, notes::add);

        assertEquals(List.of(), notes, "every journaled trial proposed again as before");
        assertEquals(running, again.stream().map(StudyJournal.Pending::trialId).toList());
        assertEquals(original.results(), resumed.results());
        assertEquals(original.history(), resumed.history());
        assertEquals(next, replayed.propose(resumed.history()).orElseThrow());
    }

    private static Sampler sampler(String algorithm) {
        return Samplers.create(algorithm, SPACE, 3, new SamplerOptions(3, 2, 24, List.of()));
    }

    private static void finish(Study study, String id, int i) throws InterruptedException {
        double accuracy = 0.5 + 0.05 * i;
        study.onEpoch(EpochMetrics.of("s", "run-1", id, 0, "driver", "localhost", 1, 1.0, 1.0, accuracy, 1e-3, 10, 0,
                TestCurves.healthyLayers(2)));
        study.finish(id, TrialOutcome.of("s", id, 0, TrialOutcome.Status.COMPLETED, 1, 1.0, 1.0, accuracy, 10, 0.1,
                null), null, 1_000);
    }

    private static Study.Listener quiet() {
        return new Study.Listener() {
            @Override
            public void stopRequested(String trialId, Decision decision) {
            }

            @Override
            public void event(String trialId, String event, Map<String, ?> fields) {
            }
        };
    }
}
