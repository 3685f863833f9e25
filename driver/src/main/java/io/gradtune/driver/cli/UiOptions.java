package io.gradtune.driver.cli;

import io.gradtune.driver.report.html.LiveServer;
import picocli.CommandLine.Option;

/** {@code --ui-port} and {@code --ui-host} of {@code run} and {@code resume}: the live report while the study runs. */
final class UiOptions {

    @Option(names = "--ui-port", paramLabel = "PORT", description = "Serve the live report (report.html, redrawn as "
            + "epoch records arrive) on this port while the study runs; read-only.")
    Integer port;

    @Option(names = "--ui-host", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "Address the live "
            + "view listens on (default: ${DEFAULT-VALUE}, this machine only).")
    String host;

    /** The bound server, or null without {@code --ui-port}; a bad or busy port throws {@link LiveServer.BindFailed}. */
    LiveServer open() {
        return port == null ? null : LiveServer.bind(host, port);
    }
}
