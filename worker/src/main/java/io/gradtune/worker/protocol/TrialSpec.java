package io.gradtune.worker.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything an executor needs to train one trial: sent from the driver as JSON inside the Spark task.
 *
 * @param type            always {@link #TYPE}
 * @param schemaVersion   always {@link #SCHEMA_VERSION}
 * @param study           study name
 * @param runId           the run (one {@code gradtune run} or {@code resume} process) that launched the trial: every
 *                        epoch record of the trial carries it, so the driver can tell its own records from those of
 *                        another run of a study with the same name on the same topic
 * @param trialId         trial id
 * @param params          the parameter assignment (values are numbers, strings or booleans), only active ones
 * @param epochs          epoch budget
 * @param seed            seed of the network's initial weights and of the mini-batch order
 * @param data            data reference
 * @param kafkaBootstrap  bootstrap servers the worker publishes to
 * @param metricsTopic    topic for {@link EpochMetrics}
 * @param kafkaProperties the study's {@code kafka.properties} as written in the config (security settings), with
 *                        {@code ${env:NAME}} placeholders unresolved: the executor resolves them from its own
 *                        environment when it starts its producer, so a spec never carries a secret that was given
 *                        as a placeholder. Never null (an absent field reads as empty).
 * @param kafkaOutageToleranceMillis how long the worker's producer waits for an absent broker before it gives up
 *                        on a record ({@code kafka.outage_tolerance}); an absent or non-positive field reads as the
 *                        default, 5 minutes. An optional field (a worker that ignores it keeps its producer's
 *                        defaults, which only shortens the outages it survives).
 * @param stopping        the study's per-trial stopping rules and objective as plain values (the JSON form of the
 *                        worker's {@code stopping.TrialStopping}, which reads it: this package knows no rules): the
 *                        worker applies them after each epoch and ends the trial at once when one fires (the driver
 *                        applies the same rules to the records and records the decision). Null or empty: the worker
 *                        never stops on its own. An optional field: a worker that ignores it only stops later, when
 *                        the driver's cancel arrives.
 * @param controlTopic    the topic of the driver's {@link Verdict}s, or null (no waits)
 * @param decisionEpochs  the epochs after which a comparative rule may stop the trial (ASHA's rungs, every epoch
 *                        from the median rule's {@code min_epochs}): after each the worker waits for the driver's
 *                        verdict before it trains on. Null or empty: it never waits.
 * @param modelClass      the user's {@code io.gradtune.api.ModelFactory} class that builds the trial's network from
 *                        {@code params} ({@code model.class} in the config), or null for gradtune's built-in network.
 *                        An optional field, only ever sent from the driver to Spark tasks: a worker loads the class
 *                        named here, so a spec is never read from Kafka or a run directory for training.
 * @param fineTune        the study's fine-tuning ({@code model.init_from}): the trial restores that saved model and
 *                        freezes its first layers instead of building a network; null otherwise. An optional field.
 */
public record TrialSpec(
        String type,
        int schemaVersion,
        String study,
        String runId,
        String trialId,
        Map<String, Object> params,
        int epochs,
        long seed,
        DataSpec data,
        String kafkaBootstrap,
        String metricsTopic,
        Map<String, String> kafkaProperties,
        Long kafkaOutageToleranceMillis,
        Map<String, Object> stopping,
        String controlTopic,
        List<Integer> decisionEpochs,
        String modelClass,
        FineTuneSpec fineTune) implements Message {

    public static final String TYPE = "trial_spec";
    /**
     * 2 added {@code kafkaProperties}. A new version rather than a tolerated extra field: a worker that ignored it
     * would publish without the security settings and no record would ever arrive. 3 added {@code runId}: a worker
     * that ignored it would publish records the driver rejects as another run's.
     */
    public static final int SCHEMA_VERSION = 3;

    /** {@link #kafkaOutageToleranceMillis} when the driver sends none: 5 minutes. */
    public static final long DEFAULT_OUTAGE_TOLERANCE_MILLIS = 300_000;

    public TrialSpec {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        kafkaProperties = kafkaProperties == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(kafkaProperties));
        stopping = stopping == null || stopping.isEmpty() ? null
                : Collections.unmodifiableMap(new LinkedHashMap<>(stopping));
        modelClass = modelClass == null || modelClass.isBlank() ? null : modelClass;
        decisionEpochs = decisionEpochs == null || decisionEpochs.isEmpty() ? null : List.copyOf(decisionEpochs);
        if (kafkaOutageToleranceMillis == null || kafkaOutageToleranceMillis <= 0) {
            kafkaOutageToleranceMillis = DEFAULT_OUTAGE_TOLERANCE_MILLIS;
        }
    }

    /** A spec without fine-tuning (the form before {@link #fineTune} existed). */
    public TrialSpec(String type, int schemaVersion, String study, String runId, String trialId,
                     Map<String, Object> params, int epochs, long seed, DataSpec data, String kafkaBootstrap,
                     String metricsTopic, Map<String, String> kafkaProperties, Long kafkaOutageToleranceMillis,
                     Map<String, Object> stopping, String controlTopic, List<Integer> decisionEpochs,
                     String modelClass) {
        this(type, schemaVersion, study, runId, trialId, params, epochs, seed, data, kafkaBootstrap, metricsTopic,
                kafkaProperties, kafkaOutageToleranceMillis, stopping, controlTopic, decisionEpochs, modelClass, null);
    }

    /** Creates a spec of the current type and schema version. */
    public static TrialSpec of(String study, String runId, String trialId, Map<String, Object> params, int epochs,
                               long seed, DataSpec data, String kafkaBootstrap, String metricsTopic) {
        return new TrialSpec(TYPE, SCHEMA_VERSION, study, runId, trialId, params, epochs, seed, data, kafkaBootstrap,
                metricsTopic, Map.of(), DEFAULT_OUTAGE_TOLERANCE_MILLIS, null, null, null, null);
    }

    /** This spec with the study's Kafka client properties, placeholders unresolved (see {@link #kafkaProperties}). */
    public TrialSpec withKafkaProperties(Map<String, String> properties) {
        return new TrialSpec(type, schemaVersion, study, runId, trialId, params, epochs, seed, data, kafkaBootstrap,
                metricsTopic, properties, kafkaOutageToleranceMillis, stopping, controlTopic, decisionEpochs, modelClass,
                fineTune);
    }

    /** This spec with the study's {@code kafka.outage_tolerance} (see {@link #kafkaOutageToleranceMillis}). */
    public TrialSpec withKafkaOutageTolerance(java.time.Duration tolerance) {
        return new TrialSpec(type, schemaVersion, study, runId, trialId, params, epochs, seed, data, kafkaBootstrap,
                metricsTopic, kafkaProperties, tolerance.toMillis(), stopping, controlTopic, decisionEpochs, modelClass,
                fineTune);
    }

    /** This spec with the study's per-trial stopping rules (see {@link #stopping}). */
    public TrialSpec withStopping(Map<String, Object> rules) {
        return new TrialSpec(type, schemaVersion, study, runId, trialId, params, epochs, seed, data, kafkaBootstrap,
                metricsTopic, kafkaProperties, kafkaOutageToleranceMillis, rules, controlTopic, decisionEpochs, modelClass,
                fineTune);
    }

    /** This spec with the driver's verdicts to wait for (see {@link #decisionEpochs}). */
    public TrialSpec withVerdicts(String topic, List<Integer> atEpochs) {
        return new TrialSpec(type, schemaVersion, study, runId, trialId, params, epochs, seed, data, kafkaBootstrap,
                metricsTopic, kafkaProperties, kafkaOutageToleranceMillis, stopping, topic, atEpochs, modelClass, fineTune);
    }

    /** This spec with the user's model class (see {@link #modelClass}); null: the built-in network. */
    public TrialSpec withModelClass(String className) {
        return new TrialSpec(type, schemaVersion, study, runId, trialId, params, epochs, seed, data, kafkaBootstrap,
                metricsTopic, kafkaProperties, kafkaOutageToleranceMillis, stopping, controlTopic, decisionEpochs,
                className, fineTune);
    }

    /** This spec fine-tuning a saved model (see {@link #fineTune}); null: none. */
    public TrialSpec withFineTune(FineTuneSpec settings) {
        return new TrialSpec(type, schemaVersion, study, runId, trialId, params, epochs, seed, data, kafkaBootstrap,
                metricsTopic, kafkaProperties, kafkaOutageToleranceMillis, stopping, controlTopic, decisionEpochs,
                modelClass, settings);
    }

    /** {@link #kafkaOutageToleranceMillis} as a duration. */
    public java.time.Duration kafkaOutageTolerance() {
        return java.time.Duration.ofMillis(kafkaOutageToleranceMillis);
    }
}
