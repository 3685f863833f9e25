package io.gradtune.driver.search;

import java.util.Map;
import java.util.Optional;

/**
 * Proposes the next assignment of a study. One method, no side effects on the study: the driver calls it
 * whenever a task slot is free, with everything finished and pending so far.
 *
 * <h2>Contract</h2>
 * Every sampler guarantees the following; {@code SamplerContractTest} checks each one against every algorithm the
 * config accepts, and a new sampler must pass it too.
 * <ul>
 *   <li><b>Active parameters only, and all of them.</b> The keys of a proposal are exactly the parameters of the
 *       space that are active in it: a parameter with a {@link io.gradtune.driver.space.Condition} is present
 *       exactly when its condition holds for the proposal's own values (so a child of an absent parent is absent
 *       too) and absent otherwise, as {@link io.gradtune.driver.space.SearchSpace#assign} builds them.</li>
 *   <li><b>Bounds.</b> Every float and int value lies in {@code [low, high]}, both ends included, to the last bit
 *       (a log range mapped through {@code exp(log(x))} must still be clamped).</li>
 *   <li><b>Types.</b> Float parameters get a {@link Double}, int parameters an {@link Integer}; a categorical value
 *       is one of its {@code choices()} (equal to it, of the same type); a fixed parameter gets its value.</li>
 *   <li><b>Log scale.</b> A {@code log} range is searched in log space: where a sampler draws from the prior (random
 *       search always, GP and TPE during their start-up trials) it draws log-uniformly, a grid spaces it evenly in
 *       log, and GP and TPE model it in log space.</li>
 *   <li><b>Determinism.</b> The same space, seed and options and the same sequence of histories give the same
 *       sequence of proposals; nothing else (clock, hash order, thread) is an input.</li>
 *   <li><b>Read-only history.</b> {@code propose} does not modify the history or any map in it.</li>
 *   <li><b>One thread.</b> {@code propose} is called from one thread (the driver's proposal loop), so a sampler may
 *       keep state between calls without locking; it is not required to be thread-safe.</li>
 * </ul>
 *
 * <h2>Repeats and exhaustion</h2>
 * Whether a proposal may equal an assignment that is already finished or pending (compared by value, parameter order
 * ignored, {@code 1 == 1.0}) is part of each sampler's method, so each says which of these it does:
 * <table>
 *   <caption>Repeats of finished or pending assignments, by sampler</caption>
 *   <tr><th>sampler</th><th>repeats</th><th>empty result</th></tr>
 *   <tr><td>{@code grid} ({@link GridSampler}; {@link OneAtATimeSampler} for {@code design: one_at_a_time})</td>
 *       <td>never: skips every combination that is finished or pending, and never proposes one twice</td>
 *       <td>once every combination has been proposed or taken; from then on always</td></tr>
 *   <tr><td>{@code random} ({@link RandomSampler})</td>
 *       <td>allowed: every proposal is an independent draw from the prior and the history is not consulted, as in
 *       Optuna's {@code RandomSampler} and Ray Tune's random search. On a space with a float range a repeat has
 *       probability ~0; on a small discrete space repeats are expected (rejecting them would bias the draws away
 *       from the prior)</td>
 *       <td>never</td></tr>
 *   <tr><td>{@code bayesian} = {@code gp} ({@link GpSampler}), {@code tpe} ({@link TpeSampler})</td>
 *       <td>avoided: a candidate equal to a finished (warm start included) or pending assignment is passed over for
 *       the next one, then for up to 32 prior draws; only if all of those are taken too (a nearly exhausted discrete
 *       space) is the last draw proposed although it repeats</td>
 *       <td>never</td></tr>
 * </table>
 */
public interface Sampler {

    /**
     * @param history the study's finished trials and pending assignments; read only
     * @return the next assignment (active parameters only), or empty when the sampler is exhausted (only a grid
     *         ever is; see the table above)
     */
    Optional<Map<String, Object>> propose(SearchHistory history);
}
