package io.gradtune.driver.run;

import io.gradtune.driver.stream.EmbeddedKafka;
import io.gradtune.worker.telemetry.KafkaMetricsPublisher;
import io.gradtune.worker.telemetry.KafkaVerdicts;

/**
 * Ends the study's use of Kafka as soon as the study no longer needs it (issue 14, item 3): once the metrics topic was
 * read to its end and the study's record and outage counts were taken, {@link #begin} closes the driver's Kafka
 * clients and the trials' shared producers, then stops the embedded broker on its own thread while the study refits
 * its best trial, computes the feature importance and writes its reports, none of which goes through Kafka. Before,
 * the broker's stop (its logs flushed and closed, its threads joined, its temporary directory deleted) followed the
 * reports and was most of a study's exit.
 *
 * <p>Whoever creates one calls {@link #await()} in a {@code finally}: it closes the trials' producers again (one a
 * cancelled trial's task, still winding down, may have opened since), begins the stop if nobody did (a study that
 * failed before its end stops Kafka there, as before) and waits for it; what the broker's close threw is rethrown
 * there. An external broker ({@link #broker} never set) is left running: only the clients close.</p>
 */
final class KafkaStop {

    private EmbeddedKafka broker;
    private boolean begun;
    private Thread stopping;
    private volatile RuntimeException closeFailure;

    /** The embedded broker to stop, once it has started. */
    synchronized void broker(EmbeddedKafka started) {
        this.broker = started;
    }

    /**
     * Closes {@code clients} (the driver's consumer and publishers; each may be closed again later) and the trials'
     * shared producers, then begins the broker's stop on thread {@code gradtune-broker-stop}; a second call does
     * nothing.
     */
    synchronized void begin(AutoCloseable... clients) {
        if (begun) {
            return;
        }
        begun = true;
        for (AutoCloseable c : clients) {
            try {
                c.close();
            } catch (Exception e) {
                // closed again, and reported if it fails again, where the study closes its resources
            }
        }
        closeProducers();
        if (broker != null) {
            EmbeddedKafka b = broker;
            stopping = new Thread(() -> {
                try {
                    b.close();
                } catch (RuntimeException e) {
                    closeFailure = e;
                }
            }, "gradtune-broker-stop");
            stopping.start();
        }
    }

    /** Begins the stop if needed and waits for it; an interrupt is kept for the caller, not a reason to leave early. */
    void await() {
        closeProducers();
        Thread t;
        synchronized (this) {
            if (!begun) {
                begun = true;
                if (broker != null) {
                    broker.close(); // on the caller's thread, as before: nothing else to do meanwhile
                }
                return;
            }
            t = stopping;
        }
        if (t == null) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (closeFailure != null) {
            throw closeFailure;
        }
    }

    private static void closeProducers() {
        KafkaMetricsPublisher.closeAll();
        KafkaVerdicts.closeAll();
    }
}
