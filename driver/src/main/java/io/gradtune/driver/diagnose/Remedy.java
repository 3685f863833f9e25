package io.gradtune.driver.diagnose;

import io.gradtune.worker.stopping.Format;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One of the tutorials' fixes for a diagnosed trial, as {@link Remedies} finds it: something this trial does not
 * have yet, so applying it would change the trial. The {@code change} is what a repair step applies to the trial's
 * parameters to get its repaired neighbour.
 *
 * @param id      short stable name, for example {@code relu_family}, {@code he_init}, {@code lower_learning_rate}
 * @param text    one sentence for people, with the values involved
 * @param change  the parameter values the fix sets (parameter names of the search space), in order
 * @param inSpace true when every changed value is one the study's search space can take; false when the fix needs a
 *                parameter or value the space does not search (the fix is still worth knowing, the sampler just
 *                cannot propose it)
 */
public record Remedy(String id, String text, Map<String, Object> change, boolean inSpace) {

    public Remedy {
        if (change.isEmpty()) {
            throw new IllegalArgumentException("remedy '" + id + "' changes nothing");
        }
        change = Collections.unmodifiableMap(new LinkedHashMap<>(change));
    }

    /** The change as {@code {name=value, ...}}, with {@code (outside the space)} when not in it: for text reports. */
    public String changeText() {
        StringBuilder sb = new StringBuilder("{");
        change.forEach((k, v) -> {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(k).append('=').append(v instanceof Double d ? Format.num(d) : v);
        });
        sb.append('}');
        return inSpace ? sb.toString() : sb + " (outside the space)";
    }
}
