package io.gradtune.driver.config;

import io.gradtune.driver.search.PathologyPrior;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code search.prior}: its default, its values, and where it is inert. */
class PathologyPriorConfigTest {

    @TempDir
    Path dir;

    private StudyConfig load(String yaml) throws IOException {
        Files.writeString(dir.resolve("data.csv"), "a,b,label\n1,2,0\n3,4,1\n");
        Path f = dir.resolve("study.yaml");
        Files.writeString(f, yaml);
        return StudyConfigLoader.load(f);
    }

    private static String valid(String search) {
        return StudyConfigLoaderTest.VALID.replace("search: {algorithm: random, max_trials: 7, seed: 3}",
                "search: {algorithm: bayesian, max_trials: 7, seed: 3" + search + "}");
    }

    @Test
    void tutorialsByDefaultWithFeedbackAndNoneWithout() throws IOException {
        StudyConfig on = load(valid(""));
        assertEquals(StudyConfig.Search.PRIOR_TUTORIALS, on.search().prior());
        PathologyPrior prior = on.pathologyPrior();
        assertNotNull(prior);
        assertEquals(prior, on.samplerOptions().prior());
        StudyConfig off = load(valid(", feedback: false"));
        assertEquals(StudyConfig.Search.PRIOR_NONE, off.search().prior(), "feedback: false stays unaware");
        assertNull(off.pathologyPrior());
        assertNull(off.samplerOptions().prior());
        assertNull(load(valid(", prior: none")).pathologyPrior());
        assertNotNull(load(valid(", feedback: false, prior: tutorials")).pathologyPrior(), "an explicit choice");
    }

    @Test
    void theFixedTrainingValuesFillInWhatTheSpaceDoesNotSearch() throws IOException {
        PathologyPrior prior = load(valid("").replace("optimizer: adam", "optimizer: sgd")).pathologyPrior();
        Map<String, Object> net = Map.of("layers", 2, "activation", "relu", "learning_rate", 0.05);
        assertTrue(prior.exploding(net) < 0.01, "0.05 is a usual rate for the fixed SGD");
        assertTrue(load(valid("")).pathologyPrior().exploding(net) > 0.5, "and an unusually high one for Adam");
    }

    @Test
    void aBadValueNamesTheKeyAndTheChoices() {
        ConfigException e = assertThrows(ConfigException.class, () -> load(valid(", prior: tutorial")));
        assertTrue(e.getMessage().contains("search.prior") && e.getMessage().contains("tutorials"), e.getMessage());
    }

    @Test
    void inertForAUsersModelClass() throws IOException {
        StudyConfig c = load(valid(""));
        assertNull(c.withModelClass("io.gradtune.examples.FashionCnn").pathologyPrior());
    }
}
