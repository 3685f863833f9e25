package io.gradtune.driver.cli;

import io.gradtune.driver.bench.SamplerBenchmark;
import io.gradtune.worker.bench.TrialSpeedBenchmark;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every benchmark command README.md, BENCHMARKS.md and docs/ quote still parses, through {@code gradtune bench ...} and
 * through the benchmarks' own {@code main}, which share one option definition per benchmark.
 */
class BenchCommandLinesTest {

    /** Code blocks (one command a line) and backtick spans (which may wrap over lines). */
    private static final Pattern BLOCK = Pattern.compile("```[a-z]*\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern SPAN = Pattern.compile("`([^`]+)`");

    /** Every quoted bench command as its program and arguments, placeholders F, S, N filled in. */
    static List<List<String>> quotedCommands() throws IOException {
        List<String> quoted = new ArrayList<>();
        for (String doc : List.of("../README.md", "../BENCHMARKS.md", "../docs/architecture.md", "../docs/search.md")) {
            String text = Files.readString(Path.of(doc));
            Matcher blocks = BLOCK.matcher(text);
            while (blocks.find()) {
                quoted.addAll(blocks.group(1).lines().toList());
            }
            Matcher spans = SPAN.matcher(BLOCK.matcher(text).replaceAll(""));
            while (spans.find()) {
                quoted.add(spans.group(1));
            }
        }
        List<List<String>> out = new ArrayList<>();
        for (String q : quoted) {
            List<String> words = new ArrayList<>(Arrays.asList(q.trim().split("\\s+")));
            int sampler = words.indexOf("io.gradtune.driver.bench.SamplerBenchmark");
            int bench = words.indexOf("bench");
            boolean viaCli = bench == 0 || bench > 0 && words.get(bench - 1).endsWith("gradtune");
            boolean graphLine = q.contains("──>"); // architecture.md's package graph, not a command
            if (q.contains("...") || graphLine || (sampler < 0 && !viaCli)) {
                continue;
            }
            List<String> command = new ArrayList<>();
            command.add(sampler >= 0 ? "SamplerBenchmark" : "gradtune");
            for (String w : words.subList(sampler >= 0 ? sampler + 1 : bench, words.size())) {
                command.add(switch (w) {
                    case "F" -> "branin";
                    case "S" -> "tpe";
                    case "N" -> "100";
                    default -> w;
                });
            }
            out.add(command);
        }
        return out;
    }

    @Test
    void everyQuotedBenchCommandParses() throws IOException {
        List<List<String>> commands = quotedCommands();
        List<String> lines = commands.stream().map(c -> String.join(" ", c)).toList();
        assertTrue(lines.size() >= 20, "found only " + lines);
        assertTrue(lines.contains("gradtune bench samplers --function branin --sampler bayesian --evals 50 --seeds 20"),
                lines.toString());
        assertTrue(lines.contains("SamplerBenchmark --function branin --sampler tpe --observed 100 --evals 200"),
                lines.toString());
        assertTrue(lines.contains("gradtune bench trial --updater both --dense both --update-math both"),
                lines.toString());
        assertTrue(lines.contains("gradtune bench transfer"), lines.toString());
        for (List<String> c : commands) {
            CommandLine cl = c.get(0).equals("gradtune") ? new CommandLine(new Gradtune())
                    : new CommandLine(new SamplerBenchmark.Command());
            try {
                cl.parseArgs(c.subList(1, c.size()).toArray(String[]::new));
            } catch (CommandLine.ParameterException e) {
                throw new AssertionError("does not parse: " + c + ": " + e.getMessage(), e);
            }
        }
    }

    @Test
    void benchTrialKeepsItsDefaultsAndParsesTheDocumentedVariants() {
        TrialSpeedBenchmark.Command t = new TrialSpeedBenchmark.Command();
        new CommandLine(t).parseArgs();
        TrialSpeedBenchmark.Config d = t.config();
        assertEquals(new TrialSpeedBenchmark.Config("data/digits.csv", TrialSpeedBenchmark.Config.defaultParams(), 20, 5,
                1, "both", "direct", "fast", "java", 42), d);

        CommandLine.ParseResult r = new CommandLine(new Gradtune()).parseArgs("bench", "trial", "--updater", "both",
                "--dense", "both", "--update-math", "both", "--param", "layers=3", "--param", "learning_rate=0.01");
        TrialSpeedBenchmark.Config c = ((TrialSpeedBenchmark.Command) r.subcommand().subcommand().commandSpec()
                .userObject()).config();
        assertEquals(List.of("both", "both", "both"), List.of(c.updater(), c.dense(), c.updateMath()));
        assertEquals(3, c.params().get("layers"));
        assertEquals(0.01, c.params().get("learning_rate"));
    }

    @Test
    void badBenchValuesAreUsageErrorsBeforeAnythingRuns() {
        assertEquals(Gradtune.EXIT_USAGE, Gradtune.execute("bench", "trial", "--updater", "sideways"));
        assertEquals(Gradtune.EXIT_USAGE, Gradtune.execute("bench", "trial", "--no-such-option"));
        assertEquals(Gradtune.EXIT_USAGE, Gradtune.execute("bench", "samplers", "--function", "rosenbrock"));
        assertEquals(Gradtune.EXIT_USAGE, Gradtune.execute("bench", "samplers", "--evals", "0"));
        assertEquals(Gradtune.EXIT_USAGE, Gradtune.execute("bench", "transfer", "--model", "rnn"));
        assertEquals(Gradtune.EXIT_USAGE, Gradtune.execute("bench", "transfer", "--data", "no-such.csv"));
    }
}
