package io.gradtune.driver.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compiler directives of the launcher's opt-in {@code GRADTUNE_JIT=trials-c2} ({@code launcher/c2-trials.json},
 * BENCHMARKS.md "Session 12: trial threads"): the JVM loads them with the launcher's flags, C2 stays on for the
 * trial's packages and is excluded for everything else, and the JVM's count message goes to stderr, not to the
 * command's standard output.
 */
class LauncherJitDirectivesTest {

    private static final Path DIRECTIVES = Path.of("../launcher/c2-trials.json");

    private record Result(int exit, String out, String err) {
    }

    private static Result java(String... flags) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(flags));
        command.add("-version");
        Process p = new ProcessBuilder(command).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "java -version did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.exitValue(), out, err);
    }

    @Test
    void theLauncherFlagsLoadBothDirectivesWithTheMessageOnStderr() throws Exception {
        Result r = java("-XX:+UnlockDiagnosticVMOptions", "-XX:CompilerDirectivesFile=" + DIRECTIVES,
                "-XX:+DisplayVMOutputToStderr");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("2 compiler directives added"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void c2IsOnForTheTrialStackAndExcludedForTheRest() throws Exception {
        Result r = java("-XX:+UnlockDiagnosticVMOptions", "-XX:CompilerDirectivesFile=" + DIRECTIVES,
                "-XX:+CompilerDirectivesPrint");
        assertEquals(0, r.exit(), r.err());
        String[] directives = r.out().split("Directive:");
        // [preamble, trial stack, everything else, the JVM's default]
        assertTrue(directives.length >= 3, r.out());
        String trials = directives[1];
        for (String pkg : List.of("io/gradtune/worker/*.*", "org/nd4j/*.*", "org/deeplearning4j/*.*",
                "org/bytedeco/*.*")) {
            assertTrue(trials.contains(pkg), pkg + " missing: " + trials);
        }
        assertTrue(c2Part(trials).contains("Exclude:false"), trials);
        String rest = directives[2];
        assertTrue(rest.contains("matching: *.*"), rest);
        assertTrue(c2Part(rest).contains("Exclude:true"), rest);
    }

    private static String c2Part(String directive) {
        return directive.substring(directive.indexOf("c2 directives:"));
    }
}
