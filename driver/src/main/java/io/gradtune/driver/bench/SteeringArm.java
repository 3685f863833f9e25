package io.gradtune.driver.bench;

import io.gradtune.driver.config.StudyConfig;

/**
 * One arm of the steering benchmark: what the sampler is told about pathological trials and whether it repairs
 * them ({@code search.feedback}, {@code search.repair}).
 */
public enum SteeringArm {
    /** Diagnosis feedback and repair: infeasible stops are INFEASIBLE, pathological trials are repaired. */
    REPAIR("feedback+repair", true, true),
    /** Feedback only: infeasible stops are INFEASIBLE, nothing is repaired. */
    FEEDBACK("feedback", true, false),
    /** Neither: infeasible stops look like any pruned trial, nothing is repaired. */
    UNAWARE("unaware", false, false);

    private final String label;
    private final boolean feedback;
    private final boolean repair;

    SteeringArm(String label, boolean feedback, boolean repair) {
        this.label = label;
        this.feedback = feedback;
        this.repair = repair;
    }

    /** The arm's name in the tables and the JSON. */
    public String label() {
        return label;
    }

    /** The study's search settings with this arm's feedback and repair switches. */
    public StudyConfig.Search apply(StudyConfig.Search search) {
        return search.withFeedback(feedback).withRepair(repair);
    }
}
