package io.gradtune.driver.faults;

import io.gradtune.driver.testing.BrokerProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Injects one broker outage into a running study: as soon as the study's first epoch record is in its
 * {@code metrics.jsonl} (trials are training and the driver reads the stream), the broker JVM is killed (SIGKILL),
 * left down for a given time, and started again on the same port and log directory. Runs on its own thread.
 */
final class BrokerOutage {

    private final Thread thread;
    private volatile long killedAtMillis = -1;
    private volatile long backAtMillis = -1;
    private volatile Throwable failure;

    private BrokerOutage(BrokerProcess broker, Path metricsLog, Duration down) {
        thread = new Thread(() -> {
            try {
                long deadline = System.nanoTime() + 180_000_000_000L;
                while (!firstRecord(metricsLog)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("no epoch record in " + metricsLog + " within 180 s");
                    }
                    Thread.sleep(10);
                }
                killedAtMillis = System.currentTimeMillis();
                broker.kill();
                Thread.sleep(down.toMillis()); // the outage itself
                broker.start();
                backAtMillis = System.currentTimeMillis();
            } catch (Throwable t) {
                failure = t;
            }
        }, "broker-outage");
        thread.setDaemon(true);
    }

    /** Starts watching; the outage follows the first record. */
    static BrokerOutage afterFirstRecord(BrokerProcess broker, Path metricsLog, Duration down) {
        BrokerOutage o = new BrokerOutage(broker, metricsLog, down);
        o.thread.start();
        return o;
    }

    private static boolean firstRecord(Path log) throws IOException {
        return Files.exists(log) && Files.size(log) > 0;
    }

    /** Waits for the outage to be over (the broker serving again) and fails if it could not be injected. */
    void awaitEnd() throws InterruptedException {
        thread.join(300_000);
        if (failure != null) {
            throw new AssertionError("the outage could not be injected", failure);
        }
        if (thread.isAlive() || backAtMillis < 0) {
            throw new AssertionError("the outage did not end");
        }
    }

    long killedAtMillis() {
        return killedAtMillis;
    }

    long backAtMillis() {
        return backAtMillis;
    }
}
