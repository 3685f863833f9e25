package io.gradtune.driver.stopping;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SortedDoublesTest {

    /** Values with many ties, signed zeros and infinities: the cases where an ordering could disagree. */
    private static final double[] POOL = {Double.NEGATIVE_INFINITY, -1.5, -0.0, 0.0, 0.25, 0.25, 0.5, 1e-300, 3.0,
            Double.POSITIVE_INFINITY};

    private static double draw(SplittableRandom r) {
        return r.nextInt(3) == 0 ? r.nextDouble(-2, 2) : POOL[r.nextInt(POOL.length)];
    }

    @Test
    void keepsArraysSortOrderUnderRandomInsertsAndRemoves() {
        SplittableRandom r = new SplittableRandom(1);
        for (int run = 0; run < 200; run++) {
            SortedDoubles s = new SortedDoubles();
            List<Double> model = new ArrayList<>();
            for (int op = 0; op < 60; op++) {
                if (!model.isEmpty() && r.nextInt(4) == 0) {
                    double v = model.remove(r.nextInt(model.size()));
                    s.remove(v);
                } else {
                    double v = draw(r);
                    model.add(v);
                    s.add(v);
                }
                double[] expected = model.stream().mapToDouble(Double::doubleValue).toArray();
                Arrays.sort(expected);
                assertArrayEquals(expected, s.toArray());
                assertEquals(expected.length, s.size());
            }
        }
    }

    @Test
    void selectMatchesMaterialisedMultiset() {
        SplittableRandom r = new SplittableRandom(2);
        for (int run = 0; run < 2000; run++) {
            SortedDoubles s = new SortedDoubles();
            List<Double> model = new ArrayList<>();
            int n = r.nextInt(12);
            for (int i = 0; i < n; i++) {
                double v = draw(r);
                model.add(v);
                s.add(v);
            }
            OptionalDouble removed = !model.isEmpty() && r.nextBoolean()
                    ? OptionalDouble.of(model.get(r.nextInt(model.size()))) : OptionalDouble.empty();
            OptionalDouble added = r.nextBoolean() ? OptionalDouble.of(draw(r)) : OptionalDouble.empty();
            List<Double> expectedList = new ArrayList<>(model);
            removed.ifPresent(v -> expectedList.remove(Double.valueOf(v)));
            added.ifPresent(expectedList::add);
            double[] expected = expectedList.stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(expected);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(Double.doubleToLongBits(expected[i]), Double.doubleToLongBits(s.select(i, removed, added)),
                        "run " + run + " i " + i + " of " + model + " - " + removed + " + " + added);
            }
            assertArrayEquals(model.stream().mapToDouble(Double::doubleValue).sorted().toArray(), s.toArray());
        }
    }

    @Test
    void rejectsRemovingAnAbsentValue() {
        SortedDoubles s = new SortedDoubles();
        s.add(1.0);
        assertThrows(IllegalArgumentException.class, () -> s.remove(2.0));
        s.add(0.0);
        assertThrows(IllegalArgumentException.class, () -> s.remove(-0.0)); // -0.0 and 0.0 are distinct values
        assertThrows(IllegalArgumentException.class, () -> s.select(0, OptionalDouble.of(3.0), OptionalDouble.empty()));
    }
}
