package io.gradtune.driver.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradtune.driver.config.ConfigException;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.data.StudyData;
import io.gradtune.driver.insight.BestModelImportance;
import io.gradtune.driver.journal.Journal;
import io.gradtune.driver.journal.RunDirectory;
import io.gradtune.driver.refit.RefitPlan;
import io.gradtune.driver.refit.StudyRefit;
import io.gradtune.driver.refit.TestFigure;
import io.gradtune.driver.exec.SparkTrialExecutor;
import io.gradtune.driver.run.StudyRunner;
import io.gradtune.worker.data.StratifiedSplit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code gradtune refit RUN_DIR}: the refit of a finished study again, from its run directory alone: the config it
 * started with and the refit plan (best trial, parameters, seed, best epoch) from its journal, its local data read and
 * split again with the same seed. Writes best-model.zip and best-config.yaml, journals the figure and replaces the
 * test figure in study.json and leaderboard.txt. Only for local csv/idx data (data read through Spark SQL is refitted
 * at the end of {@code run}).
 */
@Command(name = "refit", mixinStandardHelpOptions = true,
        description = "Refit the best trial of a finished study on train + validation, score it once on the test "
                + "part, and write best-model.zip and best-config.yaml into its run directory.")
final class RefitCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A finished study's run directory, e.g. runs/quickstart")
    Path runDir;

    @CommandLine.Option(names = "--model-class", paramLabel = "CLASS", description = "Confirms the model class the "
            + "study's config names (model.class): refit never loads a class named only in a run directory, so a "
            + "study with one refits only when it is given here again, and the same.")
    String modelClass;

    @CommandLine.Option(names = "--data-class", paramLabel = "CLASS", description = "Confirms the data class the "
            + "study's config names (data.class): refit never loads a class named only in a run directory, so a "
            + "study with one refits only when it is given here again, and the same.")
    String dataClass;

    @Override
    public Integer call() {
        String where = runDir.toString();
        JournaledRun run = JournaledRun.read(runDir, where);
        Path dir = run.dir();
        List<ObjectNode> events = run.events();
        JsonNode launch = run.launch();
        String status = null;
        for (ObjectNode e : events) {
            if (e.path("event").asText().equals("study_ended")) {
                status = e.path("status").asText();
            } else if (e.path("event").asText().equals("study_started")) {
                status = null;
            }
        }
        if (launch == null || !"finished".equals(status)) {
            throw new ConfigException(where, null, null, "the study has not finished ("
                    + (launch == null ? "its journal has no start" : status == null ? "it is running, or was killed"
                    : "it ended " + status) + "): finish it first with ./gradtune resume " + runDir);
        }
        RefitPlan plan = StudyRefit.planned(events);
        if (plan == null) {
            throw new ConfigException(where, null, null, "the journal plans no refit: no trial completed, or the study "
                    + "ran with a gradtune without refits");
        }
        String text = ResumeCommand.journaledText(launch);
        StudyConfig config = ResumeCommand.journaledConfig(dir, launch, text, modelClass, dataClass);
        if (!config.data().readByDriver()) {
            throw new ConfigException(where, "data", config.data().location(), "refit RUN_DIR reads local csv or idx "
                    + "data or a data class only; data read through Spark SQL is refitted at the end of ./gradtune run");
        }
        try (RunDirectory.Lock lock = RunDirectory.lock(dir, note -> System.out.println("note: " + note))) {
            StudyData data = StudyData.readLocal(config);
            StratifiedSplit.Parts parts = data.shared().parts();
            System.out.printf("refit: %s of study %s on train + validation for %d epochs ...%n", plan.trialId(),
                    config.study(), plan.epochs());
            TestFigure figure;
            // refit.mode: spark starts the study's Spark application (its master and properties) for the refit alone
            try (SparkTrialExecutor spark = config.refit().spark() ? new SparkTrialExecutor(
                    config.spark().sparkMaster(), "gradtune-refit-" + config.study(), config.spark().sparkProperties())
                    : null) {
                figure = StudyRefit.run(config, StudyRunner.redactedConfigText(config, text), plan, parts.train(),
                        parts.validation(), data.test(), dir, () -> Thread.currentThread().isInterrupted(),
                        StudyRunner.refitTrainer(config.refit(), spark));
            }
            try (Journal journal = Journal.open(dir.resolve(Journal.FILE))) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("event", StudyRefit.FINISHED);
                e.put("at", Instant.now().toString());
                e.put("test", figure.toMap());
                journal.append(e);
            }
            try {
                BestModelImportance.updateStudyJson(dir, BestModelImportance.compute(plan, parts.train(),
                        parts.validation(), config.data().scaling(), config.training().modelClass(),
                        config.training().fineTune(), config.data().preprocessing(), BestModelImportance.REPEATS,
                        () -> false));
            } catch (UnsupportedOperationException e) {
                System.out.println("note: no feature importance: " + e.getMessage());
            }
            StudyRefit.updateReports(dir, figure);
            System.out.println(figure.line());
            System.out.println("best config: " + dir.resolve(TestFigure.CONFIG_FILE));
        }
        return Gradtune.EXIT_OK;
    }
}
