package io.gradtune.driver.cli;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.space.Parameter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * {@code gradtune validate}: checks a config (and its local data files: existence, csv header) without starting
 * Spark or Kafka. Data read through Spark SQL (a URI, parquet, a table) is checked by {@code run} as it reads it.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a study config and its data path; start nothing.")
final class ValidateCommand implements Callable<Integer> {

    @Mixin
    StudyOptions options;

    @Override
    public Integer call() {
        StudyConfig c = options.load();
        System.out.println(c.source() + ": OK — study '" + c.study() + "', " + c.search().algorithm() + " search, "
                + c.search().maxTrials() + " trials x " + c.training().epochs() + " epochs, data " + c.data().location());
        if (!c.data().readsLocalFiles()) {
            System.out.println("  (" + c.data().location() + " is read through Spark SQL when the study starts: its columns "
                    + "and values are checked then, before any trial)");
        }
        for (Parameter p : c.space().parameters()) {
            System.out.println("  " + p);
        }
        return Gradtune.EXIT_OK;
    }
}
