package io.gradtune.driver.stream;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded broker's listeners get distinct free ports (the same port twice made KafkaConfig refuse to start). */
class EmbeddedKafkaPortsTest {

    @Test
    void freePortsAreDistinctEveryTime() throws Exception {
        for (int round = 0; round < 200; round++) {
            int[] ports = EmbeddedKafka.freePorts(3);
            assertEquals(3, Arrays.stream(ports).distinct().count(), Arrays.toString(ports));
            Arrays.stream(ports).forEach(p -> assertTrue(p > 0 && p < 65536, "port " + p));
        }
    }
}
