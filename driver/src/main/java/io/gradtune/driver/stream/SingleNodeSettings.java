package io.gradtune.driver.stream;

import java.util.Map;
import java.util.Properties;

/**
 * Broker settings that only a single-node broker living inside one driver JVM for one study can use (issue 14,
 * items 3 and 4): fewer threads, a small log-cleaner buffer and short heartbeats, so the embedded broker starts and
 * stops sooner and holds less memory. A broker the study connects to ({@code kafka.bootstrap}) is not touched.
 *
 * <ul>
 *   <li>{@code broker.heartbeat.interval.ms} 500 (default 2000): the broker's state changes (unfenced once it has
 *       caught up with the metadata log, its controlled shutdown) travel on heartbeats; the controller is in the same
 *       process. Not shorter: the controller drops a heartbeat that waited in its queue longer than this interval and
 *       logs an error, which at 100 ms happened under a load average of 26 here.</li>
 *   <li>{@code num.network.threads} 1, {@code num.io.threads} 2, {@code background.threads} 2 (defaults 3, 8, 10):
 *       a study has a handful of clients (the trials' producers, one consumer, the event and verdict
 *       producers).</li>
 *   <li>{@code log.cleaner.dedupe.buffer.size} 2 MiB (default 128 MiB, allocated on the Java heap when the broker
 *       starts): the only compacted topic is {@code __consumer_offsets}, which holds a few offsets per study.</li>
 * </ul>
 *
 * <p>A broker on a temporary log directory (deleted when it closes) also gets {@link #TEMPORARY_SETTINGS}:
 * {@code controlled.shutdown.enable} false. A controlled shutdown asks the controller to move the broker's partition
 * leaders elsewhere and waits for its answer, which travels on the next heartbeat (up to 500 ms); a single node has
 * nowhere to move them to, and a temporary directory's data is deleted right after, so the wait only delayed the
 * study's exit (issue 14, item 3). The log manager still closes its logs cleanly. A kept directory (a broker that may
 * be restarted on it) keeps Kafka's default, and so does every broker with
 * {@code -Dgradtune.broker.controlledShutdown=true}.</p>
 */
final class SingleNodeSettings {

    static final Map<String, String> SETTINGS = Map.of(
            "broker.heartbeat.interval.ms", "500",
            "num.network.threads", "1",
            "num.io.threads", "2",
            "background.threads", "2",
            "log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));

    /** Settings for a single-node broker whose log directory is temporary (see the class comment). */
    static final Map<String, String> TEMPORARY_SETTINGS = Map.of("controlled.shutdown.enable", "false");

    private SingleNodeSettings() {
    }

    /** Adds the settings to a single-node broker's properties. */
    static void apply(Properties p) {
        SETTINGS.forEach(p::put);
    }

    /** The switch that keeps Kafka's controlled shutdown on a temporary directory too, for side-by-side timings. */
    static final String CONTROLLED_SHUTDOWN_SWITCH = "gradtune.broker.controlledShutdown";

    /**
     * Adds the settings to the properties of a single-node broker whose log directory is deleted when it closes,
     * unless {@code -D}{@value #CONTROLLED_SHUTDOWN_SWITCH}{@code =true} keeps Kafka's default.
     */
    static void applyTemporary(Properties p) {
        if (!Boolean.getBoolean(CONTROLLED_SHUTDOWN_SWITCH)) {
            TEMPORARY_SETTINGS.forEach(p::put);
        }
    }
}
