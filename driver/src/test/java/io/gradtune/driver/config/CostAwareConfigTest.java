package io.gradtune.driver.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code search.cost_aware}: on by default, off on request, and rejected where it would do nothing. */
class CostAwareConfigTest {

    @TempDir
    Path dir;

    private StudyConfig load(String algorithm, String extra) throws IOException {
        Files.writeString(dir.resolve("data.csv"), "a,b,label\n1,2,0\n3,4,1\n");
        Path f = dir.resolve("study.yaml");
        Files.writeString(f, StudyConfigLoaderTest.VALID.replace("search: {algorithm: random, max_trials: 7, seed: 3}",
                "search: {algorithm: " + algorithm + ", max_trials: 7, seed: 3" + extra + "}"));
        return StudyConfigLoader.load(f);
    }

    @Test
    void onByDefaultAndOffOnRequest() throws IOException {
        assertTrue(load("bayesian", "").samplerOptions().costAware());
        assertTrue(load("gp", ", cost_aware: true").samplerOptions().costAware());
        assertFalse(load("bayesian", ", cost_aware: false").samplerOptions().costAware());
        assertFalse(load("tpe", ", cost_aware: false").samplerOptions().costAware(), "false is harmless anywhere");
        assertTrue(load("random", "").withAlgorithm("bayesian").samplerOptions().costAware(),
                "--algorithm bayesian on a random config gets the bayesian default");
    }

    @Test
    void rejectsANonBooleanAndTrueForAnotherAlgorithm() {
        ConfigException bad = assertThrows(ConfigException.class, () -> load("bayesian", ", cost_aware: yes please"));
        assertTrue(bad.getMessage().contains("search.cost_aware") && bad.getMessage().contains("expected true or false"),
                bad.getMessage());
        ConfigException tpe = assertThrows(ConfigException.class, () -> load("tpe", ", cost_aware: true"));
        assertTrue(tpe.getMessage().contains("search.cost_aware") && tpe.getMessage().contains("algorithm: bayesian"),
                tpe.getMessage());
    }
}
