package io.gradtune.driver.cli;

import io.gradtune.driver.config.ConfigException;
import io.gradtune.driver.console.ProgressMode;
import picocli.CommandLine.Option;

/** {@code --progress auto|line|plain}, shared by {@code run} and {@code resume}: see {@link ProgressMode}. */
final class ProgressOption {

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto", description = "How progress is shown: "
            + "line (one status line redrawn in place), plain (log lines and a summary every 30 s), or auto (line on "
            + "a terminal unless TERM=dumb, else plain; default).")
    String progress;

    /** The mode asked for; a value other than auto, line or plain is a usage error (exit 2). */
    ProgressMode mode() {
        try {
            return ProgressMode.resolve(progress, System.console() != null, System.getenv("TERM"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("<command line>", "--progress", progress, "expected one of "
                    + ProgressMode.CHOICES);
        }
    }
}
