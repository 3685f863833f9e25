package io.gradtune.driver.diagnose;

import io.gradtune.driver.space.CategoricalParameter;
import io.gradtune.driver.space.FixedParameter;
import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.IntParameter;
import io.gradtune.driver.space.Parameter;
import io.gradtune.driver.space.SearchSpace;
import io.gradtune.worker.model.HyperParameters;
import io.gradtune.worker.stopping.Format;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tutorials' fixes that apply to a diagnosed trial: for each {@link DiagnosisKind}, the fixes the trial does not
 * have yet (a ReLU-family activation is not suggested to a ReLU network, batch norm not to one that has it), each
 * with the parameter change it implies, checked against the study's search space. Parameters are read as the
 * network builder reads them ({@link HyperParameters}), so an unset parameter has the builder's default; the input
 * scaling is the trial's {@code scaling} or else the data section's.
 *
 * <p>Kinds and their fixes, in this order: VANISHING_GRADIENT: ReLU-family activation, the init matched to the
 * activation, batch norm, residual connections, fewer layers. EXPLODING_GRADIENT: a lower rate, gradient clipping,
 * input scaling, batch norm. DEAD_UNITS: leakyrelu/elu, a lower rate, He init. SATURATION: ReLU-family activation,
 * batch norm, input scaling. UNSTABLE: a lower rate, larger batches. UNDERFITTING: wider layers, one more layer, a
 * higher rate, less regularization. OVERFITTING: dropout, L2, narrower layers. HEALTHY: none. Early stopping is never
 * suggested: every trial's objective is already read at its best epoch.
 */
public final class Remedies {

    private static final Set<String> RELU_FAMILY = Set.of("relu", "leakyrelu", "elu", "gelu", "prelu");
    private static final Set<String> SQUASHING = Set.of("sigmoid", "tanh");

    private final SearchSpace space;
    private final String dataScaling;

    /**
     * @param space       the study's search space: decides {@link Remedy#inSpace()} and, where a fix can take several
     *                    values, which one (the space's value nearest the tutorials' choice)
     * @param dataScaling the data section's input scaling ({@code standard}, {@code minmax}, {@code none}), used where
     *                    a trial does not set {@code scaling}
     */
    public Remedies(SearchSpace space, String dataScaling) {
        this.space = space;
        this.dataScaling = dataScaling;
    }

    /**
     * The fixes for every kind of a diagnosis, most severe kind first, each fix once. A fix that changes a parameter
     * an earlier fix already changes to another value is left out (an exploding and underfitting trial gets a lower
     * rate, not also a higher one).
     */
    public List<Remedy> forDiagnosis(Diagnosis diagnosis, Map<String, Object> params) {
        List<Remedy> out = new ArrayList<>();
        Map<String, Object> changed = new HashMap<>();
        for (DiagnosisKind kind : diagnosis.all()) {
            for (Remedy r : forKind(kind, params)) {
                boolean seen = out.stream().anyMatch(o -> o.id().equals(r.id()));
                boolean conflicts = r.change().entrySet().stream().anyMatch(e -> changed.containsKey(e.getKey())
                        && !SearchSpace.sameValue(changed.get(e.getKey()), e.getValue()));
                if (!seen && !conflicts) {
                    out.add(r);
                    changed.putAll(r.change());
                }
            }
        }
        return out;
    }

    /**
     * The fixes for one kind that would change this trial, in the order of the class comment; empty for HEALTHY and
     * for parameters the network builder would reject.
     */
    public List<Remedy> forKind(DiagnosisKind kind, Map<String, Object> params) {
        HyperParameters h;
        try {
            h = HyperParameters.from(params);
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        Fixes f = new Fixes(params, h);
        switch (kind) {
            case VANISHING_GRADIENT -> {
                f.reluFamily();
                f.matchedInit();
                f.batchNorm();
                f.residual();
                f.fewerLayers();
            }
            case EXPLODING_GRADIENT -> {
                f.lowerRate();
                f.clipping();
                f.inputScaling();
                f.batchNorm();
            }
            case DEAD_UNITS -> {
                f.leakyActivation();
                f.lowerRate();
                f.heInit();
            }
            case SATURATION -> {
                f.reluFamily();
                f.batchNorm();
                f.inputScaling();
            }
            case UNSTABLE -> {
                f.lowerRate();
                f.largerBatch();
            }
            case UNDERFITTING -> {
                f.moreUnits();
                f.moreLayers();
                f.higherRate();
                f.lessRegularization();
            }
            case OVERFITTING -> {
                f.dropout();
                f.l2();
                f.fewerUnits();
            }
            case HEALTHY -> {
            }
        }
        return List.copyOf(f.out);
    }

    /** The fixes found for one trial, appended in order. */
    private final class Fixes {
        private final Map<String, Object> params;
        private final HyperParameters h;
        private final List<Remedy> out = new ArrayList<>();

        Fixes(Map<String, Object> params, HyperParameters h) {
            this.params = params;
            this.h = h;
        }

        void reluFamily() {
            if (SQUASHING.contains(h.activation())) {
                add("relu_family", "a ReLU-family activation (relu, leakyrelu, elu) instead of " + h.activation()
                        + ": its gradient does not shrink or saturate for positive inputs",
                        Map.of("activation", choice("activation", "relu", "leakyrelu", "elu")));
            }
        }

        void leakyActivation() {
            if (!h.activation().equals("leakyrelu") && !h.activation().equals("elu")) {
                add("leaky_activation", "leakyrelu or elu instead of " + h.activation()
                        + ": a unit with negative inputs keeps a gradient and can come back",
                        Map.of("activation", choice("activation", "leakyrelu", "elu")));
            }
        }

        void matchedInit() {
            if (RELU_FAMILY.contains(h.activation())) {
                heInit();
            } else if (!h.weightInit().equals("xavier")) {
                add("xavier_init", "Xavier init instead of " + h.weightInit() + ": it keeps the signal's variance through "
                        + h.activation() + " layers", Map.of("weight_init", "xavier"));
            }
        }

        void heInit() {
            if (RELU_FAMILY.contains(h.activation()) && !h.weightInit().equals("he")) {
                add("he_init", "He init instead of " + h.weightInit() + ": it keeps the signal's variance through "
                        + h.activation() + " layers", Map.of("weight_init", "he"));
            }
        }

        void batchNorm() {
            if (!h.batchNorm()) {
                add("batch_norm", "batch normalization after every hidden layer", Map.of("batch_norm", true));
            }
        }

        void residual() {
            List<Integer> units = h.unitsPerLayer();
            boolean equalNeighbours = false;
            for (int i = 1; i < units.size(); i++) {
                equalNeighbours |= units.get(i).equals(units.get(i - 1));
            }
            if (h.connections().equals("plain") && units.size() >= 3 && equalNeighbours) {   // dense has skips too
                add("residual", "residual connections between the " + units.size()
                        + " hidden layers (identity skips between layers of equal width)", Map.of("residual", true));
            }
        }

        void fewerLayers() {
            int depth = h.unitsPerLayer().size();
            if (depth >= 4) {
                Object fewer = toward("layers", Math.max(2, depth / 2), depth, true);
                add("fewer_layers", "fewer layers: " + fewer + " instead of " + depth, Map.of("layers", fewer));
            }
        }

        void moreLayers() {
            int depth = h.unitsPerLayer().size();
            if (depth < HyperParameters.MAX_LAYERS) {
                Object more = toward("layers", depth + 1, depth, true);
                add("more_layers", "one more hidden layer: " + more + " instead of " + depth, Map.of("layers", more));
            }
        }

        void moreUnits() {
            widths("more_units", "wider layers", 2.0);
        }

        void fewerUnits() {
            widths("fewer_units", "narrower layers", 0.5);
        }

        /** Every width scaled by {@code factor}: {@code units}, or each {@code units_k} the trial sets. */
        private void widths(String id, String what, double factor) {
            Map<String, Object> change = new LinkedHashMap<>();
            List<String> parts = new ArrayList<>();
            List<Integer> units = h.unitsPerLayer();
            for (int k = 1; k <= units.size(); k++) {
                String name = params.containsKey("units_" + k) ? "units_" + k : "units";
                int now = units.get(k - 1);
                int target = Math.max(1, (int) Math.round(now * factor));
                if (target != now && !change.containsKey(name)) {
                    Object v = toward(name, target, now, true);
                    change.put(name, v);
                    parts.add(name + " " + v + " instead of " + now);
                }
            }
            if (!change.isEmpty()) {
                add(id, what + ": " + String.join(", ", parts), change);
            }
        }

        void lowerRate() {
            rate("lower_learning_rate", "a lower learning rate", 0.1);
        }

        void higherRate() {
            rate("higher_learning_rate", "a higher learning rate", 10);
        }

        private void rate(String id, String what, double factor) {
            double now = h.learningRate();
            Object v = toward("learning_rate", round(now * factor), now, false);
            double target = ((Number) v).doubleValue();
            String how = Math.abs(target - round(now * factor)) < 1e-12 * now
                    ? "x" + Format.num(factor) : "the nearest the space allows";
            add(id, what + ": " + Format.num(target) + " instead of " + Format.num(now) + " (" + how + ")",
                    Map.of("learning_rate", v));
        }

        void largerBatch() {
            int now = h.batchSize();
            Object v = toward("batch_size", now * 2, now, true);
            add("larger_batch", "larger mini-batches: " + v + " instead of " + now + ", for less noisy steps",
                    Map.of("batch_size", v));
        }

        void clipping() {
            if (h.gradientClip() == 0) {
                Object v = toward("gradient_clip", 1.0, 0, false);
                add("gradient_clipping", "gradient clipping: each layer's gradient L2 norm limited to "
                        + Format.num(((Number) v).doubleValue()), Map.of("gradient_clip", v));
            }
        }

        void inputScaling() {
            String scaling = h.scaling() != null ? h.scaling() : dataScaling;
            if ("none".equals(scaling)) {
                add("input_scaling", "input scaling: standardize the features instead of feeding them raw",
                        Map.of("scaling", choice("scaling", "standard", "minmax")));
            }
        }

        void lessRegularization() {
            Map<String, Object> change = new LinkedHashMap<>();
            List<String> parts = new ArrayList<>();
            lessOf("dropout", h.dropout(), 0.5, change, parts);
            lessOf("l2", h.l2(), 0.1, change, parts);
            lessOf("l1", h.l1(), 0.1, change, parts);
            if (!change.isEmpty()) {
                add("less_regularization", "less regularization: " + String.join(", ", parts), change);
            }
        }

        private void lessOf(String name, double now, double factor, Map<String, Object> change, List<String> parts) {
            if (now > 0) {
                Object v = toward(name, round(now * factor), now, false);
                change.put(name, v);
                parts.add(name + " " + Format.num(((Number) v).doubleValue()) + " instead of " + Format.num(now));
            }
        }

        void dropout() {
            if (h.dropout() == 0) {
                Object v = toward("dropout", 0.2, 0, false);
                add("dropout", "dropout " + Format.num(((Number) v).doubleValue()) + " on the hidden layers",
                        Map.of("dropout", v));
            }
        }

        void l2() {
            if (h.l2() == 0) {
                Object v = toward("l2", 1e-4, 0, false);
                add("l2", "L2 weight decay " + Format.num(((Number) v).doubleValue()), Map.of("l2", v));
            }
        }

        private void add(String id, String text, Map<String, Object> change) {
            Map<String, Object> after = new LinkedHashMap<>(params);
            after.putAll(change);
            boolean inSpace = change.entrySet().stream().allMatch(e -> allows(e.getKey(), e.getValue(), after));
            out.add(new Remedy(id, text, change, inSpace));
        }
    }

    /** The first of {@code preferred} the space allows for {@code name}, else the first. */
    private Object choice(String name, String... preferred) {
        for (String v : preferred) {
            if (allows(name, v, Map.of())) {
                return v;
            }
        }
        return preferred[0];
    }

    /**
     * A value for {@code name} near {@code target} on the same side of {@code now} as the target: the target when
     * the space allows it, else the space's value nearest to it that is still a move from {@code now} in that
     * direction, else the target (outside the space).
     */
    private Object toward(String name, double target, double now, boolean integer) {
        Object fallback = integer ? (Object) (int) Math.round(target) : (Object) target;
        Parameter p = find(name);
        double up = Math.signum(target - now);
        Double best = null;
        if (p instanceof FloatParameter f) {
            best = Math.max(f.low(), Math.min(f.high(), target));
        } else if (p instanceof IntParameter i) {
            best = (double) Math.max(i.low(), Math.min(i.high(), Math.round(target)));
        } else if (p instanceof CategoricalParameter c) {
            for (Object o : c.choices()) {
                if (o instanceof Number n && Math.signum(n.doubleValue() - now) == up
                        && (best == null || Math.abs(n.doubleValue() - target) < Math.abs(best - target))) {
                    best = n.doubleValue();
                }
            }
        }
        if (best == null || Math.signum(best - now) != up) {
            return fallback;
        }
        return integer || p instanceof IntParameter ? (Object) (int) Math.round(best) : (Object) best;
    }

    /** True when the space has {@code name}, active given {@code assignment}, and it can take {@code value}. */
    private boolean allows(String name, Object value, Map<String, Object> assignment) {
        Parameter p = find(name);
        if (p == null || (!assignment.isEmpty() && !space.isActive(p, assignment))) {
            return false;
        }
        if (p instanceof FixedParameter f) {
            return SearchSpace.sameValue(f.value(), value);
        }
        if (p instanceof CategoricalParameter c) {
            return c.indexOf(value) >= 0;
        }
        if (!(value instanceof Number n)) {
            return false;
        }
        double v = n.doubleValue();
        if (p instanceof FloatParameter f) {
            return v >= f.low() && v <= f.high();
        }
        IntParameter i = (IntParameter) p;
        return v == Math.rint(v) && v >= i.low() && v <= i.high();
    }

    private Parameter find(String name) {
        return space.parameters().stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }

    /** Three significant digits, so a suggested rate reads 0.003, not 0.0030000000000000005. */
    private static double round(double v) {
        return Double.parseDouble(Format.num(v));
    }
}
