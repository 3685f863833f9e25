package io.gradtune.worker.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything an executor needs to train one trial: sent from the driver as JSON inside the Spark task.
 *
 * @param type            always {@link #TYPE}
 * @param schemaVersion   always {@link #SCHEMA_VERSION}
 * @param study           study name
 * @param trialId         trial id
 * @param params          the parameter assignment (values are numbers, strings or booleans), only active ones
 * @param epochs          epoch budget
 * @param seed            seed of the network's initial weights and of the mini-batch order
 * @param data            data reference
 * @param kafkaBootstrap  bootstrap servers the worker publishes to
 * @param metricsTopic    topic for {@link EpochMetrics}
 */
public record TrialSpec(
        String type,
        int schemaVersion,
        String study,
        String trialId,
        Map<String, Object> params,
        int epochs,
        long seed,
        DataSpec data,
        String kafkaBootstrap,
        String metricsTopic) implements Message {

    public static final String TYPE = "trial_spec";
    public static final int SCHEMA_VERSION = 1;

    public TrialSpec {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** Creates a spec of the current type and schema version. */
    public static TrialSpec of(String study, String trialId, Map<String, Object> params, int epochs, long seed,
                               DataSpec data, String kafkaBootstrap, String metricsTopic) {
        return new TrialSpec(TYPE, SCHEMA_VERSION, study, trialId, params, epochs, seed, data, kafkaBootstrap,
                metricsTopic);
    }
}
