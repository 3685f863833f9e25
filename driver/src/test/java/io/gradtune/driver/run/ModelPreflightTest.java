package io.gradtune.driver.run;

import io.gradtune.driver.cli.Gradtune;
import io.gradtune.driver.space.CategoricalParameter;
import io.gradtune.driver.space.FixedParameter;
import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.IntParameter;
import io.gradtune.driver.space.SearchSpace;
import io.gradtune.driver.testing.Cli;
import io.gradtune.driver.testing.TestModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bad model class stops {@code validate} and {@code run} with exit 2 before anything starts, naming the class and
 * the cause; a good one is built once against the data.
 */
class ModelPreflightTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void data() throws IOException {
        TestModels.images(dir.resolve("img.csv"), 60);
    }

    private static Cli validate(String className) throws IOException {
        Path cfg = dir.resolve("m" + Math.abs(className.hashCode()) + ".yaml");
        Files.writeString(cfg, """
                study: m
                model: {class: '%s'}
                data: {source: img.csv, split: {train: 0.6, validation: 0.2}}
                search: {algorithm: random, max_trials: 2}
                space:
                  filters: {type: int, low: 2, high: 4}
                  lr: {type: float, low: 1.0e-3, high: 1.0e-2, log: true}
                training: {epochs: 1, batch_size: 16}
                output: {dir: '%s'}
                """.formatted(className, dir.resolve("runs")));
        return Cli.run("validate", cfg.toString());
    }

    @Test
    void aGoodModelClassValidates() throws IOException {
        Cli r = validate(TestModels.TinyCnn.class.getName());
        assertEquals(Gradtune.EXIT_OK, r.code(), r.err());
        assertTrue(r.out().contains("model: " + TestModels.TinyCnn.class.getName() + " (loaded, and its network built"),
                r.out());
    }

    @Test
    void badModelClassesAreConfigErrorsNamingTheClassAndTheCause() throws IOException {
        String t = TestModels.class.getName() + "$";
        expect(validate("com.acme.NoSuchNet"), "com.acme.NoSuchNet", "not found on the classpath");
        expect(validate(t + "NotAModel"), t + "NotAModel", "does not implement io.gradtune.api.ModelFactory");
        expect(validate(t + "NeedsArgument"), t + "NeedsArgument", "no public no-arg constructor");
        expect(validate(t + "Throws"), t + "Throws", "threw while building the network for {filters=3, lr=0.00316");
        expect(validate(t + "TenOutputs"), t + "TenOutputs", "its output has shape [2, 10] for 2 rows, the data has 3 "
                + "classes");
    }

    @Test
    void theSampleAssignmentTakesMiddlesFirstChoicesAndFixedValues() {
        SearchSpace space = new SearchSpace(List.of(new FloatParameter("a", 1e-4, 1e-2, true, null),
                new FloatParameter("b", 0, 1, false, null), new IntParameter("c", 1, 4, false, null),
                new CategoricalParameter("d", List.of("x", "y"), null), new FixedParameter("e", 7, null)));
        Map<String, Object> s = Preflight.sampleAssignment(space);
        assertEquals(1e-3, (double) s.get("a"), 1e-12);
        assertEquals(Map.of("b", 0.5, "c", 3, "d", "x", "e", 7),
                Map.of("b", s.get("b"), "c", s.get("c"), "d", s.get("d"), "e", s.get("e")));
    }

    private static void expect(Cli r, String className, String cause) {
        assertEquals(Gradtune.EXIT_USAGE, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("field 'model.class'") && r.err().contains(className) && r.err().contains(cause),
                r.err());
    }
}
