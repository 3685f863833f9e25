package io.gradtune.driver.insight;

import io.gradtune.worker.data.FittedPreprocessing;
import io.gradtune.worker.data.PreparedData;
import io.gradtune.worker.data.Scaling;
import io.gradtune.worker.data.Table;
import io.gradtune.worker.model.HyperParameters;
import io.gradtune.worker.model.Networks;
import io.gradtune.worker.model.TrainableNetwork;
import io.gradtune.worker.train.Evaluation;
import io.gradtune.worker.train.TrialRunner;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.gradtune.worker.protocol.Preprocessing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Trains one {@link CurveJob} in this JVM (a Spark task's, or a test's): the subset's rows, the scaling fitted on them
 * alone (a study with only this much data would have fitted it there), the trial's network, seed and mini-batch order
 * through the workers' own loop ({@link TrialRunner#train}), and after every epoch one inference pass over the
 * subset and one over the validation split.
 */
public final class CurveTrainer {

    private CurveTrainer() {
    }

    /**
     * @param train      the study's training part, unscaled
     * @param validation its validation part, unscaled
     * @param stop       polled between epochs
     */
    public static FractionCurve train(CurveJob job, Table train, Table validation, BooleanSupplier stop) {
        long t0 = System.nanoTime();
        Table subset = train.select(job.rows());
        HyperParameters h = Networks.trainingParameters(job.params(), job.modelClass(), null);
        Preprocessing cleaning = (job.cleaning() == null ? Preprocessing.NONE : job.cleaning()).with(job.params());
        PreparedData data = FittedPreprocessing.prepare(cleaning,
                Scaling.parse(h.scaling() != null ? h.scaling() : job.scaling()), subset, validation);
        List<FractionCurve.Point> points = new ArrayList<>();
        TrainableNetwork net = TrialRunner.train(job.modelClass(), null, job.params(), h, data, job.epochs(),
                job.seed(), job.rates(), stop, (n, epoch) -> {
                    Evaluation tr = evaluate(n, data.trainX(), data.trainLabels(), data.numClasses());
                    Evaluation va = evaluate(n, data.valX(), data.valLabels(), data.numClasses());
                    points.add(new FractionCurve.Point(epoch, tr.valLoss(), tr.valAccuracy(), va.valLoss(),
                            va.valAccuracy()));
                });
        net.close();
        return new FractionCurve(job.fraction(), subset.rows(), (System.nanoTime() - t0) / 1e9, points);
    }

    /** Cross-entropy and accuracy of {@code net} on rows {@code x} with classes {@code labels} (as valLoss, valAccuracy). */
    static Evaluation evaluate(TrainableNetwork net, INDArray x, int[] labels, int classes) {
        String output = net.layers().get(net.layers().size() - 1).key();
        try (TrainableNetwork.Activations pass = net.inferencePass(x)) {
            return Evaluation.classification(pass.byKey().get(output), labels, classes, Double.NaN);
        }
    }
}
