package io.gradtune.driver.testing;

import io.gradtune.driver.stream.EmbeddedKafka;

import java.nio.file.Path;

/**
 * The main of a broker JVM for fault tests ({@link BrokerProcess}): an {@link EmbeddedKafka} on fixed ports and a
 * kept log directory, so the JVM can be killed and started again at the same address with the same topics and
 * records. Prints {@value #READY} and the bootstrap address once the broker serves; closes the broker on SIGTERM.
 *
 * <p>Arguments: {@code <log dir> <broker port> <controller port>}.
 */
public final class BrokerMain {

    /** The line printed once the broker serves. */
    public static final String READY = "gradtune-broker ready";

    private BrokerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        EmbeddedKafka broker = EmbeddedKafka.options().dataDir(Path.of(args[0]))
                .ports(Integer.parseInt(args[1]), Integer.parseInt(args[2])).start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "broker-shutdown"));
        System.out.println(READY + " " + broker.bootstrapServers());
        System.out.flush();
        Thread.currentThread().join();
    }
}
