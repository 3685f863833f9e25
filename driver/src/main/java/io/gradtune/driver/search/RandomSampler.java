package io.gradtune.driver.search;

import io.gradtune.driver.space.CategoricalParameter;
import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.IntParameter;
import io.gradtune.driver.space.Parameter;
import io.gradtune.driver.space.SearchSpace;

import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Independent draws from the prior: uniform or log-uniform ranges, equally likely choices, inactive
 * conditional parameters left out. Seeded, so a study's proposals repeat.
 *
 * <p>Repeats (see {@link Sampler}): allowed. The history is not consulted, so a proposal may equal an assignment
 * already finished or pending, as with Optuna's {@code RandomSampler} and Ray Tune's random search: the draws stay
 * independent and distributed as the prior, and with a float range in the space a repeat has probability ~0. Never
 * empty.
 */
public final class RandomSampler implements Sampler {

    private final SearchSpace space;
    private final SplittableRandom random;

    public RandomSampler(SearchSpace space, long seed) {
        this.space = space;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public Optional<Map<String, Object>> propose(SearchHistory history) {
        return Optional.of(space.assign(this::draw));
    }

    /** One draw of a single (non-fixed) parameter from its prior. */
    public static Object draw(Parameter p, SplittableRandom random) {
        if (p instanceof FloatParameter f) {
            return f.fromUnit(random.nextDouble());
        }
        if (p instanceof IntParameter i) {
            return i.fromUnit(random.nextDouble());
        }
        if (p instanceof CategoricalParameter c) {
            return c.choices().get(random.nextInt(c.choices().size()));
        }
        throw new IllegalArgumentException("cannot draw " + p);
    }

    private Object draw(Parameter p) {
        return draw(p, random);
    }
}
