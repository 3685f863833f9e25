package io.gradtune.driver.stream;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** {@link SingleNodeSettings#applyTemporary}: no controlled shutdown, unless the switch keeps Kafka's default. */
class SingleNodeSettingsTest {

    @Test
    void aTemporaryDirectorysBrokerSkipsTheControlledShutdownUnlessSwitchedBack() {
        Properties p = new Properties();
        SingleNodeSettings.applyTemporary(p);
        assertEquals("false", p.getProperty("controlled.shutdown.enable"));

        System.setProperty(SingleNodeSettings.CONTROLLED_SHUTDOWN_SWITCH, "true");
        try {
            Properties kept = new Properties();
            SingleNodeSettings.applyTemporary(kept);
            assertNull(kept.getProperty("controlled.shutdown.enable"), "Kafka's default (true) stays");
        } finally {
            System.clearProperty(SingleNodeSettings.CONTROLLED_SHUTDOWN_SWITCH);
        }
    }
}
