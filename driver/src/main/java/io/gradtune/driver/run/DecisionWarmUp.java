package io.gradtune.driver.run;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.diagnose.Diagnoser;
import io.gradtune.driver.study.Study;
import io.gradtune.worker.protocol.Decoded;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.ProtocolCodec;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.stopping.Decision;

import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the driver's per-record path — decode an epoch record, {@link Study#onEpoch}, the stopping rules, finishing
 * a trial, the results and diagnosis — on synthetic records in a throwaway study, while the driver starts its
 * broker and Spark. Without it the first real records of a study pay for building the JSON binders and for
 * interpreted, not yet compiled code: a fresh JVM took several hundred milliseconds per decision for its first
 * seconds (see BENCHMARKS.md, stream decision latency, cold start). Nothing of the throwaway study is kept,
 * published or written.
 */
public final class DecisionWarmUp {

    /** Synthetic trials per warm-up; with 20 epochs about 2,000 records, well under a second once compiled. */
    static final int TRIALS = 100;

    private DecisionWarmUp() {
    }

    /**
     * Starts the warm-up on a daemon thread; join it before the metrics consumer starts. It feeds as many synthetic
     * trials as the study has trials, at most {@value #TRIALS}: a study of a few trials decides a few records, and
     * on a machine of two cores a full warm-up would take CPU from the broker's and Spark's start.
     */
    public static Thread start(StudyConfig config) {
        int trials = trialsFor(config);
        Thread t = new Thread(() -> run(config, trials), "gradtune-decision-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
        return t;
    }

    /** The synthetic trials {@link #start} feeds for {@code config}: its trial budget, at least 1, at most {@value #TRIALS}
     * (all of them for a config without a search section). */
    static int trialsFor(StudyConfig config) {
        return config.search() == null ? TRIALS : Math.max(1, Math.min(TRIALS, config.search().maxTrials()));
    }

    /**
     * What one warm-up did.
     *
     * @param records  the records decided
     * @param stopped  the synthetic trials the stopping policy stopped (every tenth one diverges)
     */
    public record Result(long records, Set<String> stopped) {
        public Result {
            stopped = Set.copyOf(stopped);
        }
    }

    /** Feeds {@code trials} synthetic trials through a throwaway study. */
    public static Result run(StudyConfig config, int trials) {
        int epochs = Math.max(1, Math.min(config.training().epochs(), 20));
        Set<String> stopped = ConcurrentHashMap.newKeySet();
        String runId = "warm-up";
        Study study = new Study(config, runId, config.stopping().toPolicy(epochs), Diagnoser.forSettings(config.stopping()),
                new Study.Listener() {
                    @Override
                    public void stopRequested(String trialId, Decision decision) {
                        stopped.add(trialId);
                    }

                    @Override
                    public void event(String trialId, String event, Map<String, ?> fields) {
                    }
                });
        SplittableRandom r = new SplittableRandom(1);
        long records = 0;
        try {
            for (int i = 0; i < trials; i++) {
                String id = study.create(Map.of("warm_up", i));
                study.markRunning(id);
                study.attemptStarted(id, 0);
                double quality = r.nextDouble();
                boolean diverges = i % 10 == 9;
                int run = 0;
                for (int e = 1; e <= epochs; e++) {
                    String json = ProtocolCodec.encode(SyntheticRecords.epoch(config.study(), runId, id, e, quality, diverges, 100, r));
                    Decoded<EpochMetrics> d = ProtocolCodec.decodeEpochMetrics(json);
                    if (!d.isAccepted()) {
                        return new Result(records, stopped); // cannot happen with our own encoder; never fail a study over a warm-up
                    }
                    study.onEpoch(d.value(), json);
                    records++;
                    run = e;
                    if (stopped.contains(id)) {
                        break; // as a cancelled worker would
                    }
                }
                study.finish(id, TrialOutcome.of(config.study(), id, 0, TrialOutcome.Status.COMPLETED, run, 0.1,
                        0.1, quality, 1000, 0.1, null), null, 0);
            }
            study.results();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // A warm-up problem must never cost a study: the real path reports its own errors.
        }
        return new Result(records, stopped);
    }
}
