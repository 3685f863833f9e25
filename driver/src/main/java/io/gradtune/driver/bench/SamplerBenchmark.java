package io.gradtune.driver.bench;

import io.gradtune.driver.search.Observation;
import io.gradtune.driver.search.RandomSampler;
import io.gradtune.driver.search.Sampler;
import io.gradtune.driver.search.SamplerOptions;
import io.gradtune.driver.search.Samplers;
import io.gradtune.driver.search.SearchHistory;
import io.gradtune.worker.protocol.Quantiles;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Runs samplers (any {@code Samplers.create} name: random, bayesian = gp, tpe, grid) against
 * {@link TestFunction}s sequentially (one trial at a time, default options), so that sampler changes are
 * judged by regret and proposal time rather than by anecdote. Seed k of a run uses sampler seed k.
 */
public final class SamplerBenchmark {

    /** Evaluation counts at which each seed's best value is recorded (when the run is that long). */
    public static final List<Integer> CHECKPOINTS = List.of(25, 50, 100);

    /** Fresh samplers whose first proposal {@link #proposalTime} times separately. */
    public static final int FRESH_SAMPLERS = 5;

    private static final int WARM_UP_PROPOSALS = 5;

    private SamplerBenchmark() {
    }

    /** {@code evals} sequential evaluations for each of {@code seeds} seeds. */
    public static BenchmarkResult run(String function, String sampler, int evals, int seeds) {
        if (evals < 1 || seeds < 1) {
            throw new IllegalArgumentException("needs evals >= 1 and seeds >= 1");
        }
        TestFunction f = TestFunction.byName(function);
        SortedMap<Integer, List<Double>> bestAt = new TreeMap<>();
        CHECKPOINTS.stream().filter(c -> c < evals).forEach(c -> bestAt.put(c, new ArrayList<>()));
        bestAt.put(evals, new ArrayList<>());
        long nanos = 0;
        int proposals = 0;
        for (int seed = 0; seed < seeds; seed++) {
            Sampler s = Samplers.create(sampler, f.space(), seed, SamplerOptions.defaults());
            List<Observation> finished = new ArrayList<>();
            double best = Double.POSITIVE_INFINITY;
            for (int i = 1; i <= evals; i++) {
                long start = System.nanoTime();
                Optional<Map<String, Object>> next = s.propose(new SearchHistory(finished, List.of()));
                nanos += System.nanoTime() - start;
                proposals++;
                if (next.isPresent()) {
                    double value = f.evaluate(next.get());
                    finished.add(new Observation(next.get(), value, Observation.Kind.COMPLETE));
                    best = Math.min(best, value);
                }
                if (bestAt.containsKey(i)) {
                    bestAt.get(i).add(best);
                }
            }
        }
        List<Double> finals = bestAt.get(evals);
        return new BenchmarkResult(function, sampler, evals, seeds, f.minimum(), Quantiles.of(finals, 0.5),
                Quantiles.of(finals, 0.25), Quantiles.of(finals, 0.75), nanos / 1e6 / proposals, bestAt);
    }

    /**
     * Mean time of {@code proposals} proposals (after a short warm-up) against a fixed history of
     * {@code observed} random trials of {@code function}, and of the first proposal of a few fresh samplers.
     * A sampler that caches work between proposals on an unchanged history (the GP reuses its fitted
     * hyperparameters) is fast in the first figure; the second shows the cost with that work included.
     */
    public static ProposalTiming proposalTime(String function, String sampler, int observed, int proposals) {
        TestFunction f = TestFunction.byName(function);
        RandomSampler filler = new RandomSampler(f.space(), 1);
        List<Observation> finished = new ArrayList<>();
        for (int i = 0; i < observed; i++) {
            Map<String, Object> a = filler.propose(SearchHistory.empty()).orElseThrow();
            finished.add(new Observation(a, f.evaluate(a), Observation.Kind.COMPLETE));
        }
        SearchHistory history = new SearchHistory(finished, List.of());
        Sampler s = Samplers.create(sampler, f.space(), 0, SamplerOptions.defaults());
        for (int i = 0; i < WARM_UP_PROPOSALS; i++) {
            s.propose(history);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean cpu = threads.isCurrentThreadCpuTimeSupported();
        long cpuStart = cpu ? threads.getCurrentThreadCpuTime() : 0;
        long start = System.nanoTime();
        for (int i = 0; i < proposals; i++) {
            s.propose(history);
        }
        double msPerProposal = (System.nanoTime() - start) / 1e6 / proposals;
        double cpuMsPerProposal = cpu ? (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6 / proposals : Double.NaN;
        for (int k = 1; k <= FRESH_SAMPLERS; k++) {
            // untimed pass: compiles the code only a fresh sampler runs (the GP's hyperparameter fit)
            Samplers.create(sampler, f.space(), -k, SamplerOptions.defaults()).propose(history);
        }
        long first = 0;
        for (int k = 1; k <= FRESH_SAMPLERS; k++) {
            Sampler fresh = Samplers.create(sampler, f.space(), k, SamplerOptions.defaults());
            long t = System.nanoTime();
            fresh.propose(history);
            first += System.nanoTime() - t;
        }
        return new ProposalTiming(function, sampler, observed, proposals, msPerProposal, cpuMsPerProposal,
                first / 1e6 / FRESH_SAMPLERS);
    }

    /**
     * {@code --function F --sampler S --evals N --seeds K} prints a {@link BenchmarkResult}; adding
     * {@code --observed N} prints a {@link ProposalTiming} of {@code --evals} proposals instead. One JSON line.
     */
    public static void main(String[] args) {
        Map<String, String> opts = new HashMap<>(Map.of("--function", "branin", "--sampler", "bayesian",
                "--evals", "50", "--seeds", "20"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i], args[i + 1]);
        }
        String function = opts.get("--function");
        String sampler = opts.get("--sampler");
        int evals = Integer.parseInt(opts.get("--evals"));
        if (opts.containsKey("--observed")) {
            System.out.println(proposalTime(function, sampler, Integer.parseInt(opts.get("--observed")), evals)
                    .toJson());
        } else {
            System.out.println(run(function, sampler, evals, Integer.parseInt(opts.get("--seeds"))).toJson());
        }
    }
}
