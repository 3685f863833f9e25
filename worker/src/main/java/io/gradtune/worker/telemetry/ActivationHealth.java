package io.gradtune.worker.telemetry;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Health of one layer's outputs on a probe batch: dead units (ReLU family: a unit whose output is &lt;= 0 for
 * every probe row), saturated outputs (sigmoid outside [0.01, 0.99], tanh |a| &gt; 0.99) and spread.
 *
 * @param deadFraction      fraction of dead units, null when the activation is not in the ReLU family
 * @param saturatedFraction fraction of saturated outputs, null unless sigmoid or tanh
 * @param std               standard deviation of all outputs
 */
public record ActivationHealth(Double deadFraction, Double saturatedFraction, double std) {

    public static ActivationHealth of(String activation, INDArray outputs) {
        int rows = (int) outputs.rows();
        int cols = (int) outputs.columns();
        float[] a = outputs.dup('c').data().asFloat();
        boolean reluFamily = activation.equals("relu") || activation.equals("leakyrelu") || activation.equals("elu")
                || activation.equals("gelu");
        Double dead = null;
        if (reluFamily) {
            int deadUnits = 0;
            for (int c = 0; c < cols; c++) {
                boolean alive = false;
                for (int r = 0; r < rows && !alive; r++) {
                    alive = a[r * cols + c] > 0;
                }
                if (!alive) {
                    deadUnits++;
                }
            }
            dead = cols == 0 ? 0.0 : (double) deadUnits / cols;
        }
        Double saturated = null;
        if (activation.equals("sigmoid") || activation.equals("tanh")) {
            long count = 0;
            for (float v : a) {
                boolean s = activation.equals("sigmoid") ? (v < 0.01f || v > 0.99f) : Math.abs(v) > 0.99f;
                if (s) {
                    count++;
                }
            }
            saturated = a.length == 0 ? 0.0 : (double) count / a.length;
        }
        double sum = 0;
        double sumSq = 0;
        for (float v : a) {
            sum += v;
            sumSq += (double) v * v;
        }
        double mean = a.length == 0 ? 0 : sum / a.length;
        double std = a.length == 0 ? 0 : Math.sqrt(Math.max(0, sumSq / a.length - mean * mean));
        return new ActivationHealth(dead, saturated, std);
    }
}
