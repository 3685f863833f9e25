package io.gradtune.driver.stopping;

import io.gradtune.driver.rules.BottomQuantileRule;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.stopping.ClassPrior;
import io.gradtune.worker.stopping.Decision;
import io.gradtune.worker.stopping.DivergenceRule;
import io.gradtune.worker.stopping.ExplodingGradientsRule;
import io.gradtune.worker.stopping.PlateauRule;
import io.gradtune.worker.stopping.VanishingGradientsRule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static io.gradtune.driver.stopping.TestCurves.accuracyCurve;
import static io.gradtune.driver.stopping.TestCurves.accuracyStudy;
import static io.gradtune.driver.stopping.TestCurves.byTrial;
import static io.gradtune.driver.stopping.TestCurves.emptyStudy;
import static io.gradtune.driver.stopping.TestCurves.epoch;
import static io.gradtune.driver.stopping.TestCurves.layerCurve;
import static io.gradtune.driver.stopping.TestCurves.layers;
import static io.gradtune.driver.stopping.TestCurves.lossCurve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link StoppingRule} must do, checked once for all of them: the six rules and {@link StoppingPolicy},
 * each with its default settings, and {@link BottomQuantileRule}, a comparative rule written outside this package
 * with its public API only. A new rule is added to {@link #rules()} with a curve that makes it stop.
 * <ul>
 *   <li>an empty curve gives {@link Decision#CONTINUE};</li>
 *   <li>a stop names its rule (the class's {@code NAME} constant, when it has one) and the epoch of the last record,
 *       with a reason;</li>
 *   <li>stateless: the same inputs give equal decisions however often and in whatever order trials are evaluated,
 *       and whatever the order of the study's trials;</li>
 *   <li>the inputs are untouched: the curve (passed read-only, as the driver's study passes it) and the study's
 *       curves and indexes are the same after a decision as before.</li>
 * </ul>
 */
class StoppingRuleContractTest {

    /** Ten balanced classes, as the driver sends the per-trial rules the dataset's prior. */
    static final ClassPrior TEN = new ClassPrior(10, Math.log(10), 0.1);

    /** ASHA's R. */
    static final int MAX_EPOCHS = 30;

    /** Five other trials, healthy, val_accuracy 0.9 ... 0.5 at every one of 8 epochs. */
    static Map<String, List<EpochMetrics>> others() {
        return byTrial(flat("a", 0.9), flat("b", 0.8), flat("c", 0.7), flat("d", 0.6), flat("e", 0.5));
    }

    private static List<EpochMetrics> flat(String trial, double accuracy) {
        double[] a = new double[8];
        java.util.Arrays.fill(a, accuracy);
        return accuracyCurve(trial, a);
    }

    /**
     * One rule under test and a curve of trial {@code t} that makes it stop, with the rule name and action expected.
     *
     * @param name     display name
     * @param rule     a fresh rule with default settings
     * @param stopping a curve that makes the rule stop, evaluated against {@link #others()}
     * @param action   what the stop is
     * @param ruleName the name the decision must carry
     */
    record Case(String name, Supplier<StoppingRule> rule, List<EpochMetrics> stopping, Decision.Action action,
                String ruleName) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> rules() {
        return Stream.of(
                new Case("divergence", () -> StoppingRule.of(new DivergenceRule(DivergenceRule.Settings.defaults())),
                        lossCurve("t", 1.0, 0.8, 3.5), Decision.Action.PRUNE, DivergenceRule.NAME),
                new Case("exploding gradients",
                        () -> StoppingRule.of(new ExplodingGradientsRule(ExplodingGradientsRule.Settings.defaults())),
                        layerCurve("t", 4, e -> layers(3, i -> Math.pow(2.5, e), 1e-3)),
                        Decision.Action.PRUNE, ExplodingGradientsRule.NAME),
                new Case("exploding gradients (configured max_norm)",
                        () -> StoppingRule.of(new ExplodingGradientsRule(new ExplodingGradientsRule.Settings(1e3, 2, 3))),
                        layerCurve("t", 2, e -> layers(3, i -> e == 2 ? 5000.0 : 1.0, 1e-3)),
                        Decision.Action.PRUNE, ExplodingGradientsRule.NAME),
                new Case("exploding gradients (blow-up at chance, with the prior)",
                        () -> StoppingRule.of(new ExplodingGradientsRule(ExplodingGradientsRule.Settings.defaults(), TEN)),
                        List.of(epoch("t", 1, 16.3, 19.5, 0.1, layers(4, i -> 200.0, 0.18)),
                                epoch("t", 2, 15.7, 15.9, 0.103, layers(4, i -> 200.0, 0.03))),
                        Decision.Action.PRUNE, ExplodingGradientsRule.NAME),
                new Case("divergence (with the prior)",
                        () -> StoppingRule.of(new DivergenceRule(DivergenceRule.Settings.defaults(), TEN)),
                        lossCurve("t", 1.0, 0.8, 7.0), Decision.Action.PRUNE, DivergenceRule.NAME),
                new Case("vanishing gradients (nothing learns, with the prior)",
                        () -> StoppingRule.of(new VanishingGradientsRule(VanishingGradientsRule.Settings.defaults(), TEN)),
                        List.of(epoch("t", 1, 2.3, 2.3, 0.1, layers(4, i -> 1.0, 1e-3)),
                                epoch("t", 2, 2.3, 2.3, 0.1, layers(4, i -> 0.01, 1e-8)),
                                epoch("t", 3, 2.3, 2.3, 0.1, layers(4, i -> 0.01, 1e-8))),
                        Decision.Action.PRUNE, VanishingGradientsRule.NAME),
                new Case("vanishing gradients",
                        () -> StoppingRule.of(new VanishingGradientsRule(VanishingGradientsRule.Settings.defaults())),
                        layerCurve("t", 3, e -> e == 1 ? layers(4, i -> 1.0, 1e-3)
                                : layers(4, i -> i == 0 ? 1e-6 : 1.0, 1e-7)),
                        Decision.Action.PRUNE, VanishingGradientsRule.NAME),
                new Case("plateau", () -> StoppingRule.of(new PlateauRule(PlateauRule.Settings.defaults())),
                        accuracyCurve("t", 0.5, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95),
                        Decision.Action.COMPLETE,
                        PlateauRule.NAME),
                new Case("median", () -> new MedianStoppingRule(MedianStoppingRule.Settings.defaults()),
                        accuracyCurve("t", 0.3, 0.3, 0.3), Decision.Action.PRUNE, MedianStoppingRule.NAME),
                new Case("asha", () -> new AshaRule(AshaRule.Settings.defaults(), MAX_EPOCHS),
                        accuracyCurve("t", 0.95, 0.3, 0.3), Decision.Action.PRUNE, AshaRule.NAME),
                new Case("policy (defaults)", () -> StoppingPolicy.defaults(MAX_EPOCHS),
                        lossCurve("t", 1.0, 0.8, 3.5), Decision.Action.PRUNE, DivergenceRule.NAME),
                new Case("bottom quantile (outside the package)", BottomQuantileRule::defaults,
                        accuracyCurve("t", 0.95, 0.3), Decision.Action.PRUNE,
                        BottomQuantileRule.NAME));
    }

    /** Studies a rule may be asked with: empty, five other trials (maximized), and minimized losses. */
    static List<StudyCurves> studies() {
        return List.of(emptyStudy(), accuracyStudy(others()), new StudyCurves("val_loss", false, others()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void emptyCurveContinues(Case c) {
        for (StudyCurves study : studies()) {
            assertEquals(Decision.CONTINUE, c.rule().get().evaluate(List.of(), study));
            assertEquals(Decision.CONTINUE, c.rule().get().evaluate(new ArrayList<>(), study));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void aStopCarriesTheRuleNameTheEpochAndAReason(Case c) {
        StoppingRule rule = c.rule().get();
        List<EpochMetrics> curve = Collections.unmodifiableList(c.stopping());
        Decision d = rule.evaluate(curve, accuracyStudy(others()));
        assertEquals(c.action(), d.action(), d.toString());
        assertTrue(d.stops());
        assertNotNull(d.rule());
        assertEquals(c.ruleName(), d.rule());
        declaredName(rule).ifPresent(name -> assertEquals(name, d.rule(), "the decision's rule is not NAME"));
        assertEquals(curve.get(curve.size() - 1).epoch(), d.epoch(), "not the epoch of the last record");
        assertNotNull(d.reason());
        assertFalse(d.reason().isBlank());
        // and one epoch earlier the same curve had not stopped yet (the stop is about the last record)
        assertFalse(rule.evaluate(curve.subList(0, curve.size() - 1), accuracyStudy(others())).stops(),
                "the shorter curve already stops, so this case does not test the last epoch");
        // a trial leading from its first epoch is left alone
        assertFalse(rule.evaluate(accuracyCurve("lead", 0.95), accuracyStudy(others())).stops());
    }

    /** The value of a {@code public static final String NAME} on the rule's class, if it declares one. */
    private static java.util.Optional<String> declaredName(StoppingRule rule) {
        try {
            Field f = rule.getClass().getField("NAME");
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                return java.util.Optional.of((String) f.get(null));
            }
        } catch (NoSuchFieldException e) {
            return java.util.Optional.empty();
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
        return java.util.Optional.empty();
    }

    /**
     * Every prefix of every trial's curve (the stopping curve among the others), evaluated in order, then again in a
     * shuffled order by the same instance against a study built with its trials in reverse order, then by a fresh
     * instance: all decisions equal.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void decisionsAreStatelessAndIndependentOfTrialOrder(Case c) {
        Map<String, List<EpochMetrics>> curves = new LinkedHashMap<>(others());
        curves.put("t", c.stopping());
        List<String> queries = new ArrayList<>();
        curves.forEach((id, curve) -> {
            for (int k = 0; k <= curve.size(); k++) {
                queries.add(id + "#" + k);
            }
        });

        StoppingRule rule = c.rule().get();
        Map<String, Decision> first = decide(rule, queries, curves, accuracyStudy(curves));
        assertTrue(first.values().stream().anyMatch(Decision::stops), "nothing stopped: " + first);

        List<String> shuffled = new ArrayList<>(queries);
        Collections.shuffle(shuffled, new java.util.Random(7));
        Map<String, List<EpochMetrics>> reversed = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>(curves.keySet());
        Collections.reverse(ids);
        ids.forEach(id -> reversed.put(id, curves.get(id)));
        assertEquals(first, decide(rule, shuffled, curves, accuracyStudy(reversed)), "same instance, other order");
        assertEquals(first, decide(c.rule().get(), queries, curves, accuracyStudy(curves)), "fresh instance");
        // the same question twice in a row
        StudyCurves study = accuracyStudy(curves);
        List<EpochMetrics> stopping = Collections.unmodifiableList(c.stopping());
        assertEquals(rule.evaluate(stopping, study), rule.evaluate(stopping, study));
    }

    /** Decisions keyed by "trial#prefix length", the curve passed read-only. */
    private static Map<String, Decision> decide(StoppingRule rule, List<String> queries,
                                                Map<String, List<EpochMetrics>> curves, StudyCurves study) {
        Map<String, Decision> out = new TreeMap<>();
        for (String q : queries) {
            String id = q.substring(0, q.indexOf('#'));
            int k = Integer.parseInt(q.substring(q.indexOf('#') + 1));
            out.put(q, rule.evaluate(Collections.unmodifiableList(curves.get(id).subList(0, k)), study));
        }
        return out;
    }

    /**
     * The curve is passed read-only (a write throws) and as a mutable copy (a write would show); the study, built
     * both as a snapshot and incrementally as the driver keeps it, must show the same curves and indexes after.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void inputsAreLeftUntouched(Case c) {
        StudyCurves snapshot = accuracyStudy(others());
        StudyCurves incremental = new StudyCurves("val_accuracy", true);
        others().values().forEach(curve -> curve.forEach(incremental::append));
        c.stopping().forEach(incremental::append); // the driver's study holds the trial's own records too
        for (StudyCurves study : List.of(snapshot, incremental)) {
            Map<String, Object> before = state(study);
            StoppingRule rule = c.rule().get();
            for (int k = 0; k <= c.stopping().size(); k++) {
                List<EpochMetrics> original = List.copyOf(c.stopping().subList(0, k));
                List<EpochMetrics> mutable = new ArrayList<>(original);
                rule.evaluate(mutable, study);
                assertEquals(original, mutable, "the rule changed the curve it was given");
                rule.evaluate(Collections.unmodifiableList(original), study);
            }
            assertEquals(before, state(study), "the rule changed the study");
        }
    }

    /** Everything a rule can see of a study, by value. */
    private static Map<String, Object> state(StudyCurves study) {
        Map<String, Object> s = new TreeMap<>();
        s.put("metric", study.objectiveMetric());
        s.put("maximize", study.maximize());
        Map<String, List<EpochMetrics>> curves = new TreeMap<>();
        study.curves().forEach((id, curve) -> curves.put(id, List.copyOf(curve)));
        s.put("curves", curves);
        for (int t = 0; t <= 12; t++) {
            s.put("values@" + t, toList(study.valuesAt(t).toArray()));
            s.put("averages@" + t, toList(study.runningAveragesAt(t).toArray()));
            for (String id : curves.keySet()) {
                s.put(id + ".value@" + t, study.valueAt(id, t));
                s.put(id + ".average@" + t, study.runningAverage(id, t));
            }
        }
        return s;
    }

    private static List<Double> toList(double[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }
}
