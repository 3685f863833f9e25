package io.gradtune.worker.data;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealVector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A principal component analysis fitted on a training part's (cleaned and scaled) features: the eigenvectors of their
 * covariance matrix with the largest eigenvalues (commons-math's symmetric {@link EigenDecomposition}), each with its
 * sign fixed so that its largest-magnitude weight is positive, so the same rows always give the same basis.
 * {@link #apply} centres rows with the training mean and projects them: {@code z = (x - mean) . basis^T}.
 *
 * @param mean      per input column mean of the training rows
 * @param basis     the components, row-major, {@code components x inputs}
 * @param explained the share of the training variance the components explain, in [0, 1]
 */
public record Pca(float[] mean, float[] basis, double explained) {

    /** The number of components (output columns). */
    public int components() {
        return mean.length == 0 ? 0 : basis.length / mean.length;
    }

    /** The number of input columns. */
    public int inputs() {
        return mean.length;
    }

    /**
     * Fits the PCA of {@code rows x cols} row-major features.
     *
     * @param components an integer {@code 1..cols} or a variance fraction in (0, 1)
     * @throws IllegalArgumentException when more components are asked for than there are columns
     */
    public static Pca fit(float[] x, int rows, int cols, double components) {
        if (components >= 1 && components > cols) {
            throw new IllegalArgumentException("pca_components = " + (long) components + ": the data has " + cols
                    + " feature columns, expected 1.." + cols + " (or a variance fraction in (0, 1))");
        }
        double[] mean = new double[cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                mean[c] += x[r * cols + c];
            }
        }
        for (int c = 0; c < cols; c++) {
            mean[c] /= Math.max(1, rows);
        }
        double[][] cov = new double[cols][cols];
        double[] centred = new double[cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                centred[c] = x[r * cols + c] - mean[c];
            }
            for (int a = 0; a < cols; a++) {
                double va = centred[a];
                if (va == 0) {
                    continue;
                }
                double[] row = cov[a];
                for (int b = a; b < cols; b++) {
                    row[b] += va * centred[b];
                }
            }
        }
        double denom = Math.max(1, rows - 1);
        for (int a = 0; a < cols; a++) {
            for (int b = a; b < cols; b++) {
                cov[a][b] /= denom;
                cov[b][a] = cov[a][b];
            }
        }
        EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(cov, false));
        double[] values = eig.getRealEigenvalues();
        Integer[] order = new Integer[cols];
        for (int i = 0; i < cols; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -values[i]).thenComparingInt(i -> i));
        double total = 0;
        for (double v : values) {
            total += Math.max(0, v);
        }
        int k;
        if (components >= 1) {
            k = (int) components;
        } else {
            k = cols;
            double sum = 0;
            for (int i = 0; i < cols; i++) {
                sum += Math.max(0, values[order[i]]);
                if (total <= 0 || sum / total >= components - 1e-12) {
                    k = i + 1;
                    break;
                }
            }
        }
        float[] basis = new float[k * cols];
        double kept = 0;
        for (int i = 0; i < k; i++) {
            RealVector v = eig.getEigenvector(order[i]);
            int biggest = 0;
            for (int c = 1; c < cols; c++) {
                if (Math.abs(v.getEntry(c)) > Math.abs(v.getEntry(biggest)) + 1e-12) {
                    biggest = c;
                }
            }
            double sign = v.getEntry(biggest) < 0 ? -1 : 1;
            double norm = v.getNorm();
            for (int c = 0; c < cols; c++) {
                basis[i * cols + c] = (float) (sign * v.getEntry(c) / norm);
            }
            kept += Math.max(0, values[order[i]]);
        }
        float[] m = new float[cols];
        for (int c = 0; c < cols; c++) {
            m[c] = (float) mean[c];
        }
        return new Pca(m, basis, total <= 0 ? 1 : kept / total);
    }

    /** Fits the PCA of a table's features. */
    public static Pca fit(Table t, double components) {
        return fit(t.features(), t.rows(), t.columns(), components);
    }

    /** The projection of {@code rows x inputs} row-major features: {@code rows x components}. */
    public float[] apply(float[] x, int rows) {
        int d = inputs();
        int k = components();
        if (x.length != (long) rows * d) {
            throw new IllegalArgumentException("rows have " + (rows == 0 ? 0 : x.length / rows) + " columns, the PCA "
                    + "was fitted on " + d);
        }
        float[] out = new float[rows * k];
        double[] centred = new double[d];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < d; c++) {
                centred[c] = x[r * d + c] - mean[c];
            }
            for (int j = 0; j < k; j++) {
                double s = 0;
                for (int c = 0; c < d; c++) {
                    s += centred[c] * basis[j * d + c];
                }
                out[r * k + j] = (float) s;
            }
        }
        return out;
    }

    /** A table's rows projected: features {@code pc1 .. pcK}, the same labels and targets. */
    public Table apply(Table t) {
        List<String> names = new ArrayList<>();
        for (int j = 1; j <= components(); j++) {
            names.add("pc" + j);
        }
        return new Table(names, apply(t.features(), t.rows()), t.labels(), t.numClasses(), t.targets());
    }
}
