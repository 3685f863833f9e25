package io.gradtune.driver.search;

import io.gradtune.driver.space.IntParameter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class UnitCubeEncodingTest {

    private final UnitCubeEncoding encoding = new UnitCubeEncoding(GpSamplerTest.MIXED);

    @Test
    void encodesEachParameterInItsBlockWithInactiveOnesNeutral() {
        // lr, layers, units_3, optimizer (3 one-hot), momentum, amsgrad (2 one-hot); batch_size is fixed
        assertEquals(9, encoding.dims());
        Map<String, Object> sgd = Map.of("lr", 1e-4, "layers", 4, "units_3", 256, "optimizer", "sgd",
                "momentum", 0.99, "batch_size", 64);
        double units256 = ((IntParameter) GpSamplerTest.MIXED.get("units_3")).toUnit(256);
        assertArrayEquals(new double[]{0, 7.0 / 8, units256, 1, 0, 0, 1, 0, 0}, encoding.encode(sgd), 1e-12);
        Map<String, Object> adam = Map.of("lr", 1e-1, "layers", 1, "optimizer", "adam", "amsgrad", false,
                "batch_size", 64);
        double[] u = encoding.encode(adam);
        assertArrayEquals(new double[]{1, 1.0 / 8, UnitCubeEncoding.INACTIVE, 0, 1, 0, UnitCubeEncoding.INACTIVE,
                0, 1}, u, 1e-12);
        assertEquals(adam, encoding.decode(u));
        assertEquals(sgd, encoding.decode(encoding.encode(sgd)));
    }

    @Test
    void canonicalSnapsIntsCategoricalsAndInactiveBlocks() {
        // layers 0.3 of the way → 2 (inactive units_3), optimizer argmax = rmsprop (inactive children)
        double[] u = {0.5, 0.3, 0.9, 0.2, 0.1, 0.7, 0.05, 0.6, 0.4};
        double[] c = encoding.canonical(u);
        assertArrayEquals(new double[]{0.5, 3.0 / 8, UnitCubeEncoding.INACTIVE, 0, 0, 1, UnitCubeEncoding.INACTIVE,
                0, 0}, c, 1e-12);
        assertEquals(List.of("lr", "layers", "optimizer", "batch_size"), List.copyOf(encoding.decode(c).keySet()));
    }
}
