package io.gradtune.driver.cli;

import io.gradtune.driver.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code gradtune} command line. Exit codes: 0 success, 1 a study or runtime failure, 2 bad usage or a bad
 * configuration (nothing started).
 */
@Command(name = "gradtune", mixinStandardHelpOptions = true, version = "gradtune 0.1.0",
        description = "Distributed hyperparameter tuning for DL4J on Spark, steered by gradient statistics streamed through Kafka.",
        subcommands = {RunCommand.class, ValidateCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Gradtune {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (for tests and the launcher). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Gradtune());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigException) {
                cmd.getErr().println("gradtune: config error: " + e.getMessage());
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
