package io.gradtune.driver.search;

import io.gradtune.driver.diagnose.DiagnosisKind;

/**
 * How one fix has done for one diagnosis in this study: repairs tried (repaired neighbours that finished with a
 * diagnosis) and how many succeeded, as {@link RepairLedger} counts them. Reported in {@code study.json}'s
 * {@code repairs} section.
 *
 * @param kind      the repaired trial's primary diagnosis
 * @param fix       the fix's id ({@link io.gradtune.driver.diagnose.Remedy#id()})
 * @param tried     repaired neighbours with this fix for this kind that finished and were diagnosed
 * @param succeeded of those, the ones that succeeded ({@link RepairLedger#succeeded})
 */
public record FixRecord(DiagnosisKind kind, String fix, int tried, int succeeded) {

    public FixRecord {
        if (tried < 0 || succeeded < 0 || succeeded > tried) {
            throw new IllegalArgumentException("tried " + tried + ", succeeded " + succeeded);
        }
    }

    /** A fix not tried yet. */
    static FixRecord untried(DiagnosisKind kind, String fix) {
        return new FixRecord(kind, fix, 0, 0);
    }

    /** This record with one more repair, successful or not. */
    FixRecord plus(boolean success) {
        return new FixRecord(kind, fix, tried + 1, succeeded + (success ? 1 : 0));
    }

    /**
     * The posterior mean of the fix's success rate under a uniform Beta(1, 1) prior: (succeeded + 1) / (tried + 2).
     * 1/2 untried, 1/3 after one failure, 2/3 after one success, 1/5 after three failures.
     */
    public double successRate() {
        return (succeeded + 1.0) / (tried + 2.0);
    }
}
