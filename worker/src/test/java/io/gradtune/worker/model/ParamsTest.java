package io.gradtune.worker.model;

import io.gradtune.api.Params;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A model class's view of a trial's parameters: exact conversions, defaults, and errors that name the parameter. */
class ParamsTest {

    private final Params p = Params.of(Map.of("lr", 0.01, "filters", 16, "whole", 3.0, "bn", "true", "act", "relu"));

    @Test
    void typedValuesAndDefaults() {
        assertEquals(0.01, p.getDouble("lr"));
        assertEquals(16, p.getInt("filters"));
        assertEquals(3, p.getInt("whole"));
        assertTrue(p.getBoolean("bn"));
        assertEquals("relu", p.getString("act"));
        assertEquals(5, p.getInt("absent", 5));
        assertFalse(p.getBoolean("absent", false));
        assertFalse(p.has("absent"));
        assertThrows(UnsupportedOperationException.class, () -> p.asMap().put("x", 1));
    }

    @Test
    void errorsNameTheParameterAndTheValue() {
        assertEquals("parameter 'lr' = '0.01', expected an integer",
                assertThrows(IllegalArgumentException.class, () -> p.getInt("lr")).getMessage());
        assertEquals("parameter 'act' = 'relu', expected a number",
                assertThrows(IllegalArgumentException.class, () -> p.getDouble("act")).getMessage());
        assertEquals("parameter 'act' = 'relu', expected true or false",
                assertThrows(IllegalArgumentException.class, () -> p.getBoolean("act")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> p.getInt("units")).getMessage()
                .startsWith("parameter 'units' is not set in this trial (set: [act, bn, filters, lr, whole])"));
    }
}
