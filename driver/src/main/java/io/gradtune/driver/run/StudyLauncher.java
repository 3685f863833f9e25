package io.gradtune.driver.run;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.diagnose.Remedies;
import io.gradtune.driver.search.RepairingSampler;
import io.gradtune.driver.search.Sampler;
import io.gradtune.driver.search.SamplerOptions;
import io.gradtune.driver.search.Samplers;
import io.gradtune.driver.search.WarmStart;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code gradtune run} does with a loaded config, for callers without a command line (the Java builder,
 * {@code StudyBuilder} of the driver's api package): the preflight checks, the config's sampler, the run directory check,
 * then the study. The CLI's {@code run} takes the same steps.
 */
public final class StudyLauncher {

    private StudyLauncher() {
    }

    /**
     * The config's sampler, with its warm start read and repairs if asked.
     *
     * @param out where the warm start is announced
     */
    public static Sampler sampler(StudyConfig config, PrintStream out) {
        SamplerOptions options = config.samplerOptions();
        if (config.search().warmStart() != null) {
            options = options.withWarmStart(WarmStart.read(config.search().warmStart(), config.space(),
                    config.objective().maximize()));
            out.println("warm start: " + options.warmStart().size() + " trials from " + config.search().warmStart());
        }
        Sampler sampler = Samplers.create(config.search().algorithm(), config.space(), config.search().seed(), options);
        return config.search().repair() ? new RepairingSampler(sampler, config.space(),
                new Remedies(config.space(), config.data().scaling())) : sampler;
    }

    /**
     * Runs a new study of {@code config} (checked before anything starts: a bad config, data or model class is a
     * {@code ConfigException}), journaling {@code configText} as its config so {@code gradtune resume} can continue it.
     *
     * @param configFile the path the journal names as the config's file (relative paths in the text resolve against
     *                   its directory)
     * @param configText the config as YAML text
     * @param overwrite  replace a study already in the run directory
     */
    public static StudyRunner.Outcome run(StudyConfig config, String configFile, String configText, boolean overwrite,
                                          PrintStream out) throws InterruptedException {
        var data = Preflight.beforeRun(config);
        Map<String, Object> launch = new LinkedHashMap<>();
        launch.put("config_file", configFile);
        launch.put("config_text", configText);
        launch.put("args", List.of(configFile)); // as `gradtune run FILE` with no options: what resume parses
        StudyRunner runner = new StudyRunner(config, sampler(config, out), out).overwrite(overwrite).launch(launch)
                .withData(data);
        runner.checkRunDirectory();
        return runner.run();
    }
}
