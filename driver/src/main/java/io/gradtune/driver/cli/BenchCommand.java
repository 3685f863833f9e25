package io.gradtune.driver.cli;

import io.gradtune.driver.bench.BenchmarkResult;
import io.gradtune.driver.bench.ProposalTiming;
import io.gradtune.driver.bench.SamplerBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code gradtune bench}: benchmarks that need no Spark, printing one JSON object on the last line. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (no Spark needed).",
        subcommands = {BenchCommand.Samplers.class})
final class BenchCommand {

    /** {@code gradtune bench samplers}: best value found on a test function, over seeds, and proposal cost. */
    @Command(name = "samplers", mixinStandardHelpOptions = true,
            description = "Run a sampler on a test function (branin, hartmann6) over several seeds; print JSON.")
    static final class Samplers implements Callable<Integer> {

        @Option(names = "--function", required = true, description = "branin or hartmann6")
        String function;

        @Option(names = "--sampler", required = true, description = "random, bayesian or grid")
        String sampler;

        @Option(names = "--evals", defaultValue = "50", description = "Evaluations per seed (default ${DEFAULT-VALUE}).")
        int evals;

        @Option(names = "--seeds", defaultValue = "20", description = "Number of seeds (default ${DEFAULT-VALUE}).")
        int seeds;

        @Option(names = "--observed", description = "Instead: time one proposal with this many observed trials.")
        Integer observed;

        @Override
        public Integer call() {
            if (evals < 1 || seeds < 1) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--evals and --seeds must be at least 1");
            }
            try {
                if (observed != null) {
                    ProposalTiming t = SamplerBenchmark.proposalTime(function, sampler, observed, 200);
                    System.out.println(t.toJson());
                } else {
                    BenchmarkResult r = SamplerBenchmark.run(function, sampler, evals, seeds);
                    System.out.println(r.toJson());
                }
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage());
            }
            return Gradtune.EXIT_OK;
        }
    }
}
