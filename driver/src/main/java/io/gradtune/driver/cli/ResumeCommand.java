package io.gradtune.driver.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradtune.driver.config.ConfigException;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.driver.journal.Journal;
import io.gradtune.driver.run.StudyRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code gradtune resume RUN_DIR}: continues a study that was killed or interrupted, from its journal. The config is
 * the one the study started with (its text and command-line overrides are in the journal), so the study goes on
 * as it would have: same budget, seeds and sampler history; only Kafka and Spark are new.
 */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Continue a killed or interrupted study from its run directory's journal: finished trials are "
                + "kept, running ones run again with the same parameters and seed, the rest of the budget is proposed.")
final class ResumeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The study's run directory, e.g. runs/quickstart")
    Path runDir;

    @CommandLine.Option(names = "--model-class", paramLabel = "CLASS", description = "Confirms the model class the "
            + "study's config names (model.class): resume never loads a class named only in a run directory, so a "
            + "study with one resumes only when it is given here again, and the same.")
    String modelClass;

    @CommandLine.Option(names = "--data-class", paramLabel = "CLASS", description = "Confirms the data class the "
            + "study's config names (data.class): resume never loads a class named only in a run directory, so a "
            + "study with one resumes only when it is given here again, and the same.")
    String dataClass;

    @CommandLine.Mixin
    ProgressOption progress;

    @CommandLine.Mixin
    UiOptions ui;

    @Override
    public Integer call() throws Exception {
        var progressMode = progress.mode();
        Path dir = runDir.toAbsolutePath().normalize();
        List<ObjectNode> events = Journal.read(dir.resolve(Journal.FILE));
        JsonNode launch = events.stream().filter(e -> e.path("event").asText().equals("study_started"))
                .map(e -> e.path("launch")).filter(l -> l.path("config_text").isTextual()).findFirst().orElse(null);
        if (launch == null) {
            throw new ConfigException(runDir.toString(), null, null, "nothing to resume: no " + Journal.FILE
                    + " with the study's start in it (is this a run directory?)");
        }
        JsonNode last = null;
        for (ObjectNode e : events) {
            if (e.path("event").asText().equals("study_ended")) {
                last = e;
            } else if (e.path("event").asText().equals("study_started")) {
                last = null;
            }
        }
        if (last != null && last.path("status").asText().equals("finished")) {
            // Its exit code again, so that a script resuming whatever it finds learns how the study ended.
            boolean completed = events.stream().anyMatch(e -> e.path("event").asText().equals("trial_finished")
                    && e.path("state").asText().equals("COMPLETED"));
            System.out.println("nothing to resume: the study in " + dir + " ended (" + last.path("reason").asText()
                    + ": " + last.path("detail").asText() + ")" + (completed ? "" : "; no trial completed"));
            return completed ? Gradtune.EXIT_OK : Gradtune.EXIT_NOTHING_COMPLETED;
        }
        String text = journaledText(launch);
        StudyConfig config = journaledConfig(dir, launch, text, modelClass, dataClass);
        io.gradtune.driver.run.Preflight.checkModel(config, null);
        Map<String, Object> same = new LinkedHashMap<>();
        launch.fields().forEachRemaining(f -> same.put(f.getKey(), f.getValue().isTextual() ? f.getValue().asText()
                : f.getValue()));
        same.put("config_text", text);
        StudyRunner runner = new StudyRunner(config, RunCommand.sampler(config), System.out).launch(same)
                .progress(progressMode);
        try (var live = ui.open()) { // a bad or busy --ui-port: exit 2 before anything starts
            runner.liveView(live);
            StopSignals.install(runner::interrupt);
            return Gradtune.exitCode(runner.resume());
        }
    }

    /** The study's config text as it started (its literal secrets read from the config file again, if any). */
    static String journaledText(JsonNode launch) {
        String text = launch.path("config_text").asText();
        if (launch.path("config_redacted").asBoolean(false)) {
            text = withSecrets(Path.of(launch.path("config_file").asText()), text);
        }
        return text;
    }

    /**
     * The config a study in {@code dir} started with: the journaled text and command-line overrides ({@code launch},
     * the journal's {@code study_started}), the output directory and study name of {@code dir}.
     */
    static StudyConfig journaledConfig(Path dir, JsonNode launch, String text, String givenModelClass,
                                       String givenDataClass) {
        // before the config is loaded, since loading it loads a model class that declares its own space
        confirmModelClass(journaledModelClass(text), givenModelClass, dir);
        confirmDataClass(journaledDataClass(text), givenDataClass, dir);
        List<String> args = new ArrayList<>();
        launch.path("args").forEach(a -> args.add(a.asText()));
        RunCommand original = new RunCommand();
        new CommandLine(original).parseArgs(args.toArray(String[]::new));
        Path file = Path.of(launch.path("config_file").asText());
        return original.options.apply(StudyConfigLoader.load(file, text))
                .withOutputDir(dir.getParent()).withStudy(dir.getFileName().toString());
    }

    /**
     * The {@code model.class} a journaled config text names, read as plain YAML without loading anything; null when it
     * names none or the text is not YAML (then loading it reports the problem).
     */
    static String journaledModelClass(String text) {
        return journaledClass(text, "model");
    }

    /** The {@code data.class} a journaled config text names, as {@link #journaledModelClass}. */
    static String journaledDataClass(String text) {
        return journaledClass(text, "data");
    }

    private static String journaledClass(String text, String section) {
        try {
            JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper(
                    new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(text == null ? "" : text);
            JsonNode c = root == null ? null : root.path(section).path("class");
            return c != null && c.isTextual() ? c.asText() : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /**
     * As {@link #confirmModelClass(String, String, Path)} for the data class ({@code data.class},
     * {@code --data-class}): its code runs on the driver when the data is drained again, so it too is loaded only when
     * the user names the same class again.
     */
    static void confirmDataClass(String journaled, String given, Path dir) {
        confirmClass("data.class", "--data-class", journaled, given, dir,
                "reads its data from files or a table, not a data class", "the study's data comes from this class");
    }

    /**
     * A run directory is data, not a decision to run code: the class a journaled config names is loaded only when the
     * user names the same class again ({@code --model-class}), and a class given for a study without one is an error.
     */
    static void confirmModelClass(StudyConfig config, String given, Path dir) {
        confirmModelClass(config.training().modelClass(), given, dir);
    }

    /** As {@link #confirmModelClass(StudyConfig, String, Path)}, with the class the journaled config names (or null). */
    static void confirmModelClass(String journaled, String given, Path dir) {
        confirmClass("model.class", "--model-class", journaled, given, dir,
                "trains gradtune's built-in network, not a model class",
                "the study builds its networks with this class");
    }

    /**
     * The one rule for a class a journaled config names ({@code key}): it runs only when the user names the same
     * class again with {@code flag}; a class given for a study without one is an error too.
     */
    private static void confirmClass(String key, String flag, String journaled, String given, Path dir,
                                     String withoutClass, String withClass) {
        if (java.util.Objects.equals(journaled, given)) {
            return;
        }
        if (journaled == null) {
            throw new ConfigException(dir.toString(), flag, given, "the study in this run directory "
                    + withoutClass + ": leave " + flag + " out");
        }
        throw new ConfigException(dir.toString(), key, journaled, given == null
                ? withClass + "; gradtune never loads a class named only in a run directory: pass " + flag + " "
                + journaled + " to run its code"
                : "the study was started with this class, not " + given + ": pass " + flag + " " + journaled);
    }

    /**
     * The journal keeps a config's literal secrets redacted: they come from the config file, which must still be the
     * one the study started with (the same text once redacted).
     */
    private static String withSecrets(Path file, String journaled) {
        String current;
        try {
            current = Files.readString(file);
        } catch (IOException e) {
            current = null;
        }
        if (current == null || !StudyRunner.redactedConfigText(StudyConfigLoader.load(file, current), current)
                .equals(journaled)) {
            throw new ConfigException(file.toString(), null, null, "the study's config held secrets written "
                    + "literally, which the journal does not keep, and this file is gone or changed since the study "
                    + "started: restore it to resume (and write secrets as ${env:NAME})");
        }
        return current;
    }
}
