package io.gradtune.driver.search;

import io.gradtune.driver.diagnose.DiagnosisKind;
import io.gradtune.driver.diagnose.Remedies;
import io.gradtune.driver.space.CategoricalParameter;
import io.gradtune.driver.space.Condition;
import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.IntParameter;
import io.gradtune.driver.space.SearchSpace;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pathological trial is followed once by its repaired neighbour, with the fix this study's repairs say works best;
 * everything else is the wrapped sampler's.
 */
class RepairingSamplerTest {

    static final SearchSpace SPACE = new SearchSpace(List.of(
            new CategoricalParameter("activation", List.of("sigmoid", "relu"), null),
            new IntParameter("layers", 1, 4, false, null),
            new IntParameter("units_3", 16, 64, false, new Condition("layers", null, 3.0)),
            new FloatParameter("learning_rate", 1e-4, 0.1, true, null)));
    static final Map<String, Object> BASE = Map.of("activation", "relu", "layers", 1, "learning_rate", 0.02);

    private final RepairingSampler sampler = new RepairingSampler(history -> Optional.of(BASE), SPACE,
            new Remedies(SPACE, "standard"));

    private static Observation finished(Map<String, Object> params, DiagnosisKind diagnosis) {
        return new Observation(params, 0.5, Observation.Kind.COMPLETED, diagnosis);
    }

    /** A finished trial with an objective in minimization form (-accuracy). */
    private static Observation finished(Map<String, Object> params, DiagnosisKind diagnosis, double value) {
        return new Observation(params, value, Observation.Kind.COMPLETED, diagnosis);
    }

    /** A sigmoid net of this depth and rate: VANISHING_GRADIENT's in-space fixes are relu_family, then fewer_layers at 4. */
    private static Map<String, Object> sigmoid(int layers, double rate) {
        return layers >= 3 ? Map.of("activation", "sigmoid", "layers", layers, "units_3", 40, "learning_rate", rate)
                : Map.of("activation", "sigmoid", "layers", layers, "learning_rate", rate);
    }

    private static Map<String, Object> with(Map<String, Object> p, String name, Object value) {
        Map<String, Object> m = new java.util.HashMap<>(p);
        m.put(name, value);
        if (name.equals("layers") && ((Integer) value) < 3) {
            m.remove("units_3");
        }
        return Map.copyOf(m);
    }

    @Test
    void healthyOrUndiagnosedTrialsLeaveTheProposalToTheWrappedSampler() {
        Map<String, Object> p = Map.of("activation", "sigmoid", "layers", 2, "learning_rate", 0.01);
        SearchHistory h = new SearchHistory(List.of(finished(p, DiagnosisKind.HEALTHY), finished(p, null)), List.of());
        assertEquals(BASE, sampler.propose(h).orElseThrow());
    }

    @Test
    void aVanishingSigmoidTrialIsFollowedByItsReluNeighbourOnce() {
        Map<String, Object> sick = Map.of("activation", "sigmoid", "layers", 2, "learning_rate", 0.01);
        Map<String, Object> repaired = Map.of("activation", "relu", "layers", 2, "learning_rate", 0.01);
        Observation first = finished(sick, DiagnosisKind.VANISHING_GRADIENT);

        assertEquals(repaired, sampler.propose(new SearchHistory(List.of(first), List.of())).orElseThrow());
        assertEquals(BASE, sampler.propose(new SearchHistory(List.of(first), List.of(repaired))).orElseThrow(),
                "pending already");
        Observation repairStillSick = finished(repaired, DiagnosisKind.DEAD_UNITS);
        assertEquals(BASE, sampler.propose(new SearchHistory(List.of(first, repairStillSick), List.of())).orElseThrow(),
                "a repair is not repaired again");
    }

    @Test
    void aParameterTheFixActivatesGetsTheMiddleOfItsRange() {
        Map<String, Object> weak = Map.of("activation", "relu", "layers", 2, "learning_rate", 0.01);
        Map<String, Object> next = sampler.propose(new SearchHistory(
                List.of(finished(weak, DiagnosisKind.UNDERFITTING)), List.of())).orElseThrow();
        assertEquals(Map.of("activation", "relu", "layers", 3, "units_3", 40, "learning_rate", 0.01), next);
    }

    @Test
    void aTrialWithNoFixInTheSpaceIsNotRepaired() {
        Map<String, Object> p = Map.of("activation", "relu", "layers", 1, "learning_rate", 0.01);
        assertEquals(BASE, sampler.propose(new SearchHistory(
                List.of(finished(p, DiagnosisKind.SATURATION)), List.of())).orElseThrow());
    }

    @Test
    void aFixThatFailedGivesWayToTheNextUntriedFix() {
        Map<String, Object> a = sigmoid(4, 0.01);
        Map<String, Object> b = sigmoid(4, 0.02);
        SearchHistory h = new SearchHistory(List.of(
                finished(a, DiagnosisKind.VANISHING_GRADIENT, -0.1),
                finished(with(a, "activation", "relu"), DiagnosisKind.VANISHING_GRADIENT, -0.1), // relu failed
                finished(b, DiagnosisKind.VANISHING_GRADIENT, -0.1)), List.of());
        assertEquals(with(b, "layers", 2), sampler.propose(h).orElseThrow(),
                "relu_family scores 1/3 after its failure, fewer_layers untried 1/2 (the old sampler always took relu)");
        assertEquals(List.of(new FixRecord(DiagnosisKind.VANISHING_GRADIENT, "relu_family", 1, 0)), sampler.learned(h));
    }

    @Test
    void aFixThatWorkedIsReusedOverTheTutorialsFirstChoice() {
        Map<String, Object> a = sigmoid(4, 0.01);
        Map<String, Object> b = sigmoid(4, 0.02);
        Map<String, Object> c = sigmoid(4, 0.03);
        SearchHistory h = new SearchHistory(List.of(
                finished(a, DiagnosisKind.VANISHING_GRADIENT, -0.1),
                finished(with(a, "activation", "relu"), DiagnosisKind.UNSTABLE, -0.1), // milder, not better: failed
                finished(b, DiagnosisKind.VANISHING_GRADIENT, -0.1),
                finished(with(b, "layers", 2), DiagnosisKind.HEALTHY, -0.9), // fewer layers worked
                finished(c, DiagnosisKind.VANISHING_GRADIENT, -0.1)), List.of());
        assertEquals(with(c, "layers", 2), sampler.propose(h).orElseThrow());
        assertEquals(List.of(new FixRecord(DiagnosisKind.VANISHING_GRADIENT, "relu_family", 1, 0),
                new FixRecord(DiagnosisKind.VANISHING_GRADIENT, "fewer_layers", 1, 1)), sampler.learned(h));
    }

    @Test
    void aFixThatKeepsFailingIsGivenUpAndTheTrialLeftToTheWrappedSampler() {
        List<Observation> finished = new java.util.ArrayList<>();
        for (double rate : new double[] {0.01, 0.02, 0.03}) { // two layers: relu_family is the only in-space fix
            Map<String, Object> p = sigmoid(2, rate);
            finished.add(finished(p, DiagnosisKind.VANISHING_GRADIENT, -0.1));
            finished.add(finished(with(p, "activation", "relu"), DiagnosisKind.DEAD_UNITS, -0.1));
        }
        Map<String, Object> d = sigmoid(2, 0.04);
        List<Observation> twoFailures = new java.util.ArrayList<>(finished.subList(0, 4));
        twoFailures.add(finished(d, DiagnosisKind.VANISHING_GRADIENT, -0.1));
        assertEquals(with(d, "activation", "relu"), sampler.propose(new SearchHistory(twoFailures, List.of()))
                .orElseThrow(), "two failures: 1/4, still tried");
        finished.add(finished(d, DiagnosisKind.VANISHING_GRADIENT, -0.1));
        assertEquals(BASE, sampler.propose(new SearchHistory(finished, List.of())).orElseThrow(),
                "three failures: 1/5 < 1/4, given up");
    }

    @Test
    void aRepairSucceedsOnlyWithAMilderDiagnosisAndABetterObjective() {
        Observation sick = finished(sigmoid(2, 0.01), DiagnosisKind.VANISHING_GRADIENT, -0.5);
        Map<String, Object> fixed = with(sigmoid(2, 0.01), "activation", "relu");
        assertTrue(RepairLedger.succeeded(sick, DiagnosisKind.VANISHING_GRADIENT, finished(fixed, DiagnosisKind.HEALTHY, -0.9)));
        assertTrue(RepairLedger.succeeded(sick, DiagnosisKind.VANISHING_GRADIENT,
                finished(fixed, DiagnosisKind.UNDERFITTING, -0.6)), "milder and better");
        assertFalse(RepairLedger.succeeded(sick, DiagnosisKind.VANISHING_GRADIENT,
                finished(fixed, DiagnosisKind.HEALTHY, -0.4)), "healthy but worse");
        assertFalse(RepairLedger.succeeded(sick, DiagnosisKind.VANISHING_GRADIENT,
                finished(fixed, DiagnosisKind.EXPLODING_GRADIENT, -0.9)), "better but more severe");
        assertFalse(RepairLedger.succeeded(sick, DiagnosisKind.VANISHING_GRADIENT,
                finished(fixed, DiagnosisKind.HEALTHY, Double.NaN)), "no objective");
    }

    @Test
    void crashedRepairsSayNothingAboutTheFixAndTheSameHistoryGivesTheSameProposal() {
        Map<String, Object> a = sigmoid(4, 0.01);
        Map<String, Object> b = sigmoid(4, 0.02);
        SearchHistory h = new SearchHistory(List.of(
                finished(a, DiagnosisKind.VANISHING_GRADIENT, -0.1),
                new Observation(with(a, "activation", "relu"), Double.NaN, Observation.Kind.FAILED, null),
                finished(b, DiagnosisKind.VANISHING_GRADIENT, -0.1)), List.of());
        assertEquals(List.of(), sampler.learned(h));
        assertEquals(with(b, "activation", "relu"), sampler.propose(h).orElseThrow());
        assertEquals(sampler.propose(h), sampler.propose(new SearchHistory(h.finished(), h.pending())));
    }
}
