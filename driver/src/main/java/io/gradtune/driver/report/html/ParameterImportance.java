package io.gradtune.driver.report.html;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Parameter importance by permutation on a small random forest: a forest of {@value #TREES} regression trees (bootstrap
 * samples, depth at most {@value #MAX_DEPTH}, every split chosen among all parameters) is fitted to the completed
 * trials' objective; a parameter's importance is how much the forest's mean squared error on those trials grows when
 * that parameter's column is shuffled (mean of {@value #REPEATS} shuffles, negative growth counted as 0), normalized
 * to sum to 1. Categorical values are coded by first appearance, a parameter a trial lacks (inactive conditional) as
 * -1. Deterministic for a seed. With fewer than {@value #MIN_TRIALS} trials it reports nothing.
 */
public final class ParameterImportance {

    /** The method as the report names it. */
    public static final String METHOD = "permutation importance on a random forest (64 regression trees, depth <= 5, "
            + "bootstrap; MSE growth when a parameter is shuffled, 5 shuffles, normalized to sum 1)";
    static final int TREES = 64;
    static final int MAX_DEPTH = 5;
    static final int REPEATS = 5;
    static final int MIN_TRIALS = 4;
    private static final int MIN_LEAF = 2;

    private ParameterImportance() {
    }

    /** Importance per parameter (names in order), empty when there are too few trials or no variation. */
    public static Map<String, Double> of(List<String> names, List<Map<String, Object>> params, List<Double> objective,
                                         long seed) {
        Map<String, Double> out = new LinkedHashMap<>();
        int n = params.size();
        if (n < MIN_TRIALS || names.isEmpty()) {
            return out;
        }
        double[][] x = encode(names, params);
        double[] y = objective.stream().mapToDouble(Double::doubleValue).toArray();
        SplittableRandom random = new SplittableRandom(seed);
        List<Node> forest = new ArrayList<>();
        for (int t = 0; t < TREES; t++) {
            int[] rows = new int[n];
            for (int i = 0; i < n; i++) {
                rows[i] = random.nextInt(n);
            }
            forest.add(grow(x, y, rows, 0));
        }
        double base = mse(forest, x, y);
        double[] growth = new double[names.size()];
        for (int f = 0; f < names.size(); f++) {
            double sum = 0;
            for (int r = 0; r < REPEATS; r++) {
                double[][] shuffled = new double[n][];
                for (int i = 0; i < n; i++) {
                    shuffled[i] = x[i].clone();
                }
                int[] perm = permutation(n, random);
                for (int i = 0; i < n; i++) {
                    shuffled[i][f] = x[perm[i]][f];
                }
                sum += mse(forest, shuffled, y) - base;
            }
            growth[f] = Math.max(0, sum / REPEATS);
        }
        double total = Arrays.stream(growth).sum();
        for (int f = 0; f < names.size(); f++) {
            out.put(names.get(f), total > 0 ? growth[f] / total : 0.0);
        }
        return out;
    }

    static double[][] encode(List<String> names, List<Map<String, Object>> params) {
        double[][] x = new double[params.size()][names.size()];
        for (int f = 0; f < names.size(); f++) {
            Map<String, Integer> codes = new LinkedHashMap<>();
            for (int i = 0; i < params.size(); i++) {
                Object v = params.get(i).get(names.get(f));
                double code;
                if (v == null || v.toString().isEmpty()) {
                    code = -1;
                } else if (v instanceof Number num) {
                    code = num.doubleValue();
                } else {
                    Double parsed = number(v.toString());
                    code = parsed != null ? parsed : codes.computeIfAbsent(v.toString(), k -> codes.size());
                }
                x[i][f] = code;
            }
        }
        return x;
    }

    private static Double number(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static double mse(List<Node> forest, double[][] x, double[] y) {
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            double p = 0;
            for (Node tree : forest) {
                p += tree.predict(x[i]);
            }
            double d = p / forest.size() - y[i];
            s += d * d;
        }
        return s / y.length;
    }

    /** A regression tree node: a leaf ({@code feature < 0}) or a split on {@code x[feature] <= threshold}. */
    private record Node(int feature, double threshold, double value, Node left, Node right) {
        double predict(double[] row) {
            if (feature < 0) {
                return value;
            }
            return row[feature] <= threshold ? left.predict(row) : right.predict(row);
        }
    }

    private static Node grow(double[][] x, double[] y, int[] rows, int depth) {
        double mean = 0;
        for (int r : rows) {
            mean += y[r];
        }
        mean /= rows.length;
        if (depth >= MAX_DEPTH || rows.length < 2 * MIN_LEAF) {
            return new Node(-1, 0, mean, null, null);
        }
        int bestF = -1;
        double bestT = 0;
        double bestScore = sse(y, rows) - 1e-12;
        for (int f = 0; f < x[0].length; f++) {
            final int feature = f;
            int[] sorted = Arrays.stream(rows).boxed()
                    .sorted((a, b) -> Double.compare(x[a][feature], x[b][feature]))
                    .mapToInt(Integer::intValue).toArray();
            double leftSum = 0;
            double leftSq = 0;
            double totalSum = 0;
            double totalSq = 0;
            for (int r : sorted) {
                totalSum += y[r];
                totalSq += y[r] * y[r];
            }
            for (int i = 0; i < sorted.length - 1; i++) {
                double v = y[sorted[i]];
                leftSum += v;
                leftSq += v * v;
                int nl = i + 1;
                int nr = sorted.length - nl;
                if (nl < MIN_LEAF || nr < MIN_LEAF || x[sorted[i]][f] == x[sorted[i + 1]][f]) {
                    continue;
                }
                double rightSum = totalSum - leftSum;
                double score = (leftSq - leftSum * leftSum / nl) + (totalSq - leftSq - rightSum * rightSum / nr);
                if (score < bestScore) {
                    bestScore = score;
                    bestF = f;
                    bestT = (x[sorted[i]][f] + x[sorted[i + 1]][f]) / 2;
                }
            }
        }
        if (bestF < 0) {
            return new Node(-1, 0, mean, null, null);
        }
        final int f = bestF;
        final double t = bestT;
        int[] left = Arrays.stream(rows).filter(r -> x[r][f] <= t).toArray();
        int[] right = Arrays.stream(rows).filter(r -> x[r][f] > t).toArray();
        return new Node(f, t, mean, grow(x, y, left, depth + 1), grow(x, y, right, depth + 1));
    }

    private static double sse(double[] y, int[] rows) {
        double s = 0;
        double sq = 0;
        for (int r : rows) {
            s += y[r];
            sq += y[r] * y[r];
        }
        return sq - s * s / rows.length;
    }
}
