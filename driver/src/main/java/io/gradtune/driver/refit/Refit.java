package io.gradtune.driver.refit;

import io.gradtune.worker.data.Cleaning;
import io.gradtune.worker.data.FittedPreprocessing;
import io.gradtune.worker.data.Normalizers;
import io.gradtune.worker.data.Pca;
import io.gradtune.worker.data.PreparedData;
import io.gradtune.worker.data.Scaling;
import io.gradtune.worker.data.Table;
import io.gradtune.worker.model.HyperParameters;
import io.gradtune.worker.model.Networks;
import io.gradtune.worker.protocol.FineTuneSpec;
import io.gradtune.worker.protocol.Preprocessing;
import io.gradtune.worker.train.Evaluation;
import io.gradtune.worker.train.TrialRunner;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.BooleanSupplier;

/**
 * The refit of a study's best trial, in this JVM (the driver's, {@code refit.mode: local}): its parameters trained on
 * train + validation for its best epoch count with its seed, by the worker's own training loop
 * ({@link TrialRunner#train}: no records, no stopping rules), saved as {@code best-model.zip}, and scored once on the
 * held-out test part.
 *
 * <p>Scaling is fitted on train + validation (never on the test rows) and turned into DL4J's equivalent normalizer
 * ({@link Normalizers}); every row the refit trains on and scores is scaled by that normalizer, the one saved in the
 * zip. The score is computed from the saved file itself (the model and normalizer read back), so reloading the zip
 * and applying its normalizer to the raw test rows gives exactly the recorded figure.
 *
 * <p>A regression ({@link Table#isRegression}) trains on the targets of train + validation standardized with their
 * own mean and standard deviation ({@link PreparedData#regressionRefit}), as a trial's are with its training part's;
 * the zip's description keeps that mean and deviation, and the test figure (MSE, MAE, R²) is computed from the saved
 * model's de-standardized predictions on the original scale ({@link SavedModel#predictions}).
 */
public final class Refit {

    private Refit() {
    }

    /**
     * Runs the refit of {@code plan} and writes {@code runDir/best-model.zip}.
     *
     * @param train          the study's training part, unscaled
     * @param validation     its validation part, unscaled
     * @param test           its test part, unscaled; null or empty: no score
     * @param defaultScaling the data section's scaling (the trial's own {@code scaling} parameter wins)
     * @param labelColumn    the data's label column, for the saved description
     * @param stop           polled between epochs
     */
    public static TestFigure run(RefitPlan plan, Table train, Table validation, Table test, String defaultScaling,
                                 String labelColumn, Path runDir, BooleanSupplier stop) {
        return run(plan, train, validation, test, defaultScaling, labelColumn, runDir, stop, RefitTrainer.LOCAL, null);
    }

    /**
     * As {@link #run(RefitPlan, Table, Table, Table, String, String, Path, BooleanSupplier)}, trained by {@code trainer},
     * the network built by {@code modelClass} (a user's model factory; null for gradtune's network).
     */
    public static TestFigure run(RefitPlan plan, Table train, Table validation, Table test, String defaultScaling,
                                 String labelColumn, Path runDir, BooleanSupplier stop, RefitTrainer trainer,
                                 String modelClass) {
        return run(plan, train, validation, test, defaultScaling, labelColumn, runDir, stop, trainer, modelClass, null);
    }

    /**
     * As {@link #run(RefitPlan, Table, Table, Table, String, String, Path, BooleanSupplier, RefitTrainer, String)},
     * fine-tuning the study's saved model when {@code fineTune} is not null (the refit starts from it too).
     */
    public static TestFigure run(RefitPlan plan, Table train, Table validation, Table test, String defaultScaling,
                                 String labelColumn, Path runDir, BooleanSupplier stop, RefitTrainer trainer,
                                 String modelClass, FineTuneSpec fineTune) {
        return run(plan, train, validation, test, defaultScaling, labelColumn, runDir, stop, trainer, modelClass,
                fineTune, null);
    }

    /**
     * As {@link #run(RefitPlan, Table, Table, Table, String, String, Path, BooleanSupplier, RefitTrainer, String,
     * FineTuneSpec)}, with the study's data cleaning ({@code data.missing}, {@code data.outliers},
     * {@code data.pca_components}; the trial's own parameters win; null = none): fitted on train + validation as the
     * scaling is, in the order impute, indicators, outliers (its drops remove train + validation rows), scaling, PCA,
     * and saved in the zip ({@link SavedModel#PREPROCESSING}) for {@code predict} and the test score to apply.
     */
    public static TestFigure run(RefitPlan plan, Table train, Table validation, Table test, String defaultScaling,
                                 String labelColumn, Path runDir, BooleanSupplier stop, RefitTrainer trainer,
                                 String modelClass, FineTuneSpec fineTune, Preprocessing cleaning) {
        long t0 = System.nanoTime();
        HyperParameters h = Networks.trainingParameters(plan.params(), modelClass, fineTune);
        String scalingName = h.scaling() != null ? h.scaling() : defaultScaling;
        Scaling scaling = Scaling.parse(scalingName);
        Table all = concat(train, validation);
        java.util.List<String> inputNames = all.featureNames();
        Preprocessing prep = (cleaning == null ? Preprocessing.NONE : cleaning).with(plan.params());
        Cleaning.Fit cleaned = prep.passesThrough() ? null : Cleaning.fit(prep, all);
        if (cleaned != null) {
            all = cleaned.train();
        }
        boolean regression = all.isRegression();
        int classes = regression ? 1 : Math.max(train.numClasses(), validation.numClasses());
        DataNormalization normalizer = Normalizers.of(scaling, scaling.fit(all));
        INDArray x = scaled(all, normalizer);
        FittedPreprocessing fitted = null;
        if (cleaned != null) {
            Pca pca = null;
            if (prep.pcaComponents() > 0) {
                pca = Pca.fit(x.dup('c').data().asFloat(), (int) x.rows(), (int) x.columns(), prep.pcaComponents());
                x = Nd4j.create(pca.apply(x.dup('c').data().asFloat(), (int) x.rows()),
                        new long[]{x.rows(), pca.components()}, DataType.FLOAT);
            }
            fitted = new FittedPreprocessing(cleaned.cleaning(), pca);
        }
        PreparedData data = regression ? PreparedData.regressionRefit(x, all.targets())
                : new PreparedData(x, oneHot(all.labels(), classes), all.labels(), x,
                oneHot(all.labels(), classes), all.labels(), classes, null);
        Path file = runDir.resolve(TestFigure.MODEL_FILE);
        Model model = trainer.train(modelClass, fineTune, plan.params(), h, data, Math.max(1, plan.epochs()), plan.seed(), plan.rateArray(), stop);
        String savedScaling = scaling.name().toLowerCase(java.util.Locale.ROOT);
        save(model, normalizer, regression
                ? SavedModel.Meta.regression(inputNames, labelColumn, savedScaling, data.target().mean(),
                        data.target().std())
                : new SavedModel.Meta(inputNames, labelColumn, classes, savedScaling), fitted, file);
        int testRows = test == null ? 0 : test.rows();
        if (regression) {
            Evaluation e = testRows > 0 ? scoreRegression(SavedModel.load(file), test)
                    : new Evaluation(Double.NaN, Double.NaN, Double.NaN);
            return TestFigure.regression(plan.trialId(), Math.max(1, plan.epochs()), all.rows(), testRows, e.valLoss(),
                    e.valMae(), e.valR2(), plan.valLoss(), plan.valMae(), plan.valR2(), (System.nanoTime() - t0) / 1e9,
                    TestFigure.MODEL_FILE);
        }
        double accuracy = Double.NaN;
        double loss = Double.NaN;
        if (testRows > 0) {
            Evaluation e = score(SavedModel.load(file), test, classes);
            accuracy = e.valAccuracy();
            loss = e.valLoss();
        }
        return new TestFigure(plan.trialId(), Math.max(1, plan.epochs()), all.rows(), testRows, accuracy, loss,
                plan.valAccuracy(), plan.valLoss(), (System.nanoTime() - t0) / 1e9, TestFigure.MODEL_FILE);
    }

    /** The figures of a saved model on labelled rows (unscaled): its normalizer, its output, cross-entropy and accuracy. */
    public static Evaluation score(SavedModel saved, Table rows, int classes) {
        return Evaluation.classification(saved.probabilities(rows), rows.labels(), classes, Double.NaN);
    }

    /**
     * The regression figures of a saved regression model on rows with targets (unscaled): mean squared error (as
     * {@code valLoss}), mean absolute error and R², on the original scale.
     */
    public static Evaluation scoreRegression(SavedModel saved, Table rows) {
        return Evaluation.regression(saved.predictions(rows), rows.targets(), Double.NaN);
    }

    /** Writes the model with its normalizer and description, atomically (temp file + rename). */
    private static void save(Model model, DataNormalization normalizer, SavedModel.Meta meta,
                             FittedPreprocessing fitted, Path file) {
        Path dir = file.toAbsolutePath().getParent();
        String base = "." + file.getFileName() + "." + ProcessHandle.current().pid();
        Path tmp = dir.resolve(base + "-a.tmp");
        Path tmp2 = dir.resolve(base + "-b.tmp");
        try {
            Files.createDirectories(dir);
            // writeModel(model, file, false, normalizer) fails in M2.1 with this build's commons-io (a second close
            // of its stream, "flush() failed: stream is closed"); addNormalizerToModel writes the same entry.
            ModelSerializer.writeModel(model, tmp.toFile(), false);
            if (normalizer != null) {
                ModelSerializer.addNormalizerToModel(tmp.toFile(), normalizer);
            }
            SavedModel.addMeta(tmp, tmp2, meta);
            if (fitted != null) {
                SavedModel.addPreprocessing(tmp, tmp2, fitted);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
                Files.deleteIfExists(tmp2);
            } catch (IOException ignored) {
                // best effort; the run directory's temp files are removed at the next start
            }
        }
    }

    private static INDArray scaled(Table t, DataNormalization normalizer) {
        INDArray x = Nd4j.create(t.features(), new long[]{t.rows(), t.columns()}, DataType.FLOAT);
        if (normalizer != null) {
            normalizer.transform(x);
        }
        return x;
    }

    private static INDArray oneHot(int[] labels, int classes) {
        float[] values = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            values[i * classes + labels[i]] = 1f;
        }
        return Nd4j.create(values, new long[]{labels.length, classes}, DataType.FLOAT);
    }

    /** The rows of {@code a} then those of {@code b} (same features; a regression's targets too). */
    static Table concat(Table a, Table b) {
        float[] f = new float[a.features().length + b.features().length];
        System.arraycopy(a.features(), 0, f, 0, a.features().length);
        System.arraycopy(b.features(), 0, f, a.features().length, b.features().length);
        int[] y = new int[a.rows() + b.rows()];
        System.arraycopy(a.labels(), 0, y, 0, a.rows());
        System.arraycopy(b.labels(), 0, y, a.rows(), b.rows());
        float[] targets = null;
        if (a.isRegression() && b.isRegression()) {
            targets = new float[a.rows() + b.rows()];
            System.arraycopy(a.targets(), 0, targets, 0, a.rows());
            System.arraycopy(b.targets(), 0, targets, a.rows(), b.rows());
        } else if (a.isRegression() || b.isRegression()) {
            throw new IllegalArgumentException("cannot join a regression's rows with a classification's");
        }
        return new Table(a.featureNames(), f, y, Math.max(a.numClasses(), b.numClasses()), targets);
    }
}
