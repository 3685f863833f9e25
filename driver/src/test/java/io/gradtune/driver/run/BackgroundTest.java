package io.gradtune.driver.run;

import io.gradtune.driver.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackgroundTest {

    @Test
    void joinReturnsTheResultComputedOnAnotherThread() {
        Background<String> b = Background.start("test-background", stop -> Thread.currentThread().getName());
        assertEquals("test-background", b.join());
    }

    @Test
    void aFailureIsRethrownAsItWas() {
        ConfigException bad = new ConfigException("study.yaml", "data.source", "x.csv", "no such file");
        Background<String> b = Background.start("test-background", stop -> {
            throw bad;
        });
        assertSame(bad, assertThrows(ConfigException.class, b::join));
    }

    @Test
    void aCheckedFailureComesWrapped() {
        Background<String> b = Background.start("test-background", stop -> {
            throw sneaky(new java.io.IOException("disk"));
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, b::join);
        assertEquals("disk", e.getCause().getMessage());
    }

    @Test
    void cancelRaisesTheStopFlagAndWaitsForTheWorkToEnd() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean ended = new AtomicBoolean();
        Background<String> b = Background.start("test-background", stop -> {
            started.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!stop.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    return "never stopped";
                }
                Thread.onSpinWait();
            }
            ended.set(true);
            throw new IllegalStateException("stopped");
        });
        assertTrue(started.await(60, TimeUnit.SECONDS));
        assertFalse(ended.get());
        b.cancel(); // the work's failure is dropped
        assertTrue(ended.get());
    }

    @Test
    void joinKeepsAnInterruptForTheCaller() {
        Background<Integer> b = Background.start("test-background", stop -> 7);
        Thread.currentThread().interrupt();
        try {
            assertEquals(7, b.join());
            assertTrue(Thread.interrupted()); // cleared here for the next test
        } finally {
            Thread.interrupted();
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable e) throws E {
        throw (E) e;
    }
}
