package io.gradtune.driver.search;

import io.gradtune.driver.space.Parameter;
import io.gradtune.driver.space.SearchSpace;
import io.gradtune.worker.model.HyperParameters;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Prior knowledge, not feedback: the probability, before any trial has run, that the built-in network
 * ({@link HyperParameters}) with a given assignment vanishes or explodes, from the tutorials' rules that the
 * diagnosis's remedies encode (Glorot and Bengio 2010; He et al. 2015; Ioffe and Szegedy 2015; Goodfellow et al.,
 * Deep Learning, ch. 8). {@code search.prior: tutorials} makes it the prior mean of the bayesian sampler's
 * {@link FeasibilityModel}, whose Gaussian process on the observed labels then corrects it where trials have run.
 *
 * <p>P(pathological) = 1 − (1 − P(vanishing)) (1 − P(exploding)), each a logistic function of a score:
 * <ul>
 *   <li><b>Vanishing</b>: each hidden layer costs a share of a "vanishing budget" of 1: a sigmoid layer
 *   {@value #SIGMOID_SHARE} (its derivative is at most 1/4: about five such layers vanish, whatever the init), a layer
 *   with the naive N(0, 0.01²) init ({@code normal_small}) {@value #SMALL_INIT_SHARE} (the signal shrinks each layer:
 *   about seven, whatever the activation), a ReLU-family layer without He init {@value #RELU_UNMATCHED_SHARE} (half the
 *   variance lost per layer). Batch norm multiplies the sum by {@value #BATCH_NORM_FACTOR}, residual or dense connections by
 *   {@value #RESIDUAL_FACTOR}. P(vanishing) = logistic((sum − 1) / {@value #VANISHING_WIDTH}).</li>
 *   <li><b>Exploding</b>: the learning rate against a depth-dependent limit, in decades. The limit is the optimizer's
 *   {@link #rateLimit}: plain SGD {@value #SGD_LIMIT} (far above its usual 0.01-0.1), nesterov the same times
 *   (1 − momentum) (momentum multiplies the step by 1 / (1 − momentum)), the Adam family (adam, nadam, rmsprop)
 *   {@value #ADAPTIVE_LIMIT} (usual 1e-4-1e-2); times sqrt(2 / layers) (the largest stable step falls as the
 *   curvature grows with depth); times {@value #TANH_TOLERANCE} for tanh and {@value #SIGMOID_TOLERANCE} for sigmoid
 *   (bounded derivatives); times {@value #CLIP_TOLERANCE} with gradient clipping and {@value #BATCH_NORM_TOLERANCE}
 *   with batch norm. P(exploding) = logistic(log10(rate / limit) / {@value #EXPLODING_WIDTH}).</li>
 * </ul>
 * The constants are round numbers from those rules, not fitted to any benchmark; BENCHMARKS.md ("Steering (issue 11)",
 * "A pathology prior") shows how they compare with the trials of earlier steering runs.
 *
 * <p>Parameters not in the assignment take the study's fixed training values, then the builder's defaults, as the
 * network builder reads them. The prior applies only to a space that searches at least one of {@link #NAMES}
 * ({@link #appliesTo}) and only to the built-in network: for a user's own model the parameter names are the model's,
 * and no prior is used. An assignment the builder would reject gets 1/2 (neutral).
 */
public final class PathologyPrior {

    /** The built-in network's parameters the prior reads. */
    public static final Set<String> NAMES = Set.of("layers", "activation", "weight_init", "learning_rate",
            "optimizer", "momentum", "batch_norm", "residual", "connections", "gradient_clip");

    static final double SIGMOID_SHARE = 0.2;
    static final double SMALL_INIT_SHARE = 0.14;
    static final double RELU_UNMATCHED_SHARE = 0.03;
    static final double BATCH_NORM_FACTOR = 0.25;
    static final double RESIDUAL_FACTOR = 0.4;
    static final double VANISHING_WIDTH = 0.15;
    static final double SGD_LIMIT = 1.5;
    static final double ADAPTIVE_LIMIT = 0.03;
    static final double TANH_TOLERANCE = 2;
    static final double SIGMOID_TOLERANCE = 4;
    static final double CLIP_TOLERANCE = 4;
    static final double BATCH_NORM_TOLERANCE = 2;
    static final double EXPLODING_WIDTH = 0.25;

    private static final Set<String> RELU_FAMILY = Set.of("relu", "leakyrelu", "elu", "gelu", "prelu");

    private final Map<String, Object> fixed;

    private PathologyPrior(Map<String, Object> fixed) {
        this.fixed = Map.copyOf(fixed);
    }

    /**
     * The tutorials' prior for the built-in network.
     *
     * @param fixed the study's fixed training values ({@code training:} section), used where an assignment does not
     *              set a parameter
     */
    public static PathologyPrior tutorials(Map<String, Object> fixed) {
        return new PathologyPrior(fixed);
    }

    /** True when the space searches (not only fixes) at least one parameter the prior reads. */
    public static boolean appliesTo(SearchSpace space) {
        return space.searched().stream().map(Parameter::name).anyMatch(NAMES::contains);
    }

    /** P(pathological) a priori: vanishing or exploding. 1/2 for an assignment the network builder rejects. */
    public double pathological(Map<String, ?> assignment) {
        HyperParameters h = read(assignment);
        if (h == null) {
            return 0.5;
        }
        return 1 - (1 - vanishing(h)) * (1 - exploding(h));
    }

    /** P(vanishing) a priori, or 1/2 for an assignment the network builder rejects. */
    public double vanishing(Map<String, ?> assignment) {
        HyperParameters h = read(assignment);
        return h == null ? 0.5 : vanishing(h);
    }

    /** P(exploding) a priori, or 1/2 for an assignment the network builder rejects. */
    public double exploding(Map<String, ?> assignment) {
        HyperParameters h = read(assignment);
        return h == null ? 0.5 : exploding(h);
    }

    private HyperParameters read(Map<String, ?> assignment) {
        Map<String, Object> p = new HashMap<>(fixed);
        p.putAll(assignment);
        try {
            return HyperParameters.from(p);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static double vanishing(HyperParameters h) {
        double perLayer = 0;
        if (h.activation().equals("sigmoid")) {
            perLayer += SIGMOID_SHARE;
        }
        if (h.weightInit().equals("normal_small")) {
            perLayer += SMALL_INIT_SHARE;
        }
        if (RELU_FAMILY.contains(h.activation()) && !h.weightInit().equals("he")) {
            perLayer += RELU_UNMATCHED_SHARE;
        }
        double sum = perLayer * h.unitsPerLayer().size();
        if (h.batchNorm()) {
            sum *= BATCH_NORM_FACTOR;
        }
        if (!h.connections().equals("plain")) {   // residual or dense: a short path to the loss
            sum *= RESIDUAL_FACTOR;
        }
        return logistic((sum - 1) / VANISHING_WIDTH);
    }

    private static double exploding(HyperParameters h) {
        double limit = rateLimit(h.optimizer(), h.momentum()) * Math.sqrt(2.0 / h.unitsPerLayer().size());
        if (h.activation().equals("tanh")) {
            limit *= TANH_TOLERANCE;
        } else if (h.activation().equals("sigmoid")) {
            limit *= SIGMOID_TOLERANCE;
        }
        if (h.gradientClip() > 0) {
            limit *= CLIP_TOLERANCE;
        }
        if (h.batchNorm()) {
            limit *= BATCH_NORM_TOLERANCE;
        }
        return logistic(Math.log10(h.learningRate() / limit) / EXPLODING_WIDTH);
    }

    /**
     * The rate at which a two-layer ReLU network with this optimizer is as likely to explode as not: plain SGD
     * {@value #SGD_LIMIT}, nesterov that times (1 − momentum), the Adam family {@value #ADAPTIVE_LIMIT}.
     */
    static double rateLimit(String optimizer, double momentum) {
        return switch (optimizer) {
            case "sgd" -> SGD_LIMIT;
            case "nesterov" -> SGD_LIMIT * Math.max(1 - momentum, 0.01);
            default -> ADAPTIVE_LIMIT;
        };
    }

    /** Equal when built from the same fixed values: the same prior. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PathologyPrior p && p.fixed.equals(fixed);
    }

    @Override
    public int hashCode() {
        return fixed.hashCode();
    }

    @Override
    public String toString() {
        return "PathologyPrior[tutorials, fixed=" + fixed + "]";
    }

    private static double logistic(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
