package io.gradtune.driver.diagnose;

import io.gradtune.driver.space.CategoricalParameter;
import io.gradtune.driver.space.FixedParameter;
import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.IntParameter;
import io.gradtune.driver.space.SearchSpace;
import io.gradtune.worker.model.HyperParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.gradtune.driver.diagnose.DiagnosisKind.*;
import static org.junit.jupiter.api.Assertions.*;

/** Which of the tutorials' fixes apply to a diagnosed trial, and that none of them is one the trial already has. */
class RemediesTest {

    /** Searches activation, init, depth, width, rate, batch norm, residual, dropout, l2 and scaling; not clipping. */
    static final SearchSpace SPACE = new SearchSpace(List.of(
            new CategoricalParameter("activation", List.of("sigmoid", "tanh", "relu", "leakyrelu", "elu"), null),
            new CategoricalParameter("weight_init", List.of("xavier", "he", "normal_small"), null),
            new IntParameter("layers", 1, 8, false, null),
            new IntParameter("units", 16, 256, true, null),
            new FloatParameter("learning_rate", 1e-4, 0.1, true, null),
            new IntParameter("batch_size", 32, 256, true, null),
            new CategoricalParameter("batch_norm", List.of(false, true), null),
            new CategoricalParameter("residual", List.of(false, true), null),
            new FloatParameter("dropout", 0.0, 0.5, false, null),
            new FloatParameter("l2", 1e-6, 1e-2, true, null),
            new CategoricalParameter("scaling", List.of("standard", "minmax", "none"), null)));

    private final Remedies remedies = new Remedies(SPACE, "standard");

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(VANISHING_GRADIENT, "activation=sigmoid weight_init=normal_small layers=6",
                        List.of("relu_family", "xavier_init", "batch_norm", "residual", "fewer_layers")),
                Arguments.of(VANISHING_GRADIENT, "activation=relu weight_init=xavier layers=3",
                        List.of("he_init", "batch_norm", "residual")),
                Arguments.of(VANISHING_GRADIENT, "activation=tanh weight_init=xavier layers=4 batch_norm=true residual=true",
                        List.of("relu_family", "fewer_layers")),
                Arguments.of(VANISHING_GRADIENT, "activation=relu weight_init=he layers=3 units_1=64 units_2=32 units_3=16",
                        List.of("batch_norm")),
                Arguments.of(VANISHING_GRADIENT, "activation=relu weight_init=he layers=2 batch_norm=true", List.of()),
                Arguments.of(EXPLODING_GRADIENT, "learning_rate=0.03 scaling=none",
                        List.of("lower_learning_rate", "gradient_clipping", "input_scaling", "batch_norm")),
                Arguments.of(EXPLODING_GRADIENT, "learning_rate=0.03 gradient_clip=0.5 batch_norm=true",
                        List.of("lower_learning_rate")),
                Arguments.of(DEAD_UNITS, "activation=relu weight_init=xavier",
                        List.of("leaky_activation", "lower_learning_rate", "he_init")),
                Arguments.of(DEAD_UNITS, "activation=leakyrelu weight_init=he", List.of("lower_learning_rate")),
                Arguments.of(SATURATION, "activation=sigmoid scaling=none",
                        List.of("relu_family", "batch_norm", "input_scaling")),
                Arguments.of(SATURATION, "activation=relu batch_norm=true scaling=minmax", List.of()),
                Arguments.of(UNSTABLE, "learning_rate=0.05 batch_size=64", List.of("lower_learning_rate", "larger_batch")),
                Arguments.of(UNDERFITTING, "dropout=0.3 l2=0.0001",
                        List.of("more_units", "more_layers", "higher_learning_rate", "less_regularization")),
                Arguments.of(UNDERFITTING, "layers=2 units=64",
                        List.of("more_units", "more_layers", "higher_learning_rate")),
                Arguments.of(OVERFITTING, "units=128", List.of("dropout", "l2", "fewer_units")),
                Arguments.of(OVERFITTING, "units=128 dropout=0.3 l2=0.0001", List.of("fewer_units")),
                Arguments.of(HEALTHY, "activation=sigmoid layers=8 learning_rate=0.1", List.of()));
    }

    @ParameterizedTest(name = "{0} with {1}: {2}")
    @MethodSource("cases")
    void theFixesThatApplyAndNoneTheTrialAlreadyHas(DiagnosisKind kind, String params, List<String> expected) {
        Map<String, Object> p = params(params);
        List<Remedy> found = remedies.forKind(kind, p);

        assertEquals(expected, found.stream().map(Remedy::id).toList());
        HyperParameters before = HyperParameters.from(p);
        for (Remedy r : found) {
            Map<String, Object> after = new LinkedHashMap<>(p);
            after.putAll(r.change());
            assertNotEquals(before, HyperParameters.from(after), r + " changes nothing in " + p);
            assertFalse(r.text().isBlank(), r.toString());
        }
    }

    @Test
    void aLowerRateIsATenthRoundedAndInTheSpace() {
        Remedy r = only(remedies.forKind(EXPLODING_GRADIENT, params("learning_rate=0.03")), "lower_learning_rate");
        assertEquals(Map.of("learning_rate", 0.003), r.change());
        assertTrue(r.inSpace());
        assertTrue(r.text().contains("3e-3 instead of 0.03 (x0.1)"), r.text());
    }

    @Test
    void aLowerRateBelowTheSpaceIsTheSpacesLowest() {
        Remedy r = only(remedies.forKind(EXPLODING_GRADIENT, params("learning_rate=0.0005")), "lower_learning_rate");
        assertEquals(Map.of("learning_rate", 1e-4), r.change());
        assertTrue(r.inSpace());
        assertTrue(r.text().contains("nearest the space allows"), r.text());
    }

    @Test
    void aFixTheSpaceDoesNotSearchIsNamedAndMarkedOutside() {
        Remedy clip = only(remedies.forKind(EXPLODING_GRADIENT, params("learning_rate=0.03")), "gradient_clipping");
        assertEquals(Map.of("gradient_clip", 1.0), clip.change());
        assertFalse(clip.inSpace());
        assertTrue(clip.changeText().equals("{gradient_clip=1} (outside the space)"), clip.changeText());

        Remedies fixedNorm = new Remedies(new SearchSpace(List.of(new FixedParameter("batch_norm", false, null))), "none");
        Remedy bn = only(fixedNorm.forKind(SATURATION, params("batch_norm=false")), "batch_norm");
        assertFalse(bn.inSpace());
        assertTrue(only(fixedNorm.forKind(SATURATION, Map.of()), "input_scaling").text().contains("standardize"));
    }

    @Test
    void theActivationIsTheFirstOfTheFamilyTheSpaceOffers() {
        Remedies noRelu = new Remedies(new SearchSpace(List.of(
                new CategoricalParameter("activation", List.of("tanh", "elu"), null))), "standard");
        Remedy r = only(noRelu.forKind(VANISHING_GRADIENT, params("activation=tanh")), "relu_family");
        assertEquals(Map.of("activation", "elu"), r.change());
        assertTrue(r.inSpace());
    }

    @Test
    void aDiagnosisGetsEachFixOnceAndTheMoreSevereKindWinsAConflict() {
        Diagnosis d = new Diagnosis(EXPLODING_GRADIENT, List.of(EXPLODING_GRADIENT, UNSTABLE, UNDERFITTING), Map.of(), "");
        List<String> ids = remedies.forDiagnosis(d, params("learning_rate=0.03 batch_size=64"))
                .stream().map(Remedy::id).toList();
        assertEquals(List.of("lower_learning_rate", "gradient_clipping", "batch_norm", "larger_batch", "more_units",
                "more_layers"), ids);
    }

    @Test
    void parametersTheBuilderRejectsGetNoFixes() {
        assertEquals(List.of(), remedies.forKind(SATURATION, params("activation=softsign")));
    }

    private static Remedy only(List<Remedy> found, String id) {
        return found.stream().filter(r -> r.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + id + " in " + found));
    }

    /** {@code "a=1 b=x c=true"}: integers, doubles, booleans, strings. */
    static Map<String, Object> params(String spec) {
        Map<String, Object> p = new LinkedHashMap<>();
        for (String kv : spec.split(" ")) {
            String[] parts = kv.split("=");
            String v = parts[1];
            p.put(parts[0], v.matches("-?\\d+") ? (Object) Integer.valueOf(v)
                    : v.matches("-?[\\d.eE-]+") ? (Object) Double.valueOf(v)
                    : v.equals("true") || v.equals("false") ? (Object) Boolean.valueOf(v) : v);
        }
        return p;
    }
}
