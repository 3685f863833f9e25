package io.gradtune.driver.run;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.worker.data.Table;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingWarmUpTest {

    private static StudyConfig quickstart() {
        return StudyConfigLoader.load(Path.of("..", "configs", "quickstart.yaml"));
    }

    @Test
    void theParametersAreADrawOfTheSpaceWithTheNetworkSizeCapped() {
        StudyConfig config = quickstart();
        Map<String, Object> params = TrainingWarmUp.params(config);
        assertTrue(params.keySet().containsAll(config.space().searched().stream().map(p -> p.name()).toList()),
                params.toString());
        assertTrue(((Number) params.get("units")).intValue() <= TrainingWarmUp.MAX_UNITS, params.toString());
        assertTrue(((Number) params.get("layers")).intValue() <= TrainingWarmUp.MAX_LAYERS, params.toString());
        assertEquals(params, TrainingWarmUp.params(config)); // seeded: the same draw every time
    }

    @Test
    void aLocalBuiltInStudyIsWarmedUpUnlessSwitchedOff() {
        StudyConfig config = quickstart();
        assertTrue(TrainingWarmUp.applies(config), config.spark().sparkMaster());
        System.setProperty(TrainingWarmUp.SWITCH, "false");
        try {
            assertNull(TrainingWarmUp.paramsIfApplies(config));
        } finally {
            System.clearProperty(TrainingWarmUp.SWITCH);
        }
        assertEquals(TrainingWarmUp.params(config), TrainingWarmUp.paramsIfApplies(config));
    }

    @Test
    void theSyntheticTableHoldsEveryClass() {
        Table t = TrainingWarmUp.table(TrainingWarmUp.ROWS, 1);
        assertEquals(TrainingWarmUp.ROWS, t.rows());
        assertEquals(TrainingWarmUp.FEATURES, t.columns());
        assertEquals(TrainingWarmUp.CLASSES, java.util.Arrays.stream(t.labels()).distinct().count());
    }

    @Test
    void itTrainsATinyNetworkOfTheDrawnParameters() {
        long params = TrainingWarmUp.run(TrainingWarmUp.params(quickstart()));
        assertTrue(params > 0 && params < 10_000, "parameters: " + params);
    }
}
