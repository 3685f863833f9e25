package io.gradtune.driver.faults;

import io.gradtune.driver.testing.Cli;
import io.gradtune.driver.cli.Gradtune;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The strict checks refuse no shipped config or data: each validates, its data read in full. */
class ShippedConfigsTest {

    @ParameterizedTest
    @ValueSource(strings = {"quickstart", "digits-bayesian", "fashion", "fashion-memory", "fashion-memory-largest",
            "gradients-demo", "bench-pruning", "nightly", "cluster", "fashion-cnn", "digits-0-4", "own-data",
            "bench-space", "bench-space-smart", "gradients-fixes", "digits-architecture", "augment",
            "fashion-cnn-augment", "cleaning"})
    void validates(String name) {
        Cli r = Cli.run("validate", "../configs/" + name + ".yaml");
        assertEquals(Gradtune.EXIT_OK, r.code(), r.err());
        assertTrue(r.out().contains("data: ") && r.out().contains("classes"), r.out());
        System.out.println(name + ": validate took " + r.millis() + " ms");
    }
}
