package io.gradtune.driver.bench;

/**
 * How long one proposal takes when the history already holds {@code observed} trials: the figure that says
 * whether a sampler keeps up with a long study.
 *
 * @param function      test function whose space and values built the history
 * @param sampler       sampler name
 * @param observed      finished trials in the history
 * @param proposals     timed proposals (after a warm-up)
 * @param msPerProposal mean wall time of one proposal, in milliseconds
 */
public record ProposalTiming(String function, String sampler, int observed, int proposals, double msPerProposal) {

    /** One line of JSON with snake_case keys. */
    public String toJson() {
        return "{\"function\":" + Json.string(function) + ",\"sampler\":" + Json.string(sampler)
                + ",\"observed\":" + observed + ",\"proposals\":" + proposals
                + ",\"ms_per_proposal\":" + Json.number(msPerProposal) + "}";
    }
}
