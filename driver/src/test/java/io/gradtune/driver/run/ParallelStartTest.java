package io.gradtune.driver.run;

import io.gradtune.driver.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParallelStartTest {

    /** Counts its closes. */
    private static final class Service implements AutoCloseable {
        final AtomicInteger closes = new AtomicInteger();

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }

    @Test
    void joinHandsTheServiceOverAndItIsNotClosedForTheCaller() throws InterruptedException {
        Service s = new Service();
        ParallelStart<Service> start = ParallelStart.begin("test-start", () -> s);
        assertSame(s, start.join());
        start.closeIfUnclaimed();
        assertEquals(0, s.closes.get());
    }

    @Test
    void aServiceNeverJoinedIsClosedOnceItHasStarted() throws InterruptedException {
        Service s = new Service();
        CountDownLatch release = new CountDownLatch(1);
        ParallelStart<Service> start = ParallelStart.begin("test-start", () -> {
            try {
                assertTrue(release.await(60, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return s;
        });
        release.countDown();
        start.closeIfUnclaimed(); // the caller failed before joining: waits for the start, then closes
        assertEquals(1, s.closes.get());
        start.closeIfUnclaimed();
        assertEquals(1, s.closes.get());
    }

    @Test
    void aFailedStartIsRethrownAsItWas() {
        ConfigException bad = new ConfigException("study.yaml", "data.source", "x.csv", "no such file");
        ParallelStart<Service> start = ParallelStart.begin("test-start", () -> {
            throw bad;
        });
        assertSame(bad, assertThrows(ConfigException.class, start::join));
        start.closeIfUnclaimed();
    }
}
