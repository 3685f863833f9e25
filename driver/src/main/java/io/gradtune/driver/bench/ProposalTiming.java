package io.gradtune.driver.bench;

import io.gradtune.worker.protocol.ReportJson;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How long one proposal takes when the history already holds {@code observed} trials: the figure that says
 * whether a sampler keeps up with a long study.
 *
 * @param function      test function whose space and values built the history
 * @param sampler       sampler name
 * @param observed      finished trials in the history
 * @param proposals     timed proposals (after a warm-up)
 * @param msPerProposal mean wall time of one proposal, in milliseconds
 * @param cpuMsPerProposal mean CPU time of the proposing thread per proposal, in milliseconds: less sensitive
 *                      than wall time to other processes competing for the cores (NaN when the JVM cannot
 *                      measure thread CPU time)
 * @param msFirst       mean wall time of the first proposal of {@link SamplerBenchmark#FRESH_SAMPLERS} fresh
 *                      samplers (after an untimed pass of as many, so the JIT is warm): for the GP this includes
 *                      fitting the kernel hyperparameters from scratch, which later proposals on an unchanged
 *                      history skip
 */
public record ProposalTiming(String function, String sampler, int observed, int proposals, double msPerProposal,
                             double cpuMsPerProposal, double msFirst) {

    /** One line of JSON with snake_case keys; non-finite numbers are written as null (see {@link ReportJson}). */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("function", function);
        m.put("sampler", sampler);
        m.put("observed", observed);
        m.put("proposals", proposals);
        m.put("ms_per_proposal", msPerProposal);
        m.put("cpu_ms_per_proposal", cpuMsPerProposal);
        m.put("ms_first_proposal", msFirst);
        return ReportJson.line(m);
    }
}
