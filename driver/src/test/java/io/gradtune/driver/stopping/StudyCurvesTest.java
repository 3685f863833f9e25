package io.gradtune.driver.stopping;

import io.gradtune.worker.protocol.EpochMetrics;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.gradtune.driver.stopping.TestCurves.accuracyCurve;
import static io.gradtune.driver.stopping.TestCurves.epoch;
import static io.gradtune.driver.stopping.TestCurves.healthyLayers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The indexed {@link StudyCurves} must give the median and ASHA rules exactly the decisions (reason text and
 * evidence included) of the old full scans in {@link LegacyComparativeRules}, on random studies with ties,
 * non-finite values, gaps, repeated and unordered epochs, restarts, and in both directions.
 */
class StudyCurvesTest {

    private static final String[] METRICS = {"val_accuracy", "val_loss", "train_loss"};
    private static final double[] POOL = {0.1, 0.5, 0.5, 0.9, -0.0, 0.0, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY};

    private static double draw(SplittableRandom r) {
        return r.nextInt(2) == 0 ? POOL[r.nextInt(POOL.length)] : Math.round(r.nextDouble() * 20) / 20.0;
    }

    private static EpochMetrics record(SplittableRandom r, String trial, int epoch) {
        return epoch(trial, epoch, draw(r), draw(r), draw(r), healthyLayers(1));
    }

    /** A contiguous curve 1..n, or (messy) one with gaps, repeats and shuffles. */
    private static List<EpochMetrics> curve(SplittableRandom r, String trial, int n, boolean messy) {
        List<EpochMetrics> out = new ArrayList<>();
        int e = 0;
        for (int i = 0; i < n; i++) {
            e += messy ? r.nextInt(3) : 1; // messy: 0 repeats the epoch, 2 leaves a gap
            out.add(record(r, trial, Math.max(1, e)));
        }
        if (messy && r.nextInt(3) == 0) {
            Collections.shuffle(out, new java.util.Random(r.nextLong()));
        }
        return out;
    }

    private record Rules(MedianStoppingRule.Settings median, AshaRule.Settings asha, AshaRule ashaRule) {
        static Rules random(SplittableRandom r) {
            AshaRule.Settings a = new AshaRule.Settings(1 + r.nextInt(2), 2 + r.nextInt(3));
            return new Rules(new MedianStoppingRule.Settings(1 + r.nextInt(3), 1 + r.nextInt(4)), a,
                    new AshaRule(a, 3 + r.nextInt(12)));
        }

        void assertSameAsLegacy(List<EpochMetrics> curve, Map<String, List<EpochMetrics>> curves, StudyCurves indexed,
                                String context) {
            assertEquals(LegacyComparativeRules.median(median, curve, curves, indexed),
                    new MedianStoppingRule(median).evaluate(curve, indexed), "median, " + context);
            assertEquals(LegacyComparativeRules.asha(asha, ashaRule.rungs(), curve, curves, indexed),
                    ashaRule.evaluate(curve, indexed), "asha, " + context);
        }
    }

    @Test
    void snapshotOfAnyCurvesDecidesLikeTheFullScan() {
        SplittableRandom r = new SplittableRandom(11);
        int stops = 0;
        for (int run = 0; run < 3000; run++) {
            String metric = METRICS[r.nextInt(METRICS.length)];
            boolean maximize = r.nextBoolean();
            boolean messy = r.nextInt(4) == 0;
            Map<String, List<EpochMetrics>> curves = new LinkedHashMap<>();
            int trials = r.nextInt(25);
            for (int t = 0; t < trials; t++) {
                curves.put("t" + t, curve(r, "t" + t, r.nextInt(10), messy));
            }
            StudyCurves indexed = new StudyCurves(metric, maximize, curves);
            Rules rules = Rules.random(r);
            for (int q = 0; q < 5; q++) {
                // the evaluated curve: a prefix of a trial in the study, a different curve of such a trial, or a
                // trial the study does not know
                int pick = r.nextInt(trials + 1);
                String id = pick < trials ? "t" + pick : "new";
                List<EpochMetrics> mine = r.nextBoolean() && curves.containsKey(id) && !curves.get(id).isEmpty()
                        ? curves.get(id).subList(0, 1 + r.nextInt(curves.get(id).size()))
                        : curve(r, id, 1 + r.nextInt(10), messy);
                rules.assertSameAsLegacy(mine, curves, indexed, "run " + run);
                stops += new AshaRule(rules.asha(), 30).evaluate(mine, indexed).stops() ? 1 : 0;
            }
        }
        assertTrue(stops > 1000, "the random studies should exercise pruning, got " + stops);
    }

    @Test
    void incrementalAppendsAndResetsDecideLikeTheFullScan() {
        SplittableRandom r = new SplittableRandom(12);
        int stops = 0;
        for (int run = 0; run < 300; run++) {
            String metric = METRICS[r.nextInt(METRICS.length)];
            boolean maximize = r.nextBoolean();
            StudyCurves indexed = new StudyCurves(metric, maximize);
            Map<String, List<EpochMetrics>> model = new LinkedHashMap<>();
            Rules rules = Rules.random(r);
            int trials = 1 + r.nextInt(30);
            for (int step = 0; step < 400; step++) {
                String id = "t" + r.nextInt(trials);
                List<EpochMetrics> c = model.computeIfAbsent(id, k -> new ArrayList<>());
                if (!c.isEmpty() && r.nextInt(25) == 0) { // a retried attempt starts the curve again
                    indexed.reset(id);
                    c.clear();
                    continue;
                }
                int next = (c.isEmpty() ? 0 : c.get(c.size() - 1).epoch()) + 1 + (r.nextInt(10) == 0 ? 1 : 0); // odd gap
                EpochMetrics m = record(r, id, next);
                indexed.append(m);
                c.add(m);
                assertEquals(c, indexed.curve(id));
                rules.assertSameAsLegacy(indexed.curve(id), model, indexed, "run " + run + " step " + step);
                stops += rules.ashaRule().evaluate(indexed.curve(id), indexed).stops() ? 1 : 0;
            }
            Map<String, List<EpochMetrics>> nonEmpty = new LinkedHashMap<>(model);
            nonEmpty.values().removeIf(List::isEmpty);
            assertEquals(nonEmpty.keySet(), indexed.curves().keySet());
        }
        assertTrue(stops > 1000, "the random studies should exercise pruning, got " + stops);
    }

    @Test
    void appendRejectsRecordsOutOfEpochOrder() {
        StudyCurves s = new StudyCurves("val_accuracy", true);
        List<EpochMetrics> c = accuracyCurve("a", 0.5, 0.6);
        s.append(c.get(0));
        s.append(c.get(1));
        assertThrows(IllegalArgumentException.class, () -> s.append(c.get(1)));
        assertThrows(IllegalArgumentException.class, () -> s.append(c.get(0)));
        assertEquals(c, s.curve("a"));
    }

    @Test
    void curvesViewIsReadOnlyAndFollowsAppends() {
        StudyCurves s = new StudyCurves("val_accuracy", true);
        Map<String, List<EpochMetrics>> view = s.curves();
        List<EpochMetrics> c = accuracyCurve("a", 0.5, 0.6);
        s.append(c.get(0));
        assertEquals(Map.of("a", c.subList(0, 1)), view);
        assertThrows(UnsupportedOperationException.class, () -> view.get("a").add(c.get(1)));
        assertThrows(UnsupportedOperationException.class, () -> view.remove("a"));
    }
}
