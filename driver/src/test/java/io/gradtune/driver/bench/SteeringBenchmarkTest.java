package io.gradtune.driver.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradtune.driver.cli.Gradtune;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.driver.search.RepairingSampler;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code gradtune bench steering} without running it: its arguments, the shipped config, each arm's settings and the
 * report's arithmetic (the benchmark itself trains real networks and is not part of the default build).
 */
class SteeringBenchmarkTest {

    private static final Path CONFIG = Path.of("../configs/bench-steering.yaml");

    @Test
    void theShippedConfigLoadsAndEachArmSetsItsSwitches() {
        StudyConfig base = StudyConfigLoader.load(CONFIG);
        assertEquals("bayesian", base.search().algorithm());
        SteeringBenchmark.Options o = new SteeringBenchmark.Options(CONFIG, 3, 40, 7, Path.of("/tmp/x"));
        assertEquals(List.of(1L, 2L, 3L), o.seedList());
        for (SteeringArm arm : SteeringArm.values()) {
            StudyConfig c = SteeringBenchmark.studyConfig(base, o, arm, 2);
            boolean repairs = arm == SteeringArm.REPAIR || arm == SteeringArm.PRIOR_REPAIR;
            boolean prior = arm == SteeringArm.PRIOR || arm == SteeringArm.PRIOR_REPAIR;
            assertEquals(arm != SteeringArm.UNAWARE, c.search().feedback(), arm.label());
            assertEquals(repairs, c.search().repair(), arm.label());
            assertEquals(prior, c.pathologyPrior() != null, arm.label() + ": the prior only where the arm says");
            assertEquals(prior, c.samplerOptions().prior() != null, arm.label());
            assertEquals(2, c.search().seed());
            assertEquals(40, c.search().maxTrials());
            assertEquals(7, c.training().epochs());
            assertEquals(Path.of("/tmp/x"), c.outputDir());
            assertTrue(c.study().endsWith("-s2"), c.study());
            assertEquals(repairs, SteeringBenchmark.sampler(c) instanceof RepairingSampler);
        }
        assertEquals(List.of("feedback+prior+repair", "feedback+prior", "feedback+repair", "feedback", "unaware"),
                java.util.Arrays.stream(SteeringArm.values()).map(SteeringArm::label).toList());
    }

    @Test
    void theUnawareArmIsUnchangedByThePrior() {
        StudyConfig base = StudyConfigLoader.load(CONFIG);
        assertEquals(StudyConfig.Search.PRIOR_TUTORIALS, base.search().prior(), "the config's default");
        SteeringBenchmark.Options o = new SteeringBenchmark.Options(CONFIG, 1, 40, null, Path.of("/tmp/x"));
        StudyConfig unaware = SteeringBenchmark.studyConfig(base, o, SteeringArm.UNAWARE, 1);
        StudyConfig before = base.withSearch(base.search().withFeedback(false).withRepair(false)
                .withPrior(StudyConfig.Search.PRIOR_NONE));
        assertEquals(before.search().withMaxTrials(40), unaware.search());
        assertEquals(null, unaware.samplerOptions().prior());
        io.gradtune.driver.search.Sampler a = SteeringBenchmark.sampler(unaware);
        io.gradtune.driver.search.Sampler b = new io.gradtune.driver.search.GpSampler(unaware.space(), 1,
                unaware.search().options().startupTrials(), List.of());
        List<io.gradtune.driver.search.Observation> finished = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            io.gradtune.driver.search.SearchHistory h = new io.gradtune.driver.search.SearchHistory(finished, List.of());
            java.util.Map<String, Object> p = a.propose(h).orElseThrow();
            assertEquals(b.propose(h).orElseThrow(), p, "proposal " + i);
            finished.add(new io.gradtune.driver.search.Observation(p, -((Number) p.get("learning_rate")).doubleValue(),
                    i % 3 == 0 ? io.gradtune.driver.search.Observation.Kind.PRUNED
                            : io.gradtune.driver.search.Observation.Kind.COMPLETED));
        }
    }

    @Test
    void theDocumentedCommandParsesAndBadValuesAreUsageErrorsBeforeAnythingRuns() {
        new CommandLine(new Gradtune()).parseArgs("bench", "steering", "--seeds", "3", "--trials", "40", "--epochs", "10");
        assertEquals(Gradtune.EXIT_USAGE, Gradtune.execute("bench", "steering", "--seeds", "0"));
        assertEquals(Gradtune.EXIT_USAGE, Gradtune.execute("bench", "steering", "--trials", "0"));
        assertEquals(Gradtune.EXIT_USAGE, Gradtune.execute("bench", "steering", "--epochs", "0"));
        assertEquals(Gradtune.EXIT_USAGE, Gradtune.execute("bench", "steering", "--config", "no/such.yaml"));
        assertEquals(Gradtune.EXIT_USAGE, Gradtune.execute("bench", "steering", "--arms", "all"));
    }

    @Test
    void theReportAveragesEachArmAndComparesItsWasteWithTheUnawareArms() throws Exception {
        List<SteeringRun> runs = List.of(
                new SteeringRun(SteeringArm.REPAIR, 1, 40, 4, 6, 100, 5, 3, 0.97, 60, null),
                new SteeringRun(SteeringArm.REPAIR, 2, 40, 2, 2, 120, 3, 2, 0.99, 60, null),
                new SteeringRun(SteeringArm.FEEDBACK, 1, 40, 8, 12, 90, 0, 0, 0.96, 60, null),
                new SteeringRun(SteeringArm.FEEDBACK, 2, 40, 10, 12, 90, 0, 0, 0.98, 60, null),
                new SteeringRun(SteeringArm.UNAWARE, 1, 40, 12, 24, 80, 0, 0, 0.97, 60, null),
                new SteeringRun(SteeringArm.UNAWARE, 2, 40, 12, 24, 80, 0, 0, 0.97, 60, null));
        SteeringReport report = new SteeringReport("c.yaml", List.of(1L, 2L), 40, 10, runs);
        List<SteeringReport.ArmSummary> s = report.summaries();
        assertEquals(List.of(SteeringArm.REPAIR, SteeringArm.FEEDBACK, SteeringArm.UNAWARE),
                s.stream().map(SteeringReport.ArmSummary::arm).toList());
        assertEquals(3.0, s.get(0).pathological());
        assertEquals(0.25, s.get(0).wasteTrialRatio(), 1e-12);
        assertEquals(4.0 / 24, s.get(0).wasteEpochRatio(), 1e-12);
        assertEquals(0.01, s.get(0).bestDelta(), 1e-12);
        assertTrue(s.get(0).meetsTarget());
        assertFalse(s.get(1).meetsTarget(), "feedback: 0.75 of the unaware arm's trials");
        assertEquals(1.0, s.get(2).wasteEpochRatio());

        JsonNode json = new ObjectMapper().readTree(report.toJson());
        assertEquals(6, json.get("runs").size());
        assertEquals("feedback+repair", json.get("arms").get(0).get("arm").asText());
        assertTrue(json.get("arms").get(0).get("meets_target").asBoolean());
        assertTrue(json.get("arms").get(2).get("meets_target").isNull());
        assertTrue(report.table().lines().count() == 4, report.table());
    }
}
