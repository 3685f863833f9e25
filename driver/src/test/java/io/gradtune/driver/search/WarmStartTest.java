package io.gradtune.driver.search;

import io.gradtune.driver.report.TrialsCsv;
import io.gradtune.driver.diagnose.DiagnosisKind;
import io.gradtune.driver.space.CategoricalParameter;
import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.IntParameter;
import io.gradtune.driver.space.SearchSpace;
import io.gradtune.driver.study.TrialResult;
import io.gradtune.driver.study.TrialState;
import io.gradtune.worker.stopping.Decision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link WarmStart} reads what {@link TrialsCsv} writes, whatever the trials' messages hold. */
class WarmStartTest {

    /** A value with every character CSV must quote: comma, quote, LF, CR LF. */
    static final String AWKWARD = "odd, \"quoted\"\nsecond line\r\nthird";

    static final SearchSpace SPACE = new SearchSpace(List.of(
            new FloatParameter("learning_rate", 1e-4, 1e-1, true, null),
            new IntParameter("layers", 1, 4, false, null),
            new CategoricalParameter("activation", List.of("relu", AWKWARD), null)));

    static Map<String, Object> params(double lr, int layers, String activation) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("learning_rate", lr);
        p.put("layers", layers);
        p.put("activation", activation);
        return p;
    }

    static TrialResult result(String id, int n, Map<String, Object> params, TrialState state, double objective,
                              Decision stop, String error) {
        return new TrialResult(id, n, params, state, objective, objective, 0.3, 0.2, 3, 4, 1.5, stop, error, 1234,
                null, null);
    }

    static Decision stop(String rule, String reason) {
        return new Decision(Decision.Action.PRUNE, rule, 2, reason, Map.of());
    }

    private static List<Observation> roundTrip(Path dir, List<TrialResult> results) throws IOException {
        Files.writeString(dir.resolve("trials.csv"), TrialsCsv.render(SPACE, results), StandardCharsets.UTF_8);
        return WarmStart.read(dir, SPACE, true);
    }

    @Test
    void failedTrialWithMultiLineErrorDoesNotBreakTheNextWarmStart(@TempDir Path dir) throws IOException {
        // A line of the message splits into three cells, the third landing in the objective column.
        String error = "java.lang.IllegalStateException: boom, \"bad\" value\n\tat a.b.C.d(C.java:12)\r\n"
                + "Caused by: bad row 7, column 3, value abc\n\tat e.f.G.h(G.java:3)\n";
        List<TrialResult> results = List.of(
                result("t0001", 1, params(0.01, 2, "relu"), TrialState.COMPLETED, 0.9, null, null),
                result("t0002", 2, params(0.05, 3, "relu"), TrialState.FAILED, Double.NaN, null, error),
                result("t0003", 3, params(0.001, 1, AWKWARD), TrialState.PRUNED, 0.5,
                        stop("asha", "best val_accuracy 0.5, below \"cutoff\"\n0.7"), null),
                result("t0004", 4, params(0.09, 4, "relu"), TrialState.PRUNED, 0.1,
                        stop("divergence", "train loss NaN, \"diverged\""), null));

        List<Observation> obs = roundTrip(dir, results);

        assertEquals(4, obs.size(), obs.toString());
        assertEquals(new Observation(params(0.01, 2, "relu"), -0.9, Observation.Kind.COMPLETED), obs.get(0));
        assertEquals(Observation.Kind.FAILED, obs.get(1).kind());
        assertTrue(Double.isNaN(obs.get(1).value()));
        assertEquals(params(0.05, 3, "relu"), obs.get(1).params());
        assertEquals(new Observation(params(0.001, 1, AWKWARD), -0.5, Observation.Kind.PRUNED), obs.get(2));
        assertEquals(new Observation(params(0.09, 4, "relu"), -0.1, Observation.Kind.INFEASIBLE), obs.get(3));
    }

    /** As the live study with diagnosis feedback: a trial ASHA pruned with a gradient diagnosis is INFEASIBLE. */
    @Test
    void prunedTrialDiagnosedWithAGradientPathologyIsInfeasible(@TempDir Path dir) throws IOException {
        java.util.function.Function<DiagnosisKind, io.gradtune.driver.diagnose.Diagnosis> diagnosis =
                k -> new io.gradtune.driver.diagnose.Diagnosis(k, List.of(k), Map.of(), k.name());
        List<TrialResult> results = List.of(
                new TrialResult("t0001", 1, params(0.01, 2, "relu"), TrialState.PRUNED, 0.1, 0.1, 2.3, 2.3, 1, 1, 1.0,
                        stop("asha", "behind"), null, 10, diagnosis.apply(DiagnosisKind.VANISHING_GRADIENT), null),
                new TrialResult("t0002", 2, params(0.09, 2, "relu"), TrialState.PRUNED, 0.2, 0.2, 2.3, 2.3, 1, 1, 1.0,
                        stop("asha", "behind"), null, 10, diagnosis.apply(DiagnosisKind.EXPLODING_GRADIENT), null),
                new TrialResult("t0003", 3, params(0.02, 2, "relu"), TrialState.PRUNED, 0.1, 0.1, 2.3, 2.3, 1, 1, 1.0,
                        stop("asha", "behind"), null, 10, diagnosis.apply(DiagnosisKind.UNDERFITTING), null),
                new TrialResult("t0004", 4, params(0.03, 2, "relu"), TrialState.COMPLETED, 0.9, 0.9, 0.3, 0.3, 9, 9, 1.0,
                        null, null, 10, diagnosis.apply(DiagnosisKind.VANISHING_GRADIENT), null));
        List<Observation.Kind> kinds = roundTrip(dir, results).stream().map(Observation::kind).toList();
        assertEquals(List.of(Observation.Kind.INFEASIBLE, Observation.Kind.INFEASIBLE, Observation.Kind.PRUNED,
                Observation.Kind.COMPLETED), kinds);
    }

    @Test
    void rowsOutsideTheCurrentSpaceAreSkipped(@TempDir Path dir) throws IOException {
        List<TrialResult> results = List.of(
                result("t0001", 1, params(0.5, 2, "relu"), TrialState.COMPLETED, 0.9, null, null),
                result("t0002", 2, params(0.01, 9, "relu"), TrialState.COMPLETED, 0.8, null, null),
                result("t0003", 3, params(0.01, 2, "tanh"), TrialState.COMPLETED, 0.7, null, null),
                result("t0004", 4, params(0.01, 2, "relu"), TrialState.COMPLETED, 0.6, null, null));
        List<Observation> obs = roundTrip(dir, results);
        assertEquals(List.of(new Observation(params(0.01, 2, "relu"), -0.6, Observation.Kind.COMPLETED)), obs);
    }

    @Test
    void malformedFileIsReportedWithItsPath(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("trials.csv"), "trial_id,state,objective\n\"t0001,COMPLETED,0.5\n");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> WarmStart.read(dir, SPACE, true));
        assertTrue(e.getMessage().contains(dir.resolve("trials.csv").toString()), e.getMessage());
    }

    @Test
    void emptyFileGivesNoObservations(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("trials.csv"), "");
        assertEquals(List.of(), WarmStart.read(dir, SPACE, true));
    }
}
