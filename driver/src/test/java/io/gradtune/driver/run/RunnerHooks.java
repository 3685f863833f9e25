package io.gradtune.driver.run;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.search.Sampler;
import io.gradtune.driver.stream.MetricsSink;

import java.io.PrintStream;
import java.util.function.UnaryOperator;

/** For tests in other packages: a {@link StudyRunner} whose metrics sink a test wraps (to hold or watch records). */
public final class RunnerHooks {

    private RunnerHooks() {
    }

    public static StudyRunner withSinkWrapper(StudyConfig config, Sampler sampler, PrintStream out,
                                              UnaryOperator<MetricsSink> sinkWrapper) {
        return new StudyRunner(config, sampler, out, sinkWrapper);
    }
}
