package io.gradtune.worker.train;

import java.util.HashMap;
import java.util.Map;

/**
 * Test-only fault injection: makes chosen attempts of chosen trials throw inside the worker's epoch loop, the way
 * a training error would, so tests can check retries (a trial that fails on its first attempt only, one that fails
 * on every attempt). Active only while the system property {@value #PROPERTY} is set in the JVM that trains (in
 * local mode the driver's own JVM); it is not part of the config vocabulary and no config can set it.
 *
 * <p>Format: comma-separated {@code trialId=attempts@epoch}: each attempt of {@code trialId} numbered below
 * {@code attempts} throws {@link InjectedFault} once it has published {@code epoch} epochs (0: before the first).
 * Example: {@code t0001=1@2,t0002=99@1}.
 */
public final class FaultInjection {

    /** The system property that switches injection on. */
    public static final String PROPERTY = "gradtune.test.faults";

    /** The injected failure: a RuntimeException, so the trial's attempt fails as on a training error. */
    public static final class InjectedFault extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedFault(String message) {
            super(message);
        }
    }

    private record Fault(int failingAttempts, int afterEpoch) {
    }

    private FaultInjection() {
    }

    /** The property value that fails {@code failingAttempts} attempts of a trial after {@code afterEpoch} epochs. */
    public static String fault(String trialId, int failingAttempts, int afterEpoch) {
        return trialId + "=" + failingAttempts + "@" + afterEpoch;
    }

    /**
     * Throws {@link InjectedFault} when the property names this trial, this attempt is one that fails, and
     * {@code epochsDone} epochs have been published. Costs one property read when the property is not set.
     */
    static void check(String trialId, int attempt, int epochsDone) {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return;
        }
        Fault f = parse(value).get(trialId);
        if (f != null && attempt < f.failingAttempts() && epochsDone == f.afterEpoch()) {
            throw new InjectedFault("injected fault: " + trialId + " attempt " + attempt + " after epoch " + epochsDone);
        }
    }

    private static Map<String, Fault> parse(String value) {
        Map<String, Fault> out = new HashMap<>();
        for (String item : value.split(",")) {
            String s = item.trim();
            int eq = s.indexOf('=');
            int at = s.indexOf('@');
            if (eq <= 0 || at < eq) {
                throw new IllegalArgumentException(PROPERTY + ": expected trialId=attempts@epoch, got '" + s + "'");
            }
            out.put(s.substring(0, eq), new Fault(Integer.parseInt(s.substring(eq + 1, at)),
                    Integer.parseInt(s.substring(at + 1))));
        }
        return out;
    }
}
