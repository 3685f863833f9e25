package io.gradtune.driver.search;

/**
 * Cholesky factorization K = L Lᵀ of a symmetric positive-definite matrix, with the solves a Gaussian process
 * needs. L is stored as jagged lower-triangular rows, so forward substitution reads memory in order.
 */
final class Cholesky {

    private final double[][] l;

    private Cholesky(double[][] l) {
        this.l = l;
    }

    /**
     * Factors {@code a}, reading only its lower triangle ({@code a[i][j]} for j ≤ i; rows may be jagged).
     *
     * @return the factorization, or null when {@code a} is not numerically positive definite
     */
    static Cholesky factor(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] li = new double[i + 1];
            double[] ai = a[i];
            for (int j = 0; j <= i; j++) {
                double[] lj = j == i ? li : l[j];
                double s = ai[j] - dot(li, lj, j);
                if (j < i) {
                    li[j] = s / lj[j];
                } else if (s > 0 && Double.isFinite(s)) {
                    li[i] = Math.sqrt(s);
                } else {
                    return null;
                }
            }
            l[i] = li;
        }
        return new Cholesky(l);
    }

    /**
     * Σ_{k<n} a[k] b[k] with four independent partial sums: the sum is a chain of dependent additions
     * otherwise, which makes it latency- rather than throughput-bound.
     */
    static double dot(double[] a, double[] b, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int k = 0;
        for (; k + 3 < n; k += 4) {
            s0 += a[k] * b[k];
            s1 += a[k + 1] * b[k + 1];
            s2 += a[k + 2] * b[k + 2];
            s3 += a[k + 3] * b[k + 3];
        }
        for (; k < n; k++) {
            s0 += a[k] * b[k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    int size() {
        return l.length;
    }

    /** L⁻¹ b. */
    double[] forward(double[] b) {
        int n = l.length;
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double[] li = l[i];
            y[i] = (b[i] - dot(li, y, i)) / li[i];
        }
        return y;
    }

    /**
     * L⁻¹ B in place for a block of right-hand sides stored as columns: {@code b[i][c]} is row i of right-hand side
     * c, for the first {@code width} columns. Row i becomes (b_i − Σ_{k<i} L_ik b_k) / L_ii, computed as vector
     * updates along the columns (b_i −= L_ik b_k for each k), so the inner loop runs over independent columns and the
     * JIT vectorizes it; the same result as {@link #forward} for each column up to rounding (the subtractions come in
     * another order).
     */
    void forwardColumns(double[][] b, int width) {
        int n = l.length;
        for (int i = 0; i < n; i++) {
            double[] li = l[i];
            double[] bi = b[i];
            for (int k = 0; k < i; k++) {
                double lik = li[k];
                double[] bk = b[k];
                for (int c = 0; c < width; c++) {
                    bi[c] -= lik * bk[c];
                }
            }
            double d = li[i];
            for (int c = 0; c < width; c++) {
                bi[c] /= d;
            }
        }
    }

    /** L⁻ᵀ y. */
    double[] backward(double[] y) {
        int n = l.length;
        double[] x = y.clone();
        for (int i = n - 1; i >= 0; i--) {
            x[i] /= l[i][i];
            double xi = x[i];
            double[] li = l[i];
            for (int k = 0; k < i; k++) {
                x[k] -= li[k] * xi;
            }
        }
        return x;
    }

    /** K⁻¹ b. */
    double[] solve(double[] b) {
        return backward(forward(b));
    }

    /** log det K = 2 Σ log Lᵢᵢ. */
    double logDeterminant() {
        double s = 0;
        for (int i = 0; i < l.length; i++) {
            s += Math.log(l[i][i]);
        }
        return 2 * s;
    }

    /** K⁻¹ as jagged lower-triangular rows ({@code [i][j]} for j ≤ i; the matrix is symmetric). */
    double[][] inverseLower() {
        int n = l.length;
        // m = L⁻¹, lower triangular, built row by row: m[i][j] = -(Σ_{k=j}^{i-1} l[i][k] m[k][j]) / l[i][i]
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] mi = new double[i + 1];
            double[] li = l[i];
            for (int k = 0; k < i; k++) {
                double lik = li[k];
                if (lik != 0) {
                    double[] mk = m[k];
                    for (int j = 0; j <= k; j++) {
                        mi[j] -= lik * mk[j];
                    }
                }
            }
            double inv = 1 / li[i];
            for (int j = 0; j < i; j++) {
                mi[j] *= inv;
            }
            mi[i] = inv;
            m[i] = mi;
        }
        // K⁻¹ = Mᵀ M: (K⁻¹)[i][j] = Σ_{k ≥ i} m[k][i] m[k][j] for j ≤ i
        double[][] inv = new double[n][];
        for (int i = 0; i < n; i++) {
            inv[i] = new double[i + 1];
        }
        for (int k = 0; k < n; k++) {
            double[] mk = m[k];
            for (int i = 0; i <= k; i++) {
                double mki = mk[i];
                if (mki != 0) {
                    double[] row = inv[i];
                    for (int j = 0; j <= i; j++) {
                        row[j] += mki * mk[j];
                    }
                }
            }
        }
        return inv;
    }
}
