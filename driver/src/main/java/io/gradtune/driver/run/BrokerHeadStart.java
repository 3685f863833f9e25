package io.gradtune.driver.run;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.stream.EmbeddedKafka;

/**
 * Begins the embedded broker's start as soon as {@code run} has checked its config, data and run directory (issue
 * 14, item 3), so that it overlaps what {@code run} does before the study starts (the sampler, logging's set-up, the
 * run directory's lock, the warm-ups' and Spark's start) instead of following it: the broker's start is the longest
 * step before the first trial. {@link StudyRunner#run()} takes the broker over where it started one before; whoever
 * begins a head start closes it (try-with-resources), which closes a broker the study never took, once it is up (a
 * usage error found later, e.g. a busy {@code --ui-port}: nothing is left running, its temporary directory is
 * deleted). A bad config, data or output directory is still reported before anything starts.
 *
 * <p>Only for an embedded broker on a temporary log directory ({@code kafka.bootstrap: embedded} without
 * {@code kafka.data_dir}, the default): a kept directory is not touched before the study owns its run directory.
 * {@code -Dgradtune.broker.headStart=false} turns it off (the broker then starts where it did before).</p>
 */
public final class BrokerHeadStart implements AutoCloseable {

    /** The switch that turns the head start off, for side-by-side timings. */
    public static final String SWITCH = "gradtune.broker.headStart";

    private final ParallelStart<EmbeddedKafka> start;

    private BrokerHeadStart(ParallelStart<EmbeddedKafka> start) {
        this.start = start;
    }

    /** Whether {@code config}'s broker can start ahead: embedded, temporary log directory, not switched off. */
    static boolean applies(StudyConfig config) {
        return config.kafka().embedded() && config.kafka().dataDir() == null
                && Boolean.parseBoolean(System.getProperty(SWITCH, "true"));
    }

    /** Begins the broker's start on its own thread if it {@link #applies}; else returns null (nothing started). */
    public static BrokerHeadStart beginIfApplies(StudyConfig config) {
        return applies(config) ? new BrokerHeadStart(ParallelStart.begin("gradtune-broker-start",
                () -> EmbeddedKafka.start(null))) : null;
    }

    /** Waits for the broker and takes it over; what its start threw is rethrown as {@link EmbeddedKafka#start} throws it. */
    EmbeddedKafka join() throws InterruptedException {
        return start.join();
    }

    /** Closes the broker once it is up unless the study took it over; does nothing after {@link #join()}. */
    @Override
    public void close() {
        start.closeIfUnclaimed();
    }
}
