package io.gradtune.driver.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real driver process for fault tests: {@code io.gradtune.driver.cli.Gradtune} in its own JVM, with the test class
 * path and the JVM flags of the {@code ./gradtune} launcher (its {@code opens} array, read from the script so the two
 * never drift apart; its native-memory settings and {@code OMP_NUM_THREADS=1}). Its console (stdout and stderr) is
 * collected line by line and copied to a log file; the test waits for lines or files and ends the process with
 * SIGKILL ({@link #kill}) or SIGTERM ({@link #terminate}).
 */
public final class DriverProcess implements AutoCloseable {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private DriverProcess(Process process, Path log) {
        this.process = process;
        this.reader = new Thread(() -> copy(log), "driver-" + process.pid() + "-console");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code gradtune ARGS...} in a new JVM.
     *
     * @param log        where its console is copied
     * @param properties extra {@code -D} settings (test hooks), e.g. {@code gradtune.test.reportPauseMillis=5000}
     */
    public static DriverProcess start(Path log, List<String> properties, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.addAll(launcherOpens());
        command.add("-Dorg.bytedeco.javacpp.cachedir=" + Path.of(System.getProperty("user.home"), ".javacpp", "cache"));
        command.add("-Dorg.bytedeco.javacpp.maxPhysicalBytes=0");
        for (String p : properties) {
            command.add("-D" + p);
        }
        command.add("-cp");
        command.add(classPath());
        command.add("io.gradtune.driver.cli.Gradtune");
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "1");
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            return new DriverProcess(pb.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the driver", e);
        }
    }

    /** The {@code opens=( ... )} flags of the launcher script. */
    static List<String> launcherOpens() {
        try {
            String script = Files.readString(ROOT.resolve("gradtune"));
            Matcher m = Pattern.compile("opens=\\(([^)]*)\\)", Pattern.DOTALL).matcher(script);
            if (!m.find()) {
                throw new IllegalStateException("no opens=( ... ) array in the launcher script");
            }
            List<String> flags = new ArrayList<>();
            for (String f : m.group(1).trim().split("\\s+")) {
                flags.add(f);
            }
            return flags;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the launcher script", e);
        }
    }

    /** The test JVM's class path (Surefire and Failsafe put the real one in a property; their JVM sees a jar). */
    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** A copy of the console lines so far. */
    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** The console so far, for assertion messages. */
    public String console() {
        return String.join("\n", lines());
    }

    /**
     * Waits until a console line matches (true) or the process ends or the time is up (false).
     */
    public boolean awaitLine(Predicate<String> matches, Duration timeout) throws InterruptedException {
        return await(() -> lines().stream().anyMatch(matches), timeout);
    }

    /** Polls {@code condition} every 20 ms until it holds (true), the process ends, or the time is up (false). */
    public boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (!process.isAlive()) {
                return condition.getAsBoolean();
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** SIGKILL ({@code kill -9}): the driver gets no chance to clean up. Waits for the process to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM (what {@link Process#destroy} sends on Linux): the driver stops cleanly. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the process to end and returns its exit code; fails when it does not end in time. */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the driver did not end within " + timeout + ":\n" + console());
        }
        reader.join(5_000);
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    private void copy(Path log) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                }
                out.write(line);
                out.newLine();
                out.flush();
            }
        } catch (IOException e) {
            // the process ended under the reader
        }
    }
}
