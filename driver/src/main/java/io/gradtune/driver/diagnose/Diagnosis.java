package io.gradtune.driver.diagnose;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The diagnosis of one trial's training curve, for reports and ranking tables.
 *
 * @param primary  the most severe kind found ({@link DiagnosisKind#severity()}), HEALTHY when none
 * @param all      every kind found, most severe first ({@code [HEALTHY]} when none)
 * @param evidence the compared values and thresholds by name, kind-prefixed (for example
 *                 {@code vanishing_gradient.grad_ratio})
 * @param summary  one line for people, primary first, with values and thresholds
 */
public record Diagnosis(DiagnosisKind primary, List<DiagnosisKind> all, Map<String, Object> evidence, String summary) {

    public Diagnosis {
        all = List.copyOf(all);
        evidence = Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    }
}
