package io.gradtune.driver.run;

import io.gradtune.driver.stream.EmbeddedKafka;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link KafkaStop}: the clients close at once, the embedded broker's stop ends by {@link KafkaStop#await()}. */
class KafkaStopTest {

    @Test
    void beginClosesTheClientsOnceAndAwaitWaitsForTheBrokersStop() throws Exception {
        EmbeddedKafka broker = EmbeddedKafka.start(null);
        AtomicInteger closes = new AtomicInteger();
        AutoCloseable client = closes::incrementAndGet;
        KafkaStop stop = new KafkaStop();
        stop.broker(broker);
        assertTrue(Files.isDirectory(broker.logDir()), "the broker's temporary log directory while it runs");

        stop.begin(client, () -> {
            throw new IllegalStateException("a client that fails to close does not keep the others open");
        }, client);
        assertEquals(2, closes.get(), "both closes of the client");
        stop.begin(client); // a second begin does nothing
        assertEquals(2, closes.get());

        stop.await();
        assertFalse(Files.exists(broker.logDir()), "the broker closed (its temporary directory deleted) by await()");
        stop.await(); // a second await returns at once
    }

    @Test
    void awaitWithoutBeginStopsTheBrokerItself() {
        EmbeddedKafka broker = EmbeddedKafka.start(null);
        KafkaStop stop = new KafkaStop();
        stop.broker(broker);
        stop.await();
        assertFalse(Files.exists(broker.logDir()), "the broker closed by await()");
    }

    @Test
    void withoutAnEmbeddedBrokerOnlyTheClientsClose() {
        AtomicInteger closes = new AtomicInteger();
        KafkaStop stop = new KafkaStop();
        stop.begin(closes::incrementAndGet);
        stop.await();
        assertEquals(1, closes.get());
    }
}
