package io.gradtune.driver.bench;

import io.gradtune.driver.search.Observation;
import io.gradtune.driver.search.RandomSampler;
import io.gradtune.driver.search.Sampler;
import io.gradtune.driver.search.SamplerOptions;
import io.gradtune.driver.search.Samplers;
import io.gradtune.driver.search.SearchHistory;
import io.gradtune.driver.space.FloatParameter;
import io.gradtune.worker.protocol.Quantiles;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;

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
        return run(function, sampler, evals, seeds, 0);
    }

    /**
     * {@code evals} evaluations for each of {@code seeds} seeds with {@code pending} trials always running, as a
     * study with that many more slots than one runs them: each proposal is made with the last {@code pending}
     * proposals still pending (the sampler sees them as {@link SearchHistory#pending()}, oldest first), and then the
     * oldest pending one is evaluated; at the end the ones still pending are evaluated. The best value at a checkpoint
     * is the best of the evaluations finished by then. {@code pending} 0 is the sequential run, exactly.
     */
    public static BenchmarkResult run(String function, String sampler, int evals, int seeds, int pending) {
        if (evals < 1 || seeds < 1 || pending < 0) {
            throw new IllegalArgumentException("needs evals >= 1, seeds >= 1 and pending >= 0");
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
            java.util.ArrayDeque<Map<String, Object>> running = new java.util.ArrayDeque<>();
            double best = Double.POSITIVE_INFINITY;
            for (int i = 1; i <= evals; i++) {
                long start = System.nanoTime();
                Optional<Map<String, Object>> next = s.propose(new SearchHistory(finished, List.copyOf(running)));
                nanos += System.nanoTime() - start;
                proposals++;
                next.ifPresent(running::addLast);
                while (running.size() > pending || (i == evals && !running.isEmpty())) {
                    Map<String, Object> done = running.removeFirst();
                    double value = f.evaluate(done);
                    finished.add(new Observation(done, value, Observation.Kind.COMPLETED));
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
        return proposalTime(function, sampler, observed, proposals, false);
    }

    /**
     * {@link #proposalTime(String, String, int, int)}, with {@code costs} each observed trial also carrying a cost
     * per epoch that varies over the space (0.05 s at the low end of the first parameter to 0.45 s at its high end,
     * the spread of the issue 14 space), so the bayesian sampler's cost model ({@code search.cost_aware}) is fitted
     * and used as in a real study; without, the history has no costs and the model is idle.
     */
    public static ProposalTiming proposalTime(String function, String sampler, int observed, int proposals,
                                              boolean costs) {
        TestFunction f = TestFunction.byName(function);
        RandomSampler filler = new RandomSampler(f.space(), 1);
        List<Observation> finished = new ArrayList<>();
        for (int i = 0; i < observed; i++) {
            Map<String, Object> a = filler.propose(SearchHistory.empty()).orElseThrow();
            finished.add(new Observation(a, f.evaluate(a), Observation.Kind.COMPLETED, null,
                    costs ? syntheticCost(f, a) : Double.NaN));
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

    /** 0.05 s per epoch at the low end of the space's first (float) parameter, 9 times that at its high end. */
    static double syntheticCost(TestFunction f, Map<String, Object> a) {
        FloatParameter p = (FloatParameter) f.space().parameters().get(0);
        double u = (((Number) a.get(p.name())).doubleValue() - p.low()) / (p.high() - p.low());
        return 0.05 * Math.pow(9, u);
    }

    /**
     * Runs {@link Command} on {@code args} ({@code --help} lists the options) and exits with its code: one JSON line,
     * a {@link BenchmarkResult}, or with {@code --observed N} a {@link ProposalTiming}.
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new Command()).execute(args));
    }

    /**
     * The benchmark's command line, defined once: {@code gradtune bench samplers} runs this class as its subcommand
     * and {@link #main} runs it directly. An unknown function or sampler is a usage error (exit code 2).
     */
    @CommandLine.Command(name = "samplers", mixinStandardHelpOptions = true,
            description = "Run a sampler on a test function (branin, hartmann6) over several seeds; print JSON.")
    public static final class Command implements Callable<Integer> {

        /** Timed proposals of a {@code --observed} run (after a few untimed ones). */
        public static final int TIMED_PROPOSALS = 200;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--function", defaultValue = "branin", description = "branin or hartmann6 (default ${DEFAULT-VALUE}).")
        String function;

        @Option(names = "--sampler", defaultValue = "bayesian",
                description = "random, bayesian (= gp, Gaussian-process EI), gp, tpe or grid (default ${DEFAULT-VALUE}).")
        String sampler;

        @Option(names = "--evals", defaultValue = "50", description = "Evaluations per seed (default ${DEFAULT-VALUE}).")
        int evals;

        @Option(names = "--seeds", defaultValue = "20", description = "Number of seeds (default ${DEFAULT-VALUE}).")
        int seeds;

        @Option(names = "--pending", defaultValue = "0", description = "Trials kept running while the sampler "
                + "proposes (a study with this many more slots than one): each proposal sees the last N as pending, "
                + "then the oldest is evaluated (default ${DEFAULT-VALUE}: sequential).")
        int pending;

        @Option(names = "--observed", description = "Instead: time " + TIMED_PROPOSALS + " proposals with this many "
                + "observed random trials (--evals and --seeds are not used).")
        Integer observed;

        @Option(names = "--costs", description = "With --observed: the observed trials carry a cost per epoch that "
                + "varies over the space, so the bayesian sampler's cost model (search.cost_aware) runs.")
        boolean costs;

        @Override
        public Integer call() {
            if (evals < 1 || seeds < 1 || pending < 0) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--evals and --seeds must be at least 1, --pending at least 0");
            }
            try {
                if (observed != null) {
                    System.out.println(proposalTime(function, sampler, observed, TIMED_PROPOSALS, costs).toJson());
                } else {
                    System.out.println(run(function, sampler, evals, seeds, pending).toJson());
                }
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            return CommandLine.ExitCode.OK;
        }
    }
}
