package io.gradtune.worker.model;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Shared by the tests that show a gradtune replacement for part of DL4J's training step changes nothing: the
 * option sets to cover, and one seeded training run whose parameters, per-batch scores and inference activations
 * are compared bit for bit.
 */
final class TrainingEquivalence {

    static final int FEATURES = 6;
    static final int CLASSES = 3;
    static final int BATCHES = 12;
    static final int ROWS = 16;

    private TrainingEquivalence() {
    }

    /** Every optimizer and activation, the schedules, dropout, L1/L2, batch norm, clipping and residual variants. */
    static List<Map<String, Object>> options() {
        List<Map<String, Object>> cases = new ArrayList<>();
        HyperParameters.OPTIMIZERS.forEach(v -> cases.add(Map.of("optimizer", v)));
        HyperParameters.ACTIVATIONS.forEach(v -> cases.add(Map.of("activation", v)));
        cases.add(Map.of("optimizer", "nesterov", "momentum", 0.5, "lr_schedule", "step", "learning_rate", 0.01));
        cases.add(Map.of("lr_schedule", "exponential"));
        cases.add(Map.of("lr_schedule", "cyclic"));
        cases.add(Map.of("dropout", 0.3));
        cases.add(Map.of("dropout", 0.3, "activation", "gelu", "layers", 3));
        cases.add(Map.of("l1", 1e-3, "l2", 1e-2));
        cases.add(Map.of("batch_norm", true));
        cases.add(Map.of("batch_norm", true, "dropout", 0.2, "activation", "elu"));
        cases.add(Map.of("gradient_clip", 0.05));
        cases.add(Map.of("units", 128, "layers", 3, "activation", "sigmoid", "optimizer", "nadam"));
        cases.add(Map.of("residual", true, "layers", 3));
        cases.add(Map.of("residual", true, "layers", 3, "batch_norm", true, "l2", 1e-2, "optimizer", "rmsprop"));
        cases.add(Map.of("residual", true, "layers", 3, "dropout", 0.2, "activation", "tanh"));
        cases.add(Map.of("residual", true, "layers", 4, "units", 64, "activation", "leakyrelu", "gradient_clip", 0.5));
        return cases;
    }

    /** What one training run ended with. */
    record Run(float[] params, double[] scores, float[] activations) {
    }

    /** Trains on fixed seeded batches (with a learning-rate change half way, as reduce-on-plateau does). */
    static Run train(TrainableNetwork net) {
        return train(net, CLASSES);
    }

    /** As {@link #train(TrainableNetwork)}; {@code outputs} 1: a regression net, whose target is the class index. */
    static Run train(TrainableNetwork net, int outputs) {
        double[] scores = new double[BATCHES];
        int[] iteration = {0};
        net.setListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iter, int epoch) {
                scores[iteration[0]++] = model.score();
            }
        });
        Nd4j.getRandom().setSeed(5);
        Random r = new Random(3);
        INDArray lastBatch = null;
        for (int b = 0; b < BATCHES; b++) {
            float[] x = new float[ROWS * FEATURES];
            float[] y = new float[ROWS * outputs];
            for (int i = 0; i < ROWS; i++) {
                int label = r.nextInt(CLASSES);
                if (outputs == 1) {
                    y[i] = label;
                } else {
                    y[i * CLASSES + label] = 1;
                }
                for (int j = 0; j < FEATURES; j++) {
                    x[i * FEATURES + j] = (float) (r.nextGaussian() + (j % CLASSES == label ? 1.5 : 0));
                }
            }
            lastBatch = Nd4j.create(x, new long[]{ROWS, FEATURES}, 'c');
            net.fit(lastBatch, Nd4j.create(y, new long[]{ROWS, outputs}, 'c'));
            if (b == BATCHES / 2) {
                net.setLearningRate(0.005);
                net.endEpoch();
            }
        }
        Map<String, INDArray> activations = net.activations(lastBatch);
        List<float[]> parts = new ArrayList<>();
        int length = 0;
        for (TrainableNetwork.LayerInfo layer : net.layers()) {
            float[] part = activations.get(layer.key()).castTo(DataType.FLOAT).dup('c').data().asFloat();
            parts.add(part);
            length += part.length;
        }
        float[] all = new float[length];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        float[] params = net.flatParams().castTo(DataType.FLOAT).dup().data().asFloat();
        return new Run(params, scores, all);
    }
}
