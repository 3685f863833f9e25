package io.gradtune.driver.testing;

import io.gradtune.driver.stream.EmbeddedKafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka broker (KRaft) in its own JVM, for fault tests: it can be stopped the way a broker dies
 * (SIGKILL) or is stopped (SIGTERM), and started again on the same ports and log directory, so clients that knew it
 * find it again with its topics and records. The JVM runs {@link BrokerMain} with this JVM's test class path; its
 * output goes to {@code broker.log} beside the log directory.
 *
 * <p>Not thread-safe: one test drives it.
 */
public final class BrokerProcess implements AutoCloseable {

    /** How long a start may take (a JVM start and a KRaft log recovery on a loaded machine). */
    private static final long START_SECONDS = 90;

    private final Path logDir;
    private final Path output;
    private final int port;
    private final int controllerPort;
    private Process process;
    private int starts;

    private BrokerProcess(Path workDir) throws IOException {
        this.logDir = Files.createDirectories(workDir.resolve("kafka-logs"));
        this.output = workDir.resolve("broker.log");
        this.port = EmbeddedKafka.freePort();
        this.controllerPort = EmbeddedKafka.freePort();
    }

    /** Starts a broker whose log directory and output live under {@code workDir}, and waits until it serves. */
    public static BrokerProcess start(Path workDir) {
        try {
            BrokerProcess b = new BrokerProcess(workDir);
            b.start();
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The broker's address; the same across restarts. */
    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Starts the broker JVM again (after {@link #kill} or {@link #stop}) and waits until it serves. */
    public void start() {
        if (isAlive()) {
            throw new IllegalStateException("the broker is running");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classPath,
                BrokerMain.class.getName(), logDir.toString(), String.valueOf(port), String.valueOf(controllerPort)));
        try {
            long from = Files.exists(output) ? Files.size(output) : 0;
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
            starts++;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
            while (!readySince(from)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the broker JVM exited with " + process.exitValue() + ":\n"
                            + tail());
                }
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("the broker did not serve within " + START_SECONDS + " s:\n"
                            + tail());
                }
                Thread.sleep(50);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the broker JVM", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the broker started", e);
        }
    }

    /** Kills the broker JVM at once (SIGKILL), as a crash or a lost machine would, and waits until it is gone. */
    public void kill() {
        end(true);
    }

    /** Stops the broker JVM (SIGTERM: the broker shuts down cleanly) and waits until it is gone. */
    public void stop() {
        end(false);
    }

    /** How many times the broker JVM was started. */
    public int starts() {
        return starts;
    }

    private void end(boolean force) {
        if (process == null) {
            return;
        }
        if (force) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean readySince(long offset) throws IOException {
        if (!Files.exists(output)) {
            return false;
        }
        byte[] all = Files.readAllBytes(output);
        return offset <= all.length && new String(all, (int) offset, all.length - (int) offset,
                java.nio.charset.StandardCharsets.UTF_8).contains(BrokerMain.READY);
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(output);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    @Override
    public void close() {
        end(true);
    }
}
