package io.gradtune.driver.search;

import io.gradtune.driver.space.SearchSpace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Gaussian-process expected improvement: after a few random trials, each proposal fits a GP with a
 * {@link Matern52} ARD kernel to the observed trials (in the {@link UnitCubeEncoding} of the space, outputs
 * standardized), fits the kernel hyperparameters by maximizing the marginal likelihood
 * ({@link HyperparameterFit}), and proposes the point of highest (log) expected improvement, found among
 * random candidates and candidates near the best trials, the best of them refined by a local search. The
 * incumbent is the lowest posterior mean at a trial (the best observed value when the fitted noise is tiny),
 * which keeps one lucky noisy trial from making every other point look hopeless.
 *
 * <p>Observations: see {@link GpTrainingSet} (INFEASIBLE trials get the worst observed value, FAILED ones
 * are ignored).
 *
 * <p>Constrained EI: when the history holds INFEASIBLE trials (diagnosis feedback, {@code search.feedback: true},
 * the default), a candidate's score is log EI(x) + log P(feasible | x), expected improvement weighted by the
 * probability of feasibility of a second GP fitted to feasible/infeasible labels ({@link FeasibilityModel}; Gardner
 * et al. 2014). So proposals keep away from regions shown to diverge, explode or vanish even where the objective
 * model is uncertain. Without INFEASIBLE trials (feedback off, or none yet) the score is EI alone and the proposals
 * are exactly those of plain EI. The same model steers the random start-up once an INFEASIBLE trial is known: each
 * start-up proposal is the first of {@link #STARTUP_DRAWS} prior draws that is likely feasible (P ≥ 0.8), or the
 * most likely feasible of them when none is ({@link #randomProposal}).
 * With a {@link PathologyPrior} ({@code search.prior: tutorials}: prior knowledge, not feedback), the feasibility model
 * has the prior's mean and exists from the first proposal on: the start-up filter and constrained EI use it before any
 * trial has failed, and observed labels correct it where trials have run.
 * Warm-start observations come first in every history. Pending trials enter the GP as
 * "kriging believers" clipped at the incumbent: each at its posterior mean, but never better than the best
 * observed value, so expected improvement at and around a pending point drops and parallel slots spread out.
 * A proposal equal to a pending or finished assignment is skipped for the next-best candidate; when all are
 * taken, prior draws are tried (32 at most, as TPE does).
 *
 * <p>Cost-aware EI ({@code search.cost_aware: true}, the config's default; the constructors without the flag are plain
 * EI): the score also subtracts log c(x), c the seconds per epoch a {@link CostModel} learned from the trials, so
 * candidates are ranked by expected improvement per second (Snoek et al. 2012). Without cost data, or when every trial
 * costs the same, the proposals are exactly those of plain EI.
 *
 * <p>Repeats (see {@link Sampler}): avoided. Warm-start observations count as finished. Only when the candidates
 * and all 32 prior draws are taken (a nearly exhausted discrete space) is the last draw proposed although it
 * repeats; the sampler is never empty.
 *
 * <p>Cost: at most {@link #MAX_TRAINING_POINTS} trials are conditioned on and at most
 * {@link #MAX_FIT_POINTS} are used to fit hyperparameters (see {@link GpTrainingSet#select}); beyond
 * {@link #REFIT_ALWAYS_BELOW} usable trials, hyperparameters are refitted only once the history has grown by
 * 5% since the last fit. All randomness comes from one {@link SplittableRandom} per sampler.
 */
public final class GpSampler implements Sampler {

    /**
     * Random trials before the GP takes over: 10, the best of 3, 5, 8, 10 and 12 on Hartmann6 (median regret
     * at 50 evaluations; see BENCHMARKS.md), and the same as TPE's.
     */
    public static final int DEFAULT_STARTUP_TRIALS = 10;
    /**
     * Random draws a start-up proposal chooses from, once the feasibility model exists (an INFEASIBLE trial, or the
     * pathology prior); see {@link #randomProposal}.
     */
    static final int STARTUP_DRAWS = 8;
    /**
     * A start-up draw at least this likely feasible is taken as it comes (log of 0.8): "likely feasible". At 0.5 the
     * start-up drew 17 proposals into a region shown infeasible (GpSamplerTest's square, seeds 1-10), at 0.8 14, with
     * the most feasible of 8 every time 9; on the smart study's space under the prior, 36, 30 and 1 of 100 start-up
     * learning rates above 0.004 ({@code PriorStartupTest}).
     */
    static final double LOG_LIKELY_FEASIBLE = Math.log(0.8);
    /** Trials the GP is conditioned on at most. */
    public static final int MAX_TRAINING_POINTS = 150;
    /** Trials the hyperparameters are fitted on at most. */
    static final int MAX_FIT_POINTS = 64;
    /** Below this many usable trials, hyperparameters are refitted whenever the history grew. */
    static final int REFIT_ALWAYS_BELOW = 200;

    private static final int RANDOM_CANDIDATES = 500;
    private static final int LOCAL_SEEDS = 5;
    private static final int LOCAL_CANDIDATES_PER_SEED = 40;
    private static final int REFINED = 5;
    private static final int REFINE_STEPS = 50;
    private static final int FIT_ITERATIONS = 50;
    private static final double OUTLIER_SPREAD = 5;
    /** Mixed into the seed of the cost model's own random source. */
    private static final long COST_SEED = 0x636f737420677074L;

    private final SearchSpace space;
    private final UnitCubeEncoding encoding;
    private final SplittableRandom random;
    private final int startupTrials;
    private final List<Observation> warmStart;
    private final PathologyPrior prior;
    private final CostModel cost;
    /** The study's trial budget for the cost's cooling ({@link #costWeight}); 0: none. */
    private final int trialBudget;

    private final FinishedKeys finishedKeys = new FinishedKeys();

    private GpHyperparameters fitted;
    private int fittedAtUsable = -1;
    private GpHyperparameters feasibilityFitted;

    public GpSampler(SearchSpace space, long seed) {
        this(space, seed, DEFAULT_STARTUP_TRIALS, List.of());
    }

    /**
     * @param startupTrials random proposals until this many non-FAILED trials are known (warm start included)
     * @param warmStart     observations from an earlier run, treated as if they came first in every history
     */
    public GpSampler(SearchSpace space, long seed, int startupTrials, List<Observation> warmStart) {
        this(space, seed, startupTrials, warmStart, null);
    }

    /**
     * @param startupTrials random proposals until this many non-FAILED trials are known (warm start included)
     * @param warmStart     observations from an earlier run, treated as if they came first in every history
     * @param prior         prior knowledge of where the built-in network is pathological ({@code search.prior:
     *                      tutorials}), the prior mean of the {@link FeasibilityModel} from the first proposal on; null
     *                      (or a space that searches none of {@link PathologyPrior#NAMES}) for none
     */
    public GpSampler(SearchSpace space, long seed, int startupTrials, List<Observation> warmStart,
                     PathologyPrior prior) {
        this(space, seed, startupTrials, warmStart, prior, false);
    }

    /**
     * @param startupTrials random proposals until this many non-FAILED trials are known (warm start included)
     * @param warmStart     observations from an earlier run, treated as if they came first in every history
     * @param prior         see {@link #GpSampler(SearchSpace, long, int, List, PathologyPrior)}
     * @param costAware     rank candidates by expected improvement per second ({@link CostModel}; plain EI while the
     *                      model has too few trials with a known cost, or when every trial costs the same)
     */
    public GpSampler(SearchSpace space, long seed, int startupTrials, List<Observation> warmStart,
                     PathologyPrior prior, boolean costAware) {
        this(space, seed, startupTrials, warmStart, prior, costAware, 0);
    }

    /**
     * @param startupTrials random proposals until this many non-FAILED trials are known (warm start included)
     * @param warmStart     observations from an earlier run, treated as if they came first in every history
     * @param prior         see {@link #GpSampler(SearchSpace, long, int, List, PathologyPrior)}
     * @param costAware     see {@link #GpSampler(SearchSpace, long, int, List, PathologyPrior, boolean)}
     * @param trialBudget   the study's trial budget, over which the cost's weight cools from 1 (the first modelled
     *                      proposal) to 0 (the last trial); 0 when unknown: full weight throughout
     */
    public GpSampler(SearchSpace space, long seed, int startupTrials, List<Observation> warmStart,
                     PathologyPrior prior, boolean costAware, int trialBudget) {
        if (startupTrials < 0) {
            throw new IllegalArgumentException("needs startupTrials >= 0, got " + startupTrials);
        }
        this.space = space;
        this.encoding = new UnitCubeEncoding(space);
        this.random = new SplittableRandom(seed);
        this.startupTrials = startupTrials;
        this.warmStart = List.copyOf(warmStart);
        this.prior = prior != null && PathologyPrior.appliesTo(space) ? prior : null;
        this.cost = costAware ? new CostModel(encoding, seed ^ COST_SEED) : null;
        if (trialBudget < 0) {
            throw new IllegalArgumentException("needs trialBudget >= 0, got " + trialBudget);
        }
        this.trialBudget = trialBudget;
    }

    /**
     * The weight of the cost in the acquisition when {@code started} trials of a budget of {@code budget} have
     * been proposed (finished or running) and modelling began after {@code startup}: 1 at the start, falling
     * linearly to 0 at the budget's end ("cost cooling", Lee, Eriksson, Perrone and Seeger 2020, "Cost-aware Bayesian
     * optimization"), so the search spends its start on cheap candidates and its end on the most promising ones
     * whatever they cost; 1 when the budget is unknown (0).
     */
    static double costWeight(int started, int budget, int startup) {
        if (budget <= 0) {
            return 1.0;
        }
        double span = Math.max(1, budget - startup);
        return Math.max(0.0, Math.min(1.0, (budget - started) / span));
    }

    @Override
    public Optional<Map<String, Object>> propose(SearchHistory history) {
        ProposalContext context = ProposalContext.of(warmStart, history, finishedKeys);
        List<Observation> finished = context.finished();
        Set<AssignmentKey> taken = context.taken();

        int usable = context.usable();
        if (usable >= startupTrials && encoding.dims() > 0) {
            GpTrainingSet data = GpTrainingSet.of(finished, encoding, MAX_TRAINING_POINTS);
            Optional<Map<String, Object>> proposal = data.observed() >= 2
                    ? model(data, finished, usable, history.pending(), taken) : Optional.empty();
            if (proposal.isPresent()) {
                return proposal;
            }
        }
        return Optional.of(randomProposal(context));
    }

    /**
     * A random proposal (start-up, or no model possible). Without INFEASIBLE trials in the history: one prior draw
     * avoiding taken assignments, exactly as before. With them (diagnosis feedback): {@link #STARTUP_DRAWS} such
     * draws, and the first the {@link FeasibilityModel} of the finished trials finds likely feasible (P ≥ 0.8: a prior
     * draw restricted to the likely feasible part), or the most likely feasible one when none is; so the
     * start-up stops sampling a region it has seen diverge, explode or vanish, and is not drawn to the most feasible
     * corner of the space. (Taking the most likely feasible of the 8 did that under the pathology prior, whose
     * P(exploding) falls with the learning rate: 1 of 100 start-up rates above 0.004 on the smart study's space,
     * against 30 now, {@code PriorStartupTest}.) With a {@link PathologyPrior}, the model exists from the first
     * proposal on, so the start-up avoids what the prior finds likely pathological before any trial has failed.
     */
    private Map<String, Object> randomProposal(ProposalContext context) {
        Map<String, Object> first = context.randomAvoidingTaken(space, random);
        if (encoding.dims() == 0) {
            return first;
        }
        FeasibilityModel model = feasibility(context.finished());
        if (model == null) {
            return first;
        }
        List<Map<String, Object>> draws = new ArrayList<>(List.of(first));
        for (int i = 1; i < STARTUP_DRAWS; i++) {
            draws.add(context.randomAvoidingTaken(space, random));
        }
        double[][] points = new double[draws.size()][];
        for (int i = 0; i < points.length; i++) {
            points[i] = encoding.encode(draws.get(i));
        }
        double[] logFeasible = model.logProbability(points);
        int best = -1;
        for (int i = 0; i < points.length; i++) {
            boolean untaken = i == 0 || !context.taken().contains(AssignmentKey.of(draws.get(i)));
            if (!untaken) {
                continue;
            }
            if (logFeasible[i] >= LOG_LIKELY_FEASIBLE) {
                return draws.get(i); // a prior draw restricted to the likely feasible
            }
            if (best < 0 || logFeasible[i] > logFeasible[best]) {
                best = i;
            }
        }
        return draws.get(best);
    }

    /**
     * The best untaken candidate by expected improvement; empty when the values are all equal or every
     * candidate is taken.
     */
    private Optional<Map<String, Object>> model(GpTrainingSet data, List<Observation> finished, int usable,
                                                List<Map<String, Object>> pending, Set<AssignmentKey> taken) {
        double[] y = standardize(data.y());
        if (y == null) {
            return Optional.empty();
        }
        GpHyperparameters h = hyperparameters(data.x(), y, usable);
        GaussianProcess gp = GaussianProcess.fit(data.x(), y, h);
        double[] means = gp.trainingMeans();
        double incumbent = Double.POSITIVE_INFINITY;
        for (double m : means) {
            incumbent = Math.min(incumbent, m);
        }
        if (!pending.isEmpty()) {
            gp = withBelievers(gp, data.x(), y, pending, incumbent, h);
        }
        FeasibilityModel feasibility = feasibility(finished);
        CostModel.Prediction costs = cost == null ? null : cost.fit(finished).orElse(null);
        double weight = costWeight(finished.size() - warmStart.size() + pending.size(), trialBudget, startupTrials);
        List<Scored> candidates = candidates(new Acquisition(gp, incumbent, feasibility,
                weight > 0 ? costs : null, weight), data.x(), means);
        candidates.sort(Comparator.comparingDouble(Scored::score).reversed());
        for (Scored c : candidates) {
            Map<String, Object> a = encoding.decode(c.point());
            if (!taken.contains(AssignmentKey.of(a))) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /**
     * The feasibility model of the finished trials (its fit warm-started), or null when none is INFEASIBLE and there
     * is no prior.
     */
    private FeasibilityModel feasibility(List<Observation> finished) {
        Optional<FeasibilityModel> model = FeasibilityModel.of(finished, encoding, prior, MAX_TRAINING_POINTS,
                MAX_FIT_POINTS, feasibilityFitted, random, 2, FIT_ITERATIONS);
        model.ifPresent(m -> feasibilityFitted = m.hyperparameters());
        return model.orElse(null);
    }

    /** Reuses the last fit while the history has not grown enough, else refits (warm-started). */
    private GpHyperparameters hyperparameters(double[][] x, double[] y, int usable) {
        boolean stale = fitted == null || fitted.dims() != encoding.dims()
                || (usable != fittedAtUsable
                && (usable < REFIT_ALWAYS_BELOW || usable >= fittedAtUsable * 1.05 || usable < fittedAtUsable));
        if (stale) {
            int[] subset = GpTrainingSet.select(y, MAX_FIT_POINTS);
            double[][] fx = new double[subset.length][];
            double[] fy = new double[subset.length];
            for (int i = 0; i < subset.length; i++) {
                fx[i] = x[subset[i]];
                fy[i] = y[subset[i]];
            }
            int starts = subset.length <= 50 ? 3 : 2;
            fitted = HyperparameterFit.fit(fx, fy, fitted, random, starts, FIT_ITERATIONS);
            fittedAtUsable = usable;
        }
        return fitted;
    }

    /**
     * The GP conditioned also on the pending points, each at its posterior mean but never below the
     * incumbent (a kriging believer that cannot be more optimistic than the best trial so far).
     */
    private GaussianProcess withBelievers(GaussianProcess gp, double[][] x, double[] y,
                                          List<Map<String, Object>> pending, double incumbent,
                                          GpHyperparameters h) {
        int n = x.length;
        double[][] px = new double[n + pending.size()][];
        double[] py = new double[n + pending.size()];
        System.arraycopy(x, 0, px, 0, n);
        System.arraycopy(y, 0, py, 0, n);
        for (int i = 0; i < pending.size(); i++) {
            px[n + i] = encoding.encode(pending.get(i));
            py[n + i] = Math.max(gp.mean(px[n + i]), incumbent);
        }
        return GaussianProcess.fit(px, py, h);
    }

    /** Random candidates, candidates near the best trials, and local refinements of the best of them. */
    private List<Scored> candidates(Acquisition acquisition, double[][] x, double[] means) {
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < RANDOM_CANDIDATES; i++) {
            points.add(encoding.canonical(encoding.uniform(random)));
        }
        Integer[] order = new Integer[means.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> means[i]).thenComparingInt(i -> i));
        for (int s = 0; s < Math.min(LOCAL_SEEDS, order.length); s++) {
            for (int k = 0; k < LOCAL_CANDIDATES_PER_SEED; k++) {
                double scale = k % 2 == 0 ? 0.02 : 0.1;
                points.add(encoding.canonical(encoding.perturb(x[order[s]], scale, 0.2, random)));
            }
        }
        List<Scored> all = acquisition.score(points);
        List<Scored> best = new ArrayList<>(all);
        best.sort(Comparator.comparingDouble(Scored::score).reversed());
        all.addAll(refine(best.subList(0, Math.min(REFINED, best.size())), acquisition));
        return all;
    }

    /**
     * A (1+1) evolution strategy on the acquisition (log EI, plus log P(feasible) when constrained) from each start, run in lockstep so each step is one batched
     * prediction: the step size doubles after a success and shrinks by 0.84 after a failure.
     */
    private List<Scored> refine(List<Scored> starts, Acquisition acquisition) {
        Scored[] current = starts.toArray(new Scored[0]);
        double[] step = new double[current.length];
        java.util.Arrays.fill(step, 0.05);
        for (int it = 0; it < REFINE_STEPS; it++) {
            List<Integer> active = new ArrayList<>();
            List<double[]> trial = new ArrayList<>();
            for (int r = 0; r < current.length; r++) {
                if (step[r] > 1e-4) {
                    active.add(r);
                    trial.add(encoding.canonical(encoding.perturb(current[r].point(), step[r], 0.1, random)));
                }
            }
            if (active.isEmpty()) {
                break;
            }
            List<Scored> scored = acquisition.score(trial);
            for (int a = 0; a < active.size(); a++) {
                int r = active.get(a);
                if (scored.get(a).score() > current[r].score()) {
                    current[r] = scored.get(a);
                    step[r] = Math.min(step[r] * 2, 0.3);
                } else {
                    step[r] *= 0.84;
                }
            }
        }
        return List.of(current);
    }

    /**
     * What a candidate is ranked by: log EI of the objective GP below the incumbent, plus log P(feasible) when a
     * feasibility model is given (constrained EI), minus the predicted log seconds per epoch when a cost model is
     * given (EI per second), that log cost weighted by the cooling weight.
     *
     * @param gp          the objective GP (standardized, minimization)
     * @param incumbent   the incumbent, in the GP's units
     * @param feasibility the feasibility model, or null for plain EI
     * @param cost        the cost model, or null for EI regardless of cost
     * @param costWeight  the log cost's weight ({@link #costWeight}, in (0, 1])
     */
    private record Acquisition(GaussianProcess gp, double incumbent, FeasibilityModel feasibility,
                               CostModel.Prediction cost, double costWeight) {

        List<Scored> score(List<double[]> points) {
            double[][] q = points.toArray(new double[0][]);
            double[] mean = new double[q.length];
            double[] variance = new double[q.length];
            gp.predict(q, mean, variance);
            double[] logFeasible = feasibility == null ? null : feasibility.logProbability(q);
            List<Scored> out = new ArrayList<>(q.length);
            for (int i = 0; i < q.length; i++) {
                double s = ExpectedImprovement.log(mean[i], variance[i], incumbent);
                s = logFeasible == null ? s : s + logFeasible[i];
                out.add(new Scored(q[i], cost == null ? s : s - costWeight * cost.logCost(q[i])));
            }
            return out;
        }
    }

    /**
     * Clips outliers, then standardizes: (y − mean) / sd, or null when all values are equal. Values above
     * median + 5 (median − best) are lowered to that cap, so that one diverged-but-complete trial (a loss of
     * 1e6) does not squash every other value together after standardization. Only the bad tail is clipped.
     */
    static double[] standardize(double[] raw) {
        double[] sorted = raw.clone();
        java.util.Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        double cap = median + OUTLIER_SPREAD * (median - sorted[0]);
        double[] y = new double[raw.length];
        for (int i = 0; i < raw.length; i++) {
            y[i] = median > sorted[0] ? Math.min(raw[i], cap) : raw[i];
        }
        double mean = 0;
        for (double v : y) {
            mean += v;
        }
        mean /= y.length;
        double var = 0;
        for (double v : y) {
            var += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(var / y.length);
        if (!(sd > 0) || !Double.isFinite(sd)) {
            return null;
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = (y[i] - mean) / sd;
        }
        return y;
    }

    /** A candidate point (canonical) and its acquisition value (log EI, constrained when feasibility is known). */
    private record Scored(double[] point, double score) {
    }
}
