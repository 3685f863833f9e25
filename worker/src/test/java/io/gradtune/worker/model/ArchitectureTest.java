package io.gradtune.worker.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The architecture vocabulary as {@link HyperParameters#from} reads it: no network is built here. */
class ArchitectureTest {

    private static HyperParameters read(Object... kv) {
        Map<String, Object> p = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            p.put((String) kv[i], kv[i + 1]);
        }
        return HyperParameters.from(p);
    }

    @Test
    void widthShapeHalvesOrDoublesFromUnitsWithinTheBounds() {
        assertEquals(List.of(64, 64, 64), read("layers", 3, "units", 64).unitsPerLayer());
        assertEquals(List.of(128, 64, 32, 16, 8, 8),
                read("layers", 6, "units", 128, "width_shape", "shrinking").unitsPerLayer());
        assertEquals(List.of(256, 512, 1024, 1024),
                read("layers", 4, "units", 256, "width_shape", "expanding").unitsPerLayer());
        // a first layer already beyond a bound stays as given
        assertEquals(List.of(4, 4, 4), read("layers", 3, "units", 4, "width_shape", "shrinking").unitsPerLayer());
        assertEquals(List.of(2048, 2048), read("layers", 2, "units", 2048, "width_shape", "expanding").unitsPerLayer());
    }

    @Test
    void explicitUnitsKOverrideTheShapeForTheirLayerOnly() {
        assertEquals(List.of(64, 100, 16),
                read("layers", 3, "units", 64, "width_shape", "shrinking", "units_2", 100).unitsPerLayer());
    }

    @Test
    void connectionsDefaultToPlainAndResidualTrueIsTheOlderSpelling() {
        assertEquals("plain", read().connections());
        assertFalse(read().residual());
        assertEquals("residual", read("residual", true).connections());
        assertTrue(read("connections", "residual").residual());
        assertEquals("dense", read("connections", "dense").connections());
        assertEquals("dense", read("connections", "dense", "residual", false).connections());
        assertEquals("plain", read("residual", false).connections());
    }

    @Test
    void contradictoryResidualAndConnectionsAreRefusedNamingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read("connections", "dense", "residual", true));
        assertTrue(e.getMessage().contains("'residual'") && e.getMessage().contains("'connections' = 'dense'"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> read("connections", "residual", "residual", false));
    }

    @Test
    void unknownValuesNameTheParameterAndTheAllowedValues() {
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> read("connections", "skip"));
        assertEquals("parameter 'connections' = 'skip', expected one of [plain, residual, dense]", c.getMessage());
        IllegalArgumentException w = assertThrows(IllegalArgumentException.class, () -> read("width_shape", "cone"));
        assertEquals("parameter 'width_shape' = 'cone', expected one of [constant, shrinking, expanding]",
                w.getMessage());
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> read("activation", "swish"));
        assertTrue(a.getMessage().contains("prelu") && a.getMessage().contains("selu"), a.getMessage());
    }

    @Test
    void seluDefaultsToLecunInitAndAnExplicitInitWins() {
        assertEquals("lecun", read("activation", "selu").weightInit());
        assertEquals("xavier", read("activation", "selu", "weight_init", "xavier").weightInit());
        assertEquals("xavier", read("activation", "prelu").weightInit());
        assertEquals("lecun", read("activation", "relu", "weight_init", "lecun").weightInit());
    }

    @Test
    void newNamesAreKnown() {
        assertTrue(HyperParameters.isKnown("connections"));
        assertTrue(HyperParameters.isKnown("width_shape"));
        assertTrue(HyperParameters.isKnown("residual"));
    }
}
