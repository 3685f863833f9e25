package io.gradtune.driver.search;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GaussianProcessTest {

    private static final double[][] SPD = {
            {4, 2, 0.6, 1},
            {2, 5, 1, 0.5},
            {0.6, 1, 3, 0.2},
            {1, 0.5, 0.2, 2}};

    private static double[][] lowerTriangle(double[][] a) {
        double[][] l = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            l[i] = java.util.Arrays.copyOf(a[i], i + 1);
        }
        return l;
    }

    private static double[] times(double[][] a, double[] x) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < x.length; j++) {
                y[i] += a[i][j] * x[j];
            }
        }
        return y;
    }

    @Test
    void choleskySolvesInvertsAndGivesTheLogDeterminant() {
        Cholesky chol = Cholesky.factor(lowerTriangle(SPD));
        double[] b = {1, -2, 0.5, 3};
        assertArrayEquals(b, times(SPD, chol.solve(b)), 1e-12);
        double[][] inv = chol.inverseLower();
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double s = 0;
                for (int k = 0; k < 4; k++) {
                    s += SPD[i][k] * (k <= j ? inv[j][k] : inv[k][j]);
                }
                assertEquals(i == j ? 1 : 0, s, 1e-12, "(K K⁻¹)[" + i + "][" + j + "]");
            }
        }
        // det by cofactor expansion is tedious; 2x2 leading block instead: det = 4*5 - 2*2 = 16
        Cholesky small = Cholesky.factor(new double[][]{{4}, {2, 5}});
        assertEquals(Math.log(16), small.logDeterminant(), 1e-12);
        double[][] columns = {{b[0], 0}, {b[1], 1}, {b[2], 0}, {b[3], 0}}; // b and e2 as columns
        chol.forwardColumns(columns, 2);
        double[] e2 = chol.forward(new double[]{0, 1, 0, 0});
        for (int i = 0; i < 4; i++) {
            assertEquals(chol.forward(b)[i], columns[i][0], 1e-15);
            assertEquals(e2[i], columns[i][1], 1e-15);
        }
    }

    @Test
    void batchedPredictionEqualsOneCandidateAtATimeTo1e9() {
        SplittableRandom r = new SplittableRandom(11);
        int dims = 6;
        double[][] x = new double[300][dims]; // 150 observed + 150 pending believers: the size bench scale reaches
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            for (int d = 0; d < dims; d++) {
                x[i][d] = r.nextDouble();
            }
            y[i] = Math.sin(4 * x[i][0]) + x[i][1] - x[i][2] * x[i][3] + 0.1 * r.nextGaussian();
        }
        GaussianProcess gp = GaussianProcess.fit(x, y, GpHyperparameters.of(dims, 0.35, 1e-3));
        double[][] qs = new double[101][]; // not a multiple of the block: a short last block
        for (int c = 0; c < qs.length; c++) {
            qs[c] = c % 10 == 0 ? x[c].clone() : r.doubles(dims).toArray(); // some at training points: tiny variance
        }
        double[] means = new double[qs.length];
        double[] variances = new double[qs.length];
        gp.predict(qs, means, variances);
        double[] out = new double[2];
        for (int c = 0; c < qs.length; c++) {
            gp.predict(qs[c], out); // one forward solve per candidate
            assertEquals(out[0], means[c], 1e-9, "mean of candidate " + c);
            assertEquals(out[1], variances[c], 1e-9, "variance of candidate " + c);
            assertTrue(variances[c] > 0);
        }
    }

    @Test
    void choleskyRejectsAnIndefiniteMatrix() {
        assertNull(Cholesky.factor(new double[][]{{1}, {2, 1}}));
    }

    @Test
    void noiseFreePosteriorInterpolatesTheDataWithNearZeroVarianceThere() {
        double[][] x = {{0.1}, {0.35}, {0.6}, {0.9}};
        double[] y = {1.0, -0.5, 0.3, 2.0};
        GaussianProcess gp = GaussianProcess.fit(x, y, GpHyperparameters.of(1, 0.2, 1e-8));
        double[] out = new double[2];
        for (int i = 0; i < x.length; i++) {
            gp.predict(x[i], out);
            assertEquals(y[i], out[0], 1e-5, "mean at training point " + i);
            assertTrue(out[1] < 1e-6, "variance at training point " + i + " is " + out[1]);
        }
        gp.predict(new double[]{0.475}, out);
        assertTrue(out[1] > 1e-3, "variance between points " + out[1]);
        gp.predict(new double[]{50}, out);
        assertEquals(0, out[0], 1e-9, "far away the mean reverts to the prior mean");
        assertEquals(1, out[1], 1e-9, "far away the variance reverts to s²");
        double[][] qs = {{0.1}, {0.475}};
        double[] means = new double[2];
        double[] vars = new double[2];
        gp.predict(qs, means, vars);
        gp.predict(qs[1], out);
        assertEquals(out[0], means[1], 1e-12);
        assertEquals(out[1], vars[1], 1e-12);
        assertArrayEquals(y, gp.trainingMeans(), 1e-5);
    }

    @Test
    void marginalLikelihoodGradientMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(1);
        double[][] x = new double[25][3];
        double[] y = new double[25];
        for (int i = 0; i < x.length; i++) {
            for (int d = 0; d < 3; d++) {
                x[i][d] = r.nextDouble();
            }
            y[i] = Math.sin(5 * x[i][0]) + x[i][1] * x[i][1] + 0.05 * r.nextGaussian();
        }
        MarginalLikelihood lml = new MarginalLikelihood(x, y);
        double[] theta = {0.3, Math.log(0.4), Math.log(0.7), Math.log(2), Math.log(1e-2)};
        double[] grad = new double[theta.length];
        double f = HyperparameterFit.objective(lml, theta, grad);
        for (int k = 0; k < theta.length; k++) {
            double[] up = theta.clone();
            double[] down = theta.clone();
            up[k] += 1e-5;
            down[k] -= 1e-5;
            double numeric = (HyperparameterFit.objective(lml, up, new double[theta.length])
                    - HyperparameterFit.objective(lml, down, new double[theta.length])) / 2e-5;
            assertEquals(numeric, grad[k], 1e-4 * Math.max(1, Math.abs(numeric)), "d/dθ" + k);
        }
        GpHyperparameters fitted = HyperparameterFit.fit(x, y, null, r, 3, 100);
        assertTrue(HyperparameterFit.objective(lml, fitted.theta(), new double[theta.length]) > f,
                "the fit improves on an arbitrary starting point");
        assertTrue(fitted.lengthscale(2) > fitted.lengthscale(0),
                "the irrelevant third input gets a longer lengthscale than the first: " + fitted);
    }

    @Test
    void logExpectedImprovementMatchesTheClosedFormAndStaysFiniteFarBelow() {
        double mean = 0.2;
        double sd = 0.5;
        double best = 0;
        double z = (best - mean) / sd;
        double pdf = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
        double ei = sd * (z * TruncatedNormal.cdf(z) + pdf);
        assertEquals(Math.log(ei), ExpectedImprovement.log(mean, sd * sd, best), 1e-6);
        // the series and the direct formula agree where they meet
        assertEquals(ExpectedImprovement.logH(-8 + 1e-9), ExpectedImprovement.logH(-8 - 1e-9), 1e-3);
        double far = ExpectedImprovement.log(40, 1, 0);
        assertTrue(Double.isFinite(far) && far < ExpectedImprovement.log(30, 1, 0),
                "log EI keeps ranking where EI underflows: " + far);
    }
}
