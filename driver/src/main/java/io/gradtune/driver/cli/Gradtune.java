package io.gradtune.driver.cli;

import io.gradtune.driver.config.ConfigException;
import io.gradtune.driver.journal.Journal;
import io.gradtune.driver.journal.RunDirectory;
import io.gradtune.driver.report.html.LiveServer;
import io.gradtune.driver.run.StudyRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code gradtune} command line. Exit codes: 0 the study ended and a trial completed, 1 the study or the runtime
 * failed, 2 bad usage, a bad configuration or data, or a run directory that is not free (nothing started), 3 the study
 * ended but no trial completed, 130/143 interrupted by SIGINT/SIGTERM (resumable).
 */
@Command(name = "gradtune", mixinStandardHelpOptions = true, version = "gradtune 0.1.0",
        description = "Distributed hyperparameter tuning for DL4J on Spark, steered by gradient statistics streamed through Kafka.",
        subcommands = {RunCommand.class, ResumeCommand.class, ValidateCommand.class, RefitCommand.class,
                PredictCommand.class, StatusCommand.class, ExportCommand.class, ReportCommand.class, BenchCommand.class,
                LearningCurveCommand.class, CommandLine.HelpCommand.class})
public final class Gradtune {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_NOTHING_COMPLETED = 3;
    public static final int EXIT_SIGINT = 130;
    public static final int EXIT_SIGTERM = 143;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** The exit code of a study that ran: see the class comment. */
    static int exitCode(StudyRunner.Outcome outcome) {
        if (outcome.failure() != null) {
            return EXIT_FAILURE;
        }
        if (outcome.ended().reason().equals(StudyRunner.Ended.SIGNAL)) {
            return StopSignals.exitCode(outcome.ended().detail().split(" ", 2)[0]);
        }
        return outcome.leaderboard().best() == null ? EXIT_NOTHING_COMPLETED : EXIT_OK;
    }

    /** Runs the command line and returns the exit code (for tests and the launcher). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Gradtune());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigException) {
                cmd.getErr().println("gradtune: config error: " + e.getMessage());
                return EXIT_USAGE;
            }
            if (e instanceof LiveServer.BindFailed) {
                cmd.getErr().println("gradtune: " + e.getMessage());
                return EXIT_USAGE;
            }
            if (e instanceof io.gradtune.driver.run.StudyStatus.NotARunDirectory
                    || e instanceof StudyRunner.RunDirectoryInUse || e instanceof RunDirectory.LockedException
                    || e instanceof Journal.JournalException) {
                cmd.getErr().println("gradtune: " + e.getMessage());
                return EXIT_USAGE;
            }
            cmd.getErr().println("gradtune: " + e);
            Throwable c = e.getCause();
            while (c != null) {
                cmd.getErr().println("  caused by: " + c);
                c = c.getCause();
            }
            return EXIT_FAILURE;
        });
        return cl.execute(args);
    }
}
