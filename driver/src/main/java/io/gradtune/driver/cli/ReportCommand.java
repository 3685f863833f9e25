package io.gradtune.driver.cli;

import io.gradtune.driver.report.html.HtmlReport;
import io.gradtune.driver.report.html.RunSnapshot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code gradtune report RUN_DIR [--compare OTHER_RUN_DIR] [--output FILE]}: writes report.html of a run directory
 * (finished or still running), optionally compared with another run. A directory that holds no study is a usage
 * error (exit 2).
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write report.html of a run directory: one self-contained page (summary, leaderboard, curves, "
                + "parameters, importance, gradient view), optionally compared with another run.")
final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A study's run directory, e.g. runs/quickstart")
    Path runDir;

    @Option(names = "--compare", paramLabel = "OTHER_RUN_DIR", description = "Another run directory: the report adds "
            + "its best trial then and now, and the parameters that moved.")
    Path compare;

    @Option(names = "--output", paramLabel = "FILE", description = "Where to write the page (default: RUN_DIR/report.html).")
    Path output;

    @Override
    public Integer call() {
        try {
            if (output != null && output.toAbsolutePath().getParent() != null
                    && !Files.isDirectory(output.toAbsolutePath().getParent())) {
                System.err.println("gradtune: --output " + output + ": its directory does not exist; create it or "
                        + "give another file");
                return Gradtune.EXIT_USAGE;
            }
            Path written = HtmlReport.write(runDir, compare, output);
            System.out.println("report: " + written.toAbsolutePath().normalize());
            return Gradtune.EXIT_OK;
        } catch (RunSnapshot.NotARunDirectory e) {
            System.err.println("gradtune: report: " + e.getMessage());
            return Gradtune.EXIT_USAGE;
        }
    }
}
