package io.gradtune.driver.stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Creates the study's topics when they do not exist yet (an external broker may already have them). */
public final class Topics {

    /** Partitions of the metrics topic: records of one trial stay in one partition (keyed by trial id). */
    public static final int METRICS_PARTITIONS = 4;

    private Topics() {
    }

    public static void ensure(String bootstrap, Map<String, String> clientProperties, String metricsTopic,
                              String trialsTopic) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            if (!existing.contains(metricsTopic)) {
                missing.add(new NewTopic(metricsTopic, METRICS_PARTITIONS, (short) -1));
            }
            if (!existing.contains(trialsTopic)) {
                missing.add(new NewTopic(trialsTopic, 1, (short) -1));
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topics " + metricsTopic + ", " + trialsTopic + " on "
                    + bootstrap + ": " + e.getMessage(), e);
        }
    }
}
