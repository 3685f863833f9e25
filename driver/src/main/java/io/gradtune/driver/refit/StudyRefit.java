package io.gradtune.driver.refit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.report.AtomicFiles;
import io.gradtune.driver.report.html.HtmlReport;
import io.gradtune.worker.data.Table;
import io.gradtune.worker.protocol.ReportJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The refit as a study step: what the end of a run and {@code gradtune refit RUN_DIR} share. Journal events:
 * {@value #PLANNED} (the {@link RefitPlan}, written when a study ends normally, even with {@code refit.enabled:
 * false}) and {@value #FINISHED} (the {@link TestFigure}, once best-model.zip and best-config.yaml are written). A
 * resumed study whose refit finished keeps it; one whose refit did not finish (a crash) runs it again.
 */
public final class StudyRefit {

    public static final String PLANNED = "refit_planned";
    public static final String FINISHED = "refit_finished";

    private static final ObjectMapper JSON = new ObjectMapper();

    private StudyRefit() {
    }

    /**
     * Refits the plan and writes best-model.zip and (when the config text is known) best-config.yaml.
     *
     * @param configText the study's config text as journaled, or null (then no best-config.yaml)
     */
    public static TestFigure run(StudyConfig config, String configText, RefitPlan plan, Table train, Table validation,
                                 Table test, Path runDir, BooleanSupplier stop) {
        return run(config, configText, plan, train, validation, test, runDir, stop, RefitTrainer.LOCAL);
    }

    /** As {@link #run(StudyConfig, String, RefitPlan, Table, Table, Table, Path, BooleanSupplier)}, by {@code trainer}. */
    public static TestFigure run(StudyConfig config, String configText, RefitPlan plan, Table train, Table validation,
                                 Table test, Path runDir, BooleanSupplier stop, RefitTrainer trainer) {
        TestFigure figure = Refit.run(plan, train, validation, test, config.data().scaling(),
                config.data().labelColumn(), runDir, stop, trainer, config.training().modelClass(),
                config.training().fineTune(), config.data().preprocessing());
        if (configText != null) {
            AtomicFiles.write(runDir.resolve(TestFigure.CONFIG_FILE), BestConfig.render(configText, config, plan, figure));
        }
        return figure;
    }

    /** The last {@value #PLANNED} event's plan, or null. */
    public static RefitPlan planned(List<ObjectNode> events) {
        RefitPlan plan = null;
        for (ObjectNode e : events) {
            if (e.path("event").asText().equals(PLANNED)) {
                plan = RefitPlan.fromJson(e.path("plan"));
            }
        }
        return plan;
    }

    /**
     * The figure of a refit of {@code plan}'s trial that finished before (a {@value #FINISHED} event after its plan,
     * and best-model.zip still there), or null: a resumed study does not refit twice.
     */
    public static TestFigure finishedBefore(List<ObjectNode> events, RefitPlan plan, Path runDir) {
        TestFigure figure = null;
        for (ObjectNode e : events) {
            String name = e.path("event").asText();
            if (name.equals(PLANNED)) {
                figure = null;
            } else if (name.equals(FINISHED) && e.path("test").path("trial").asText().equals(plan.trialId())) {
                figure = TestFigure.fromJson(e.path("test"));
            }
        }
        return figure != null && Files.isRegularFile(runDir.resolve(figure.model())) ? figure : null;
    }

    /**
     * After {@code gradtune refit}: study.json's {@code test} section and leaderboard.txt's test line replaced by
     * {@code figure}'s, and report.html written again (each only if the file exists).
     */
    public static void updateReports(Path runDir, TestFigure figure) {
        Path json = runDir.resolve("study.json");
        Path board = runDir.resolve("leaderboard.txt");
        try {
            if (Files.isRegularFile(json)) {
                JsonNode root = JSON.readTree(json.toFile());
                if (root instanceof ObjectNode o) {
                    o.set("test", JSON.readTree(ReportJson.line(figure.toMap())));
                    AtomicFiles.write(json, ReportJson.pretty(o) + "\n");
                }
            }
            if (Files.isRegularFile(board)) {
                List<String> lines = new ArrayList<>();
                for (String line : Files.readAllLines(board)) {
                    if (!line.startsWith("test: ")) {
                        lines.add(line);
                    }
                }
                AtomicFiles.write(board, withTestLine(String.join("\n", lines) + "\n", figure));
            }
            if (Files.isRegularFile(runDir.resolve(HtmlReport.FILE))) {
                HtmlReport.write(runDir, null, null); // its summary shows the new test figure
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update the reports in " + runDir, e);
        }
    }

    /** The leaderboard text with the test line after its table (the first blank line), or at the end. */
    public static String withTestLine(String leaderboard, TestFigure figure) {
        if (figure == null) {
            return leaderboard;
        }
        int blank = leaderboard.indexOf("\n\n");
        if (blank < 0) {
            return leaderboard + (leaderboard.endsWith("\n") ? "" : "\n") + figure.line() + "\n";
        }
        return leaderboard.substring(0, blank + 1) + figure.line() + "\n" + leaderboard.substring(blank + 1);
    }
}
