package io.gradtune.driver.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradtune.driver.config.ConfigException;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.data.StudyData;
import io.gradtune.driver.exec.SparkTrialExecutor;
import io.gradtune.driver.insight.CurveJob;
import io.gradtune.driver.insight.CurveVerdict;
import io.gradtune.driver.insight.FractionCurve;
import io.gradtune.driver.insight.LearningCurve;
import io.gradtune.driver.journal.RunDirectory;
import io.gradtune.driver.refit.RefitPlan;
import io.gradtune.driver.refit.StudyRefit;
import io.gradtune.driver.report.AtomicFiles;
import io.gradtune.worker.data.StratifiedSplit;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code gradtune learning-curve RUN_DIR}: "would more data help?" for a finished study. The best trial's
 * configuration (the journal's refit plan, as {@code refit RUN_DIR} finds it) trained on nested, stratified fractions
 * of the training part as Spark tasks side by side ({@link LearningCurve}), with plain-words verdicts
 * ({@link CurveVerdict}); {@value LearningCurve#FILE} in the run directory. Classification only for now.
 */
@Command(name = "learning-curve", mixinStandardHelpOptions = true,
        description = "Train the best trial's configuration of a finished study on growing fractions of the training "
                + "part (Spark tasks in parallel) and say whether more data would likely help; writes "
                + "learning-curve.json into the run directory.")
final class LearningCurveCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A finished study's run directory, e.g. runs/quickstart")
    Path runDir;

    @Option(names = "--fractions", paramLabel = "F,F,...", defaultValue = "0.1,0.25,0.5,0.75,1.0",
            description = "Fractions of the training part, each in (0, 1], at least two (default: ${DEFAULT-VALUE}).")
    String fractions;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the subsets (default: the study's search.seed). "
            + "The network's seed is always the best trial's.")
    Long seed;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs per fraction, 1..10000 (default: as many as "
            + "the best trial trained).")
    Integer epochs;

    @Option(names = "--master", paramLabel = "MASTER", description = "Spark master for the tasks (default: the "
            + "study's spark.master).")
    String master;

    @Option(names = "--model-class", paramLabel = "CLASS", description = "Confirms the study's model.class, as for refit.")
    String modelClass;

    @Option(names = "--data-class", paramLabel = "CLASS", description = "Confirms the study's data.class, as for refit.")
    String dataClass;

    @Override
    public Integer call() {
        String where = runDir.toString();
        double[] fs;
        try {
            fs = LearningCurve.parseFractions(fractions);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("command line", "--fractions", fractions, e.getMessage());
        }
        if (epochs != null && (epochs < 1 || epochs > 10_000)) {
            throw new ConfigException("command line", "--epochs", epochs, "must be within 1..10000");
        }
        JournaledRun run = JournaledRun.read(runDir, where);
        Path dir = run.dir();
        List<ObjectNode> events = run.events();
        JsonNode launch = run.launch();
        RefitPlan plan = StudyRefit.planned(events);
        if (launch == null || plan == null) {
            throw new ConfigException(where, null, null, "no finished trial to learn from: the journal "
                    + (launch == null ? "has no study start" : "plans no refit (no trial completed, or the study has "
                    + "not finished: ./gradtune resume " + runDir + ")"));
        }
        String text = ResumeCommand.journaledText(launch);
        StudyConfig config = ResumeCommand.journaledConfig(dir, launch, text, modelClass, dataClass);
        if (config.data().regression()) {
            throw new ConfigException(where, "data.task", "regression", "learning-curve supports classification "
                    + "studies only (not supported yet for a regression)");
        }
        if (config.training().fineTune() != null) {
            throw new ConfigException(where, "model.init_from", config.training().fineTune().initFrom(),
                    "learning-curve does not support fine-tuned studies yet");
        }
        if (!config.data().readByDriver()) {
            throw new ConfigException(where, "data", config.data().location(), "learning-curve reads local csv or "
                    + "idx data or a data class only, as refit RUN_DIR does");
        }
        int n = epochs != null ? epochs : Math.max(plan.epochs(), plan.rates().size());
        long subsetSeed = seed != null ? seed : config.search().seed();
        try (RunDirectory.Lock lock = RunDirectory.lock(dir, note -> System.out.println("note: " + note))) {
            StudyData data = StudyData.readLocal(config);
            StratifiedSplit.Parts parts = data.shared().parts();
            List<CurveJob> jobs = LearningCurve.jobs(plan, parts.train(), fs, subsetSeed, n,
                    config.training().modelClass(), config.data().scaling(), config.data().preprocessing());
            String sparkMaster = master != null ? master : config.spark().sparkMaster();
            System.out.printf("learning curve: %s of study %s on %d fractions of %d training rows, %d epochs each, "
                    + "as Spark tasks on %s ...%n", plan.trialId(), config.study(), fs.length, parts.train().rows(), n,
                    sparkMaster);
            List<FractionCurve> curves;
            try (SparkTrialExecutor spark = new SparkTrialExecutor(sparkMaster,
                    "gradtune-learning-curve-" + config.study(), config.spark().sparkProperties())) {
                curves = LearningCurve.runOnSpark(JavaSparkContext.fromSparkContext(spark.sparkContext()),
                        data.shared(), jobs);
            }
            int valRows = parts.validation().rows();
            LearningCurve.Result result = new LearningCurve.Result(plan.trialId(), n, subsetSeed, parts.train().rows(),
                    valRows, curves, CurveVerdict.of(curves, valRows));
            AtomicFiles.write(dir.resolve(LearningCurve.FILE), LearningCurve.toJson(result));
            System.out.print(LearningCurve.render(result));
            System.out.println("curves: " + dir.resolve(LearningCurve.FILE));
        }
        return Gradtune.EXIT_OK;
    }
}
