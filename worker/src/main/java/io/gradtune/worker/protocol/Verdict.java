package io.gradtune.worker.protocol;

/**
 * The driver's answer to one epoch record at an epoch where a comparative rule (ASHA, the median rule) decides:
 * go on, or stop. A worker whose spec lists that epoch among its {@link TrialSpec#decisionEpochs} waits for it
 * before training on, so a comparative stop costs no mini-batch either. Published to the study's control topic,
 * keyed by trial id.
 *
 * @param type          always {@link #TYPE}
 * @param schemaVersion always {@link #SCHEMA_VERSION}
 * @param study         study name
 * @param runId         the run that decided
 * @param trialId       trial id
 * @param attempt       the task attempt whose record was decided on
 * @param epoch         the epoch of that record
 * @param stop          true: stop the trial now; false: train on
 * @param rule          the rule that stopped it, or null
 */
public record Verdict(
        String type,
        int schemaVersion,
        String study,
        String runId,
        String trialId,
        int attempt,
        int epoch,
        boolean stop,
        String rule) implements Message {

    public static final String TYPE = "verdict";
    public static final int SCHEMA_VERSION = 1;

    /** A verdict of the current type and schema version. */
    public static Verdict of(String study, String runId, String trialId, int attempt, int epoch, boolean stop,
                             String rule) {
        return new Verdict(TYPE, SCHEMA_VERSION, study, runId, trialId, attempt, epoch, stop, rule);
    }
}
