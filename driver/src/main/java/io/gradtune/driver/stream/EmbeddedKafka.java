package io.gradtune.driver.stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A single-node Kafka broker (KRaft: broker and controller in one process) started inside the driver JVM for
 * local runs, on free loopback ports. Its log directory is either a given one (kept) or a temporary one
 * (deleted on close).
 *
 * <p>Besides its PLAINTEXT listener it can open a SASL_PLAINTEXT listener with the PLAIN mechanism
 * ({@link Options#saslPlainUser}), for tests of secured clients; the controller and inter-broker traffic stay on
 * PLAINTEXT. The users' passwords live only in the broker's in-memory configuration.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** The name of the SASL_PLAINTEXT listener, as in {@code listener.security.protocol.map}. */
    public static final String SASL_LISTENER = "SASL_PLAINTEXT";
    /** Temporary log directories are {@code gradtune-kafka-<pid>-<random>}, so leftovers name their process. */
    static final String TEMP_PREFIX = "gradtune-kafka-";

    private final KafkaRaftServer server;
    private final Path logDir;
    private final boolean temporary;
    private final String bootstrap;
    private final String saslBootstrap;

    private EmbeddedKafka(KafkaRaftServer server, Path logDir, boolean temporary, String bootstrap,
                          String saslBootstrap) {
        this.server = server;
        this.logDir = logDir;
        this.temporary = temporary;
        this.bootstrap = bootstrap;
        this.saslBootstrap = saslBootstrap;
    }

    /**
     * Formats the log directory if needed and starts the broker (PLAINTEXT only).
     *
     * @param dataDir log directory to use and keep, or null for a temporary one
     */
    public static EmbeddedKafka start(Path dataDir) {
        return options().dataDir(dataDir).start();
    }

    /** Options for a broker with more than the defaults, e.g. a SASL listener. */
    public static Options options() {
        return new Options();
    }

    /** What {@link #start()} starts: a log directory and the SASL/PLAIN users, if any. */
    public static final class Options {
        private Path dataDir;
        private int brokerPort;
        private int controllerPort;
        private final Map<String, String> saslUsers = new LinkedHashMap<>();

        private Options() {
        }

        /** Log directory to use and keep (default: a temporary one, deleted on close). */
        public Options dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /**
         * Fixed loopback ports for the PLAINTEXT listener and the controller (default: free ports), so a broker
         * restarted on the same log directory is found at the same address by the clients that knew it.
         */
        public Options ports(int broker, int controller) {
            this.brokerPort = broker;
            this.controllerPort = controller;
            return this;
        }

        /**
         * Opens a SASL_PLAINTEXT listener with the PLAIN mechanism (once any user is added) and adds a user to it.
         * A JAAS option cannot hold {@code "} or {@code \}, so neither may the password.
         */
        public Options saslPlainUser(String name, String password) {
            if (!name.matches("[A-Za-z0-9_]+")) {
                throw new IllegalArgumentException("a SASL user name uses letters, digits and _: " + name);
            }
            if (password.isEmpty() || password.contains("\"") || password.contains("\\")) {
                throw new IllegalArgumentException("the password of SASL user " + name
                        + " is empty or holds a quote or backslash, which a JAAS option cannot hold");
            }
            saslUsers.put(name, password);
            return this;
        }

        public EmbeddedKafka start() {
            return EmbeddedKafka.start(this);
        }
    }

    private static EmbeddedKafka start(Options options) {
        Path dataDir = options.dataDir;
        try {
            boolean temporary = dataDir == null;
            Path dir = temporary ? Files.createTempDirectory(TEMP_PREFIX + ProcessHandle.current().pid() + "-") : dataDir.toAbsolutePath();
            Files.createDirectories(dir);
            int[] free = freePorts(3); // distinct: two free ports picked one after the other can be the same port
            int brokerPort = options.brokerPort > 0 ? options.brokerPort : free[0];
            int controllerPort = options.controllerPort > 0 ? options.controllerPort : free[1];
            boolean sasl = !options.saslUsers.isEmpty();
            int saslPort = sasl ? free[2] : -1;
            String saslListener = sasl ? "," + SASL_LISTENER + "://127.0.0.1:" + saslPort : "";
            Properties p = new Properties();
            p.put("process.roles", "broker,controller");
            p.put("node.id", "1");
            p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort
                    + saslListener);
            p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + saslListener);
            p.put("controller.listener.names", "CONTROLLER");
            p.put("inter.broker.listener.name", "PLAINTEXT");
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
                    + (sasl ? "," + SASL_LISTENER + ":SASL_PLAINTEXT" : ""));
            if (sasl) {
                StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
                options.saslUsers.forEach((user, password) ->
                        jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
                String prefix = "listener.name." + SASL_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
                p.put(prefix + "sasl.enabled.mechanisms", "PLAIN");
                p.put(prefix + "plain.sasl.jaas.config", jaas.append(';').toString());
            }
            p.put("log.dirs", dir.toString());
            p.put("offsets.topic.replication.factor", "1");
            p.put("offsets.topic.num.partitions", "1");
            p.put("transaction.state.log.replication.factor", "1");
            p.put("transaction.state.log.min.isr", "1");
            p.put("group.initial.rebalance.delay.ms", "0");
            p.put("num.partitions", "1");
            p.put("auto.create.topics.enable", "false");
            p.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
            SingleNodeSettings.apply(p);
            if (temporary) {
                SingleNodeSettings.applyTemporary(p); // no controlled shutdown: nothing to hand over, data deleted
            }
            KafkaConfig config = new KafkaConfig(p, false);
            // A kept directory formatted by an earlier start keeps its cluster id: formatting it again with a new
            // id fails, so a broker restarted on its directory would never start.
            if (!Files.exists(dir.resolve("meta.properties"))) {
                format(dir);
            }
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            return new EmbeddedKafka(server, dir, temporary, "127.0.0.1:" + brokerPort,
                    sasl ? "127.0.0.1:" + saslPort : null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the embedded Kafka broker's directory", e);
        } catch (Exception e) {
            throw new IllegalStateException("the embedded Kafka broker did not start: " + e.getMessage(), e);
        }
    }

    private static void format(Path dir) throws Exception {
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(1)
                .setClusterId(Uuid.randomUuid().toString())
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(dir.toString())
                .addDirectory(dir.toString())
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setIgnoreFormatted(true)
                .run();
    }

    /** The PLAINTEXT listener's address. */
    public String bootstrapServers() {
        return bootstrap;
    }

    /** The SASL_PLAINTEXT (PLAIN) listener's address, or null when the broker has none. */
    public String saslBootstrapServers() {
        return saslBootstrap;
    }

    public Path logDir() {
        return logDir;
    }

    /**
     * Deletes the temporary log directories of embedded brokers whose process is gone (a driver killed with
     * {@code kill -9} cannot delete its own): {@code gradtune-kafka-<pid>-*} in the temp directory whose pid runs
     * no process. Returns the directories deleted.
     */
    public static List<Path> removeLeftovers() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> removed = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(tmp)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                String name = d.getFileName().toString();
                if (!name.startsWith(TEMP_PREFIX)) {
                    continue;
                }
                // gradtune-kafka-<pid>-<random> only: an older gradtune named them gradtune-kafka-<random>, whose
                // digits are no pid (reading them as one deleted a running broker's directory).
                String[] parts = name.substring(TEMP_PREFIX.length()).split("-", 2);
                if (parts.length < 2 || !parts[0].matches("[0-9]{1,10}")
                        || ProcessHandle.of(Long.parseLong(parts[0])).isPresent()) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(d)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
                removed.add(d);
            }
        } catch (IOException e) {
            // best effort: a leftover that cannot be listed or deleted stays where it is
        }
        return removed;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (temporary) {
            try (Stream<Path> files = Files.walk(logDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // a leftover temporary directory is harmless
            }
        }
    }

    /**
     * {@code n} distinct ports nothing listens on now, on the loopback address: all are held open until the last is
     * found, so none is handed out twice.
     */
    static int[] freePorts(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                held.add(s);
                s.setReuseAddress(true);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }

    /** A port nothing listens on now, on the loopback address. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
