package io.gradtune.driver.stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches whether the study's Kafka brokers answer, so that every outage is seen, logged and counted, not only
 * guessed from late records: once a second a {@code describeCluster} with a one-second timeout. The first failed
 * check starts an outage ({@code kafka: brokers unreachable since 09:12:03Z (...)}), the next answer ends it
 * ({@code kafka: back after 10.2 s}); {@link #counts()} gives the number of outages and their total and longest
 * duration for {@code study.json}. The monitor only observes: producers and the consumer ride out an outage on their
 * own (see {@code kafka.outage_tolerance}).
 */
public final class OutageMonitor implements AutoCloseable {

    /** Time between checks, and the longest one check waits. */
    public static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(OutageMonitor.class);

    /**
     * What the monitor saw.
     *
     * @param outages        outages seen (one still going counts)
     * @param outageSeconds  their total duration, an ongoing one up to now
     * @param longestSeconds the longest one, an ongoing one up to now
     */
    public record Counts(int outages, double outageSeconds, double longestSeconds) {
    }

    private final Admin admin;
    private final Consumer<String> console;
    private final Thread thread;
    private volatile boolean running = true;
    private int outages;
    private long totalNanos;
    private long longestNanos;
    /** System.nanoTime() when the current outage started, or -1 while the brokers answer. */
    private long downSince = -1;

    /**
     * @param clientProperties resolved client properties (security settings)
     * @param console          receives the outage lines (the study's console); they are logged as well
     */
    public OutageMonitor(String bootstrap, Map<String, String> clientProperties, Consumer<String> console) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "gradtune-outage-monitor");
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        this.admin = Admin.create(p);
        this.console = console;
        this.thread = new Thread(this::loop, "gradtune-kafka-monitor");
        thread.setDaemon(true);
    }

    /** Starts checking, once a second, on its own thread. */
    public OutageMonitor start() {
        thread.start();
        return this;
    }

    private void loop() {
        while (running) {
            long started = System.nanoTime();
            check(started);
            long left = CHECK_INTERVAL.toNanos() - (System.nanoTime() - started);
            if (left > 0 && running) {
                try {
                    TimeUnit.NANOSECONDS.sleep(left);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void check(long started) {
        String failure = null;
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) CHECK_INTERVAL.toMillis())).nodes()
                    .get(CHECK_INTERVAL.toMillis() + 500, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            failure = c.getClass().getSimpleName() + ": " + c.getMessage();
        } catch (java.util.concurrent.TimeoutException e) {
            failure = "no answer within " + CHECK_INTERVAL.toMillis() + " ms";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return;
        }
        String line = null;
        synchronized (this) {
            if (failure != null && downSince < 0) {
                downSince = started;
                outages++;
                Instant since = Instant.now().minusNanos(System.nanoTime() - started).truncatedTo(ChronoUnit.SECONDS);
                line = "kafka: brokers unreachable since " + since + " (" + failure + ")";
            } else if (failure == null && downSince >= 0) {
                long nanos = System.nanoTime() - downSince;
                totalNanos += nanos;
                longestNanos = Math.max(longestNanos, nanos);
                downSince = -1;
                line = String.format(Locale.ROOT, "kafka: back after %.1f s", nanos / 1e9);
            }
        }
        if (line != null) {
            if (failure != null) {
                LOG.warn(line);
            } else {
                LOG.info(line);
            }
            console.accept(line);
        }
    }

    /**
     * Checks the brokers once more now, on the caller's thread, if an outage is open: the study calls it before it
     * takes {@link #counts()} and stops its Kafka clients, so an outage that ended while the last trials finished is
     * reported ({@code kafka: back after ...}) and counted as ended, not cut off by the monitor's close before its next
     * check.
     */
    public void recheckIfDown() {
        synchronized (this) {
            if (downSince < 0) {
                return;
            }
        }
        check(System.nanoTime());
    }

    /** The outages seen so far; an ongoing one counts with its duration up to now. */
    public synchronized Counts counts() {
        long ongoing = downSince < 0 ? 0 : System.nanoTime() - downSince;
        return new Counts(outages, (totalNanos + ongoing) / 1e9, Math.max(longestNanos, ongoing) / 1e9);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(2));
    }
}
