package io.gradtune.driver.bench;

import io.gradtune.worker.protocol.Quantiles;
import io.gradtune.worker.protocol.ReportJson;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

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

    /**
     * One line of JSON with snake_case keys, in the order of the record's components, then
     * {@code median_regret_at} and {@code best_at} keyed by checkpoint. Non-finite numbers are written as null
     * (see {@link ReportJson}).
     */
    public String toJson() {
        Map<String, Object> regret = new LinkedHashMap<>();
        Map<String, Object> best = new LinkedHashMap<>();
        bestAt.forEach((checkpoint, values) -> {
            regret.put(checkpoint.toString(), medianRegretAt(checkpoint));
            best.put(checkpoint.toString(), values);
        });
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("function", function);
        m.put("sampler", sampler);
        m.put("evals", evals);
        m.put("seeds", seeds);
        m.put("known_min", knownMinimum);
        m.put("median_best", medianBest);
        m.put("q1_best", q1Best);
        m.put("q3_best", q3Best);
        m.put("ms_per_proposal", msPerProposal);
        m.put("median_regret_at", regret);
        m.put("best_at", best);
        return ReportJson.line(m);
    }
}
