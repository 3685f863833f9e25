package io.gradtune.worker.protocol;

/**
 * A study's fine-tuning settings ({@code model.init_from}, {@code model.freeze_layers}) as a {@link TrialSpec} carries
 * them to the executor, which restores the saved model from {@code initFrom} itself.
 *
 * @param initFrom     absolute path of the saved DL4J model zip; every executor must be able to read it (local mode:
 *                     the driver's file system; on a cluster a shared file system path)
 * @param freezeLayers how many weight-carrying layers, input side first, stay frozen (0: none)
 * @param replaceOutput a fresh output layer even when the saved one has as many units as the data has classes (the
 *                     new task's classes are other classes); a different class count always replaces it
 */
public record FineTuneSpec(String initFrom, int freezeLayers, boolean replaceOutput) {

    public FineTuneSpec {
        if (initFrom == null || initFrom.isBlank()) {
            throw new IllegalArgumentException("initFrom is required");
        }
        if (freezeLayers < 0) {
            throw new IllegalArgumentException("freezeLayers = " + freezeLayers + ", expected >= 0");
        }
    }
}
