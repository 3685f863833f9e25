package io.gradtune.driver.bench;

import io.gradtune.worker.protocol.Quantiles;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What one sampler achieved on one test function over several seeds: quartiles of the best value found after
 * all evaluations, each seed's best at the checkpoints, and the mean time per proposal.
 *
 * @param function       test function name
 * @param sampler        sampler name
 * @param evals          evaluations per seed
 * @param seeds          number of seeds (0 .. seeds-1)
 * @param knownMinimum   the function's global minimum
 * @param medianBest     median over seeds of the best value after {@code evals}
 * @param q1Best         first quartile of the same
 * @param q3Best         third quartile of the same
 * @param msPerProposal  mean wall time of one {@code propose} call, in milliseconds
 * @param bestAt         checkpoint (25, 50, 100, and evals) to each seed's best value after that many evals
 */
public record BenchmarkResult(String function, String sampler, int evals, int seeds, double knownMinimum,
                              double medianBest, double q1Best, double q3Best, double msPerProposal,
                              SortedMap<Integer, List<Double>> bestAt) {

    public BenchmarkResult {
        TreeMap<Integer, List<Double>> copy = new TreeMap<>();
        bestAt.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        bestAt = Collections.unmodifiableSortedMap(copy);
    }

    /** Median over seeds of (best after {@code checkpoint} evals - known minimum). */
    public double medianRegretAt(int checkpoint) {
        return Quantiles.of(bestAt.get(checkpoint), 0.5) - knownMinimum;
    }

    /** One line of JSON with snake_case keys. */
    public String toJson() {
        String best = bestAt.entrySet().stream()
                .map(e -> Json.string(e.getKey().toString()) + ":" + Json.numbers(e.getValue()))
                .collect(Collectors.joining(",", "{", "}"));
        String regret = bestAt.keySet().stream()
                .map(k -> Json.string(k.toString()) + ":" + Json.number(medianRegretAt(k)))
                .collect(Collectors.joining(",", "{", "}"));
        return "{\"function\":" + Json.string(function) + ",\"sampler\":" + Json.string(sampler)
                + ",\"evals\":" + evals + ",\"seeds\":" + seeds + ",\"known_min\":" + Json.number(knownMinimum)
                + ",\"median_best\":" + Json.number(medianBest) + ",\"q1_best\":" + Json.number(q1Best)
                + ",\"q3_best\":" + Json.number(q3Best) + ",\"ms_per_proposal\":" + Json.number(msPerProposal)
                + ",\"median_regret_at\":" + regret + ",\"best_at\":" + best + "}";
    }
}
