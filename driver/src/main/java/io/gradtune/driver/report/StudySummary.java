package io.gradtune.driver.report;

import io.gradtune.driver.config.KafkaSecrets;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.diagnose.Remedies;
import io.gradtune.driver.rank.Leaderboard;
import io.gradtune.driver.study.TrialResult;
import io.gradtune.driver.study.TrialState;
import io.gradtune.worker.protocol.ReportJson;
import io.gradtune.worker.secret.Redaction;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code study.json}: the study's provenance and totals: the config as written plus the effective settings,
 * seeds, library and JVM versions, trial counts by state, epochs trained (every attempt's accepted records, so the
 * line count of {@code metrics.jsonl}), wall time, the best trial, and per diagnosed trial its diagnosis, stop decision
 * and {@code fixes} ({@link Remedies}: {@code [{id, text, change, inSpace}]}, empty for a healthy trial).
 * Written by Jackson ({@link ReportJson}, indented); non-finite numbers (a NaN loss, an infinite evidence value)
 * are written as {@code null}. Secrets: the value of every secret setting of {@code kafka.properties} and
 * {@code spark.properties} (a key containing password, secret, jaas, token, key or credential, see
 * {@link Redaction}) is {@code [hidden]}, whether written literally or as a {@code ${env:NAME}} placeholder, in the
 * effective settings and in the config text.
 */
public final class StudySummary {

    private StudySummary() {
    }

    /** The file's text; {@code extra} entries are added at the top level, last. */
    public static String render(StudyConfig config, Map<String, String> versions, List<TrialResult> results,
                                Leaderboard leaderboard, double wallSeconds, Map<String, Object> extra) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("study", config.study());
        root.put("configFile", config.source() == null ? null : config.source().toString());
        root.put("configText", configText(config));
        Map<String, Object> effective = new LinkedHashMap<>();
        effective.put("objective", ordered("metric", config.objective().metric(),
                "direction", config.objective().maximize() ? "maximize" : "minimize"));
        effective.put("algorithm", config.search().algorithm());
        effective.put("repair", config.search().repair());
        effective.put("feedback", config.search().feedback());
        boolean gp = List.of("bayesian", "gp").contains(config.search().algorithm().toLowerCase(java.util.Locale.ROOT));
        effective.put("prior", gp && config.pathologyPrior() != null ? StudyConfig.Search.PRIOR_TUTORIALS
                : StudyConfig.Search.PRIOR_NONE);
        effective.put("costAware", gp && config.samplerOptions().costAware());
        effective.put("maxTrials", config.search().maxTrials());
        effective.put("epochs", config.training().epochs());
        effective.put("sparkMaster", config.spark().sparkMaster());
        effective.put("maxAttempts", config.spark().maxAttempts());
        effective.put("kafka", config.kafka().embedded() ? "embedded" : config.kafka().bootstrap());
        effective.put("topicPrefix", config.kafka().topicPrefix());
        effective.put("kafkaPartitions", config.kafka().partitions());
        effective.put("kafkaReplicationFactor", config.kafka().replicationFactor() == null ? "broker default"
                : config.kafka().replicationFactor());
        effective.put("kafkaProperties", KafkaSecrets.hidden(config.kafka()));
        effective.put("kafkaOutageToleranceSeconds", config.kafka().outageTolerance().toMillis() / 1000.0);
        effective.put("sparkProperties", Redaction.hideAll(config.spark().properties()));
        effective.put("data", config.data());
        root.put("effective", effective);
        root.put("seeds", ordered("search", config.search().seed(), "dataSplit", config.data().splitSeed(),
                "trialWeights", "search seed + trial number"));
        root.put("versions", versions);
        Map<TrialState, Integer> byState = new EnumMap<>(TrialState.class);
        int epochs = 0;
        for (TrialResult r : results) {
            byState.merge(r.state(), 1, Integer::sum);
            epochs += r.epochsTrained(); // every attempt's: the accepted records, the lines of metrics.jsonl
        }
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("trials", results.size());
        totals.put("byState", byState);
        // Of the COMPLETED ones, those a plateau ended before their budget (TrialResult.stoppedEarly).
        totals.put("stoppedEarly", results.stream().filter(TrialResult::stoppedEarly).count());
        totals.put("epochsTrained", epochs);
        totals.put("wallSeconds", wallSeconds);
        root.put("totals", totals);
        root.put("stopLatency", stopLatency(results));
        TrialResult best = leaderboard.best();
        if (best != null) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("trialId", best.trialId());
            b.put("objective", best.objective());
            b.put("valAccuracy", best.valAccuracy());
            b.put("valLoss", best.valLoss());
            if (config.data().regression()) {
                b.put("valMse", best.valLoss());
                b.put("valMae", best.valMae());
                b.put("valR2", best.valR2());
            }
            b.put("bestEpoch", best.bestEpoch());
            b.put("params", best.params());
            root.put("best", b);
        }
        Map<String, Object> diagnoses = new LinkedHashMap<>();
        Remedies remedies = new Remedies(config.space(), config.data().scaling());
        for (TrialResult r : results) {
            if (r.diagnosis() != null) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("primary", r.diagnosis().primary());
                d.put("all", r.diagnosis().all());
                d.put("summary", r.diagnosis().summary());
                d.put("evidence", r.diagnosis().evidence());
                d.put("fixes", remedies.forDiagnosis(r.diagnosis(), r.params()).stream()
                        .map(f -> ordered("id", f.id(), "text", f.text(), "change", f.change(), "inSpace", f.inSpace()))
                        .toList());
                if (r.stop() != null) {
                    Map<String, Object> stop = ordered("rule", r.stop().rule(), "epoch", r.stop().epoch(),
                            "action", r.stop().action().name(), "reason", r.stop().reason(), "evidence", r.stop().evidence());
                    if (r.stopLatency() != null) {
                        stop.put("trainedAfter", ordered("epochs", r.stopLatency().epochs(),
                                "miniBatches", r.stopLatency().batches()));
                    }
                    d.put("stop", stop);
                }
                diagnoses.put(r.trialId(), d);
            }
        }
        root.put("diagnoses", diagnoses);
        root.putAll(extra);
        return ReportJson.pretty(root);
    }

    /**
     * How far past their stop decisions the stopped trials trained, in mini-batches: how many stops there were, for
     * how many the worker reported its mini-batches, the largest and the median, and how many took effect within one
     * mini-batch.
     */
    static Map<String, Object> stopLatency(List<TrialResult> results) {
        List<Integer> batches = new ArrayList<>();
        int stops = 0;
        for (TrialResult r : results) {
            if (r.stop() != null) {
                stops++;
                if (r.stopLatency() != null) {
                    batches.add(r.stopLatency().batches());
                }
            }
        }
        Collections.sort(batches);
        Map<String, Object> m = ordered("stops", stops, "measured", batches.size());
        if (!batches.isEmpty()) {
            m.put("maxMiniBatches", batches.get(batches.size() - 1));
            m.put("medianMiniBatches", batches.get((batches.size() - 1) / 2));
            m.put("withinOneMiniBatch", batches.stream().filter(b -> b <= 1).count());
        }
        return m;
    }

    /** A map of the given key-value pairs in that order (Map.of's order changes from one JVM to the next). */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** The config file's text with every secret setting's value hidden, or a note when it cannot be shown. */
    private static String configText(StudyConfig config) {
        try {
            if (config.source() == null) {
                return null;
            }
            return redactedConfigText(config, Files.readString(config.source()));
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * A config's text with the value of every secret setting ({@code kafka.properties}, {@code spark.properties};
     * see {@link Redaction}) shown as {@code [hidden]}, literal or placeholder, as study.json and the journal keep it;
     * when a secret could not be masked in the text, a note instead of the text.
     *
     * @param config the config read from {@code text}
     */
    public static String redactedConfigText(StudyConfig config, String text) {
        Map<String, String> settings = new LinkedHashMap<>(config.kafka().properties());
        settings.putAll(config.spark().properties());
        String hidden = Redaction.hideInYaml(text, settings);
        return hidden != null ? hidden : "[hidden: a secret in this config could not be masked in its text]";
    }
}
