package io.gradtune.driver.bench;

import io.gradtune.driver.config.StudyConfig;

/**
 * One arm of the steering benchmark: what the sampler is told about pathological trials, whether it repairs them,
 * and whether it starts from the tutorials' pathology prior ({@code search.feedback}, {@code search.repair},
 * {@code search.prior}). Every arm sets all three, whatever the config says, so the arms without a prior run exactly
 * as before the prior existed. The prior is prior knowledge, not feedback: the "+prior" arms are the feedback arms
 * plus that knowledge.
 */
public enum SteeringArm {
    /** Feedback, repair and the tutorials' prior. */
    PRIOR_REPAIR("feedback+prior+repair", true, true, true),
    /** Feedback and the tutorials' prior, nothing repaired. */
    PRIOR("feedback+prior", true, false, true),
    /** Diagnosis feedback and repair: infeasible stops are INFEASIBLE, pathological trials are repaired. */
    REPAIR("feedback+repair", true, true, false),
    /** Feedback only: infeasible stops are INFEASIBLE, nothing is repaired. */
    FEEDBACK("feedback", true, false, false),
    /** Neither: infeasible stops look like any pruned trial, nothing is repaired, no prior. */
    UNAWARE("unaware", false, false, false);

    private final String label;
    private final boolean feedback;
    private final boolean repair;
    private final boolean prior;

    SteeringArm(String label, boolean feedback, boolean repair, boolean prior) {
        this.label = label;
        this.feedback = feedback;
        this.repair = repair;
        this.prior = prior;
    }

    /** The arm's name in the tables and the JSON. */
    public String label() {
        return label;
    }

    /** The study's search settings with this arm's feedback, repair and prior switches. */
    public StudyConfig.Search apply(StudyConfig.Search search) {
        return search.withFeedback(feedback).withRepair(repair)
                .withPrior(prior ? StudyConfig.Search.PRIOR_TUTORIALS : StudyConfig.Search.PRIOR_NONE);
    }
}
