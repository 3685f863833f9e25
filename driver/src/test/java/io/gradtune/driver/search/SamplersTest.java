package io.gradtune.driver.search;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SamplersTest {

    @Test
    void mapsAlgorithmNamesToSamplers() {
        SamplerOptions opts = SamplerOptions.defaults();
        assertInstanceOf(GridSampler.class, Samplers.create("grid", GridSamplerTest.conditionalSpace(), 1, opts));
        assertInstanceOf(RandomSampler.class, Samplers.create("random", GridSamplerTest.conditionalSpace(), 1, opts));
        assertInstanceOf(GpSampler.class, Samplers.create("Bayesian", GridSamplerTest.conditionalSpace(), 1, opts));
        assertInstanceOf(GpSampler.class, Samplers.create("gp", GridSamplerTest.conditionalSpace(), 1, opts));
        assertInstanceOf(TpeSampler.class, Samplers.create("TPE", GridSamplerTest.conditionalSpace(), 1, opts));
    }

    @Test
    void rejectsUnknownAlgorithm() {
        assertThrows(IllegalArgumentException.class,
                () -> Samplers.create("hyperband", GridSamplerTest.conditionalSpace(), 1, SamplerOptions.defaults()));
    }
}
