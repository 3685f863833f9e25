package io.gradtune.driver.stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes sure the study's topics exist: a missing topic is created with the configured partitions and replication
 * factor; an existing one (an external broker may already have it, made by an administrator or an earlier study) is
 * left exactly as it is and described, so the driver can say what it found. Records of one trial stay in order
 * whatever the partition count: they are keyed by trial id.
 */
public final class Topics {

    private static final long TIMEOUT_SECONDS = 30;

    private Topics() {
    }

    /**
     * A topic as the broker has it.
     *
     * @param created true when this call created it, false when it existed
     */
    public record State(String name, int partitions, int replicationFactor, boolean created) {

        /** One line for the console, e.g. {@code gradtune.metrics: created, 4 partitions, replication factor 1}. */
        public String describe() {
            return name + ": " + (created ? "created" : "exists, left as it is") + ", " + partitions
                    + (partitions == 1 ? " partition" : " partitions") + ", replication factor " + replicationFactor;
        }
    }

    /**
     * Creates those of {@code topics} that do not exist.
     *
     * @param clientProperties  resolved client properties (security settings)
     * @param partitions        partitions of a created topic, at least 1
     * @param replicationFactor replication factor of a created topic, or null for the broker's default
     * @return every topic's state, in the order given
     * @throws IllegalStateException with a message saying what to check when Kafka cannot be reached, refuses the
     *                               credentials or the permission, or cannot place the replicas
     */
    public static List<State> ensure(String bootstrap, Map<String, String> clientProperties, List<String> topics,
                                     int partitions, Integer replicationFactor) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(TIMEOUT_SECONDS * 1000));
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "gradtune-driver-admin");
        try (Admin admin = Admin.create(p)) {
            Map<String, State> states = new LinkedHashMap<>();
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : topics) {
                State s = describe(admin, topic);
                if (s != null) {
                    states.put(topic, s);
                } else {
                    missing.add(new NewTopic(topic, Optional.of(partitions),
                            Optional.ofNullable(replicationFactor).map(Integer::shortValue)));
                }
            }
            if (!missing.isEmpty()) {
                CreateTopicsResult result = admin.createTopics(missing);
                for (NewTopic t : missing) {
                    String name = t.name();
                    try {
                        get(result.values().get(name), "creating topic " + name);
                        states.put(name, new State(name, get(result.numPartitions(name), name),
                                get(result.replicationFactor(name), name), true));
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw failure(bootstrap, "cannot create topic " + name + " (" + partitions + " partitions, "
                                    + (replicationFactor == null ? "the broker's default replication factor"
                                    : "replication factor " + replicationFactor) + ")", e.getCause());
                        }
                        // Created a moment ago (by another study, or by an earlier call whose metadata the broker
                        // has not published yet): describe it once the broker shows it.
                        State s = describeWhenVisible(admin, name);
                        states.put(name, s != null ? s : new State(name, partitions, -1, false));
                    }
                }
            }
            List<State> out = new ArrayList<>();
            topics.forEach(t -> out.add(states.get(t)));
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing topics " + topics, e);
        } catch (ExecutionException e) {
            throw failure(bootstrap, "cannot read topics " + topics, e.getCause());
        }
    }

    /**
     * The state of a topic the broker says exists, polling its metadata until it shows (a topic just created is
     * known to the controller before the broker's metadata cache lists it); null if it never shows within the
     * timeout.
     */
    private static State describeWhenVisible(Admin admin, String topic) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            State s = describe(admin, topic);
            if (s != null || System.nanoTime() > deadline) {
                return s;
            }
            Thread.sleep(50);
        }
    }

    /** The topic's state, or null when it does not exist. */
    private static State describe(Admin admin, String topic) throws InterruptedException, ExecutionException {
        try {
            TopicDescription d = get(admin.describeTopics(List.of(topic)).topicNameValues().get(topic),
                    "describing topic " + topic);
            int rf = d.partitions().isEmpty() ? 0 : d.partitions().get(0).replicas().size();
            return new State(topic, d.partitions().size(), rf, false);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return null;
            }
            throw e;
        }
    }

    private static <T> T get(KafkaFuture<T> future, String what) throws InterruptedException, ExecutionException {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new ExecutionException(new org.apache.kafka.common.errors.TimeoutException(
                    "no answer within " + TIMEOUT_SECONDS + " s while " + what));
        }
    }

    /** A message that says what went wrong and what to check; Kafka's own message kept as the cause. */
    private static IllegalStateException failure(String bootstrap, String what, Throwable cause) {
        String hint;
        if (cause instanceof AuthenticationException) {
            hint = "Kafka refused the client's credentials; check kafka.properties (security.protocol, "
                    + "sasl.mechanism, sasl.jaas.config, ssl.*)";
        } else if (cause instanceof AuthorizationException) {
            hint = "the study's Kafka user lacks a permission (Describe on the topics; Create on the cluster or the "
                    + "topics when they are missing): grant it, or have an administrator create the topics";
        } else if (cause instanceof InvalidReplicationFactorException) {
            hint = "lower kafka.replication_factor to at most the number of brokers (or omit it for the broker's "
                    + "default)";
        } else if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            hint = "is the broker up, and do kafka.bootstrap and kafka.properties' security.protocol match its listener?";
        } else {
            hint = "see the cause below";
        }
        return new IllegalStateException("Kafka at " + bootstrap + ": " + what + ": "
                + (cause == null ? "unknown error" : cause.getMessage()) + " — " + hint, cause);
    }
}
