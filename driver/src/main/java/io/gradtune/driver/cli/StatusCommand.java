package io.gradtune.driver.cli;

import io.gradtune.driver.run.StudyStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * {@code gradtune status RUN_DIR}: the state of a running or ended study, its trials by state, the best so far and
 * the leaderboard, read from the run directory only ({@link StudyStatus}): never takes the study's lock, so it works
 * from another shell while the study runs. Exit 0, or 2 when the directory holds no study.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show a study's state (running, finished, interrupted, failed, stopped), its trials by state, "
                + "the best so far and the leaderboard, from its run directory; works while the study runs.")
final class StatusCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A study's run directory, e.g. runs/quickstart")
    Path runDir;

    @Override
    public Integer call() {
        // a directory that holds no study: StudyStatus.NotARunDirectory, exit 2 (Gradtune's handler)
        StudyStatus.Report report = StudyStatus.read(runDir.toAbsolutePath().normalize());
        System.out.print(report.render(Instant.now()));
        System.out.flush();
        return Gradtune.EXIT_OK;
    }
}
