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

/** A pathological trial is followed once by its repaired neighbour; everything else is the wrapped sampler's. */
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
}
