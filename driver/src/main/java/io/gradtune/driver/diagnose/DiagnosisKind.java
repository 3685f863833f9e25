package io.gradtune.driver.diagnose;

/**
 * What went wrong (or not) in a trial, so a report can say why a configuration lost, not just that it did.
 * {@link #severity()} orders the kinds for choosing a primary diagnosis: numerical breakdown first, then the
 * gradient and activation pathologies that usually cause the curve-level symptoms, then those symptoms.
 */
public enum DiagnosisKind {
    VANISHING_GRADIENT(1),
    EXPLODING_GRADIENT(0),
    DEAD_UNITS(2),
    SATURATION(3),
    OVERFITTING(6),
    UNDERFITTING(5),
    UNSTABLE(4),
    HEALTHY(7);

    private final int severity;

    DiagnosisKind(int severity) {
        this.severity = severity;
    }

    /** 0 = most severe: EXPLODING, VANISHING, DEAD_UNITS, SATURATION, UNSTABLE, UNDERFITTING, OVERFITTING, HEALTHY. */
    public int severity() {
        return severity;
    }
}
