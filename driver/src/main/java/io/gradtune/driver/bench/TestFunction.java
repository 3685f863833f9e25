package io.gradtune.driver.bench;

import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.Parameter;
import io.gradtune.driver.space.SearchSpace;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * A cheap objective with a known minimum, so a sampler can be judged by regret (best found minus minimum)
 * without training anything.
 *
 * @param name      function name
 * @param space     the box it is defined on
 * @param objective the function, reading the space's parameters from an assignment
 * @param minimum   the known global minimum
 */
public record TestFunction(String name, SearchSpace space, ToDoubleFunction<Map<String, Object>> objective,
                           double minimum) {

    private static final double[] H6_ALPHA = {1.0, 1.2, 3.0, 3.2};
    private static final double[][] H6_A = {
            {10, 3, 17, 3.5, 1.7, 8},
            {0.05, 10, 17, 0.1, 8, 14},
            {3, 3.5, 1.7, 10, 17, 8},
            {17, 8, 0.05, 10, 0.1, 14}};
    private static final double[][] H6_P = {
            {0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886},
            {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
            {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650},
            {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}};

    public double evaluate(Map<String, Object> assignment) {
        return objective.applyAsDouble(assignment);
    }

    /** Branin-Hoo on x1 in [-5, 10], x2 in [0, 15]: three global minima of 0.397887. */
    public static TestFunction branin() {
        SearchSpace space = new SearchSpace(List.of(
                new FloatParameter("x1", -5, 10, false, null),
                new FloatParameter("x2", 0, 15, false, null)));
        return new TestFunction("branin", space, a -> {
            double x1 = x(a, "x1");
            double x2 = x(a, "x2");
            double b = 5.1 / (4 * Math.PI * Math.PI);
            double c = 5 / Math.PI;
            double t = 1 / (8 * Math.PI);
            double q = x2 - b * x1 * x1 + c * x1 - 6;
            return q * q + 10 * (1 - t) * Math.cos(x1) + 10;
        }, 0.397887);
    }

    /** Hartmann 6-D on [0, 1]^6: one global minimum of -3.32237. */
    public static TestFunction hartmann6() {
        List<Parameter> params = new ArrayList<>();
        for (int j = 1; j <= 6; j++) {
            params.add(new FloatParameter("x" + j, 0, 1, false, null));
        }
        return new TestFunction("hartmann6", new SearchSpace(params), a -> {
            double sum = 0;
            for (int i = 0; i < 4; i++) {
                double inner = 0;
                for (int j = 0; j < 6; j++) {
                    double d = x(a, "x" + (j + 1)) - H6_P[i][j];
                    inner += H6_A[i][j] * d * d;
                }
                sum += H6_ALPHA[i] * Math.exp(-inner);
            }
            return -sum;
        }, -3.32237);
    }

    /** "branin" or "hartmann6". */
    public static TestFunction byName(String name) {
        return switch (name) {
            case "branin" -> branin();
            case "hartmann6" -> hartmann6();
            default -> throw new IllegalArgumentException("unknown test function '" + name
                    + "'; expected branin or hartmann6");
        };
    }

    private static double x(Map<String, Object> assignment, String name) {
        return ((Number) assignment.get(name)).doubleValue();
    }
}
