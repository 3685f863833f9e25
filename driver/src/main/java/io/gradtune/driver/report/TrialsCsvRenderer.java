package io.gradtune.driver.report;

import io.gradtune.driver.space.SearchSpace;
import io.gradtune.driver.study.TrialResult;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link TrialsCsv#render} for a file rewritten while a study runs: the same text, with each result's line kept and
 * reused while the trial's result is the same object (a finished trial's result never changes, and
 * {@code Study.results()} hands out the same instance each time), so a rewrite formats only the trials that ended
 * since the last one and concatenates the rest. Thread-safe.
 */
public final class TrialsCsvRenderer {

    private final SearchSpace space;
    private final boolean regression;
    private final String header;
    private final Map<String, Line> lines = new HashMap<>();

    /** A result and its rendered line. */
    private record Line(TrialResult result, String text) {
    }

    /** Renders for one study's space; {@code regression}: with the regression columns. */
    public TrialsCsvRenderer(SearchSpace space, boolean regression) {
        this.space = space;
        this.regression = regression;
        this.header = TrialsCsv.headerLine(space, regression);
    }

    /** The whole file for these results: equal to {@code TrialsCsv.render(space, results, regression)}. */
    public synchronized String render(List<TrialResult> results) {
        StringBuilder sb = new StringBuilder(header.length() + results.size() * 160).append(header);
        for (TrialResult r : results) {
            Line line = lines.get(r.trialId());
            if (line == null || line.result() != r) {
                line = new Line(r, TrialsCsv.rowLine(space, r, regression));
                lines.put(r.trialId(), line);
            }
            sb.append(line.text());
        }
        return sb.toString();
    }
}
