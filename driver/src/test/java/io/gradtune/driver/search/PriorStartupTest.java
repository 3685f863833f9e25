package io.gradtune.driver.search;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The start-up of the smart search under the tutorials' prior ({@code configs/bench-space-smart.yaml}): its random
 * proposals follow the prior's draws restricted to assignments likely feasible (P >= 0.8), instead of collapsing
 * onto the most feasible corner of the space. The prior's P(exploding) falls with the learning rate, so the most likely
 * feasible of 8 draws was nearly always the one with the smallest rate: in the smart study's runs of seeds 42 and 1-3,
 * all 40 start-up trials drew a rate of 0.0039 or less (BENCHMARKS.md, "Session 12: smart search accuracy"), where
 * half of the space's log-uniform rates lie above 0.004 and the prior finds rates up to ~0.02 likely feasible.
 */
class PriorStartupTest {

    @Test
    void startupUnderTheTutorialsPriorSpreadsOverTheFeasibleLearningRates() throws Exception {
        StudyConfig config = StudyConfigLoader.load(Path.of("../configs/bench-space-smart.yaml"));
        PathologyPrior prior = config.pathologyPrior();
        assertTrue(prior != null, "the smart study runs with the tutorials' prior");
        int startup = GpSampler.DEFAULT_STARTUP_TRIALS;
        int above = 0;
        int likelyPathological = 0;
        int proposals = 0;
        for (long seed = 1; seed <= 10; seed++) {
            GpSampler sampler = new GpSampler(config.space(), seed, startup, List.of(), prior, true, 60);
            List<Observation> finished = new ArrayList<>();
            for (int i = 0; i < startup; i++) {
                Map<String, Object> p = sampler.propose(new SearchHistory(finished, List.of())).orElseThrow();
                proposals++;
                above += ((Number) p.get("learning_rate")).doubleValue() > 0.004 ? 1 : 0;
                likelyPathological += prior.pathological(p) > 0.5 ? 1 : 0;
                finished.add(new Observation(p, 0.9, Observation.Kind.COMPLETED));
            }
        }
        System.out.printf("[prior-startup] %d proposals: %d rates above 0.004, %d likely pathological%n", proposals,
                above, likelyPathological);
        // Log-uniform over 1e-4..1e-1, about 46 % of draws lie above 0.004; the prior removes the exploding top decade.
        assertTrue(above * 4 >= proposals, above + " of " + proposals + " start-up rates above 0.004");
        assertTrue(likelyPathological * 10 <= proposals, likelyPathological + " of " + proposals
                + " start-up proposals the prior finds likely pathological");
    }
}
