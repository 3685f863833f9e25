package io.gradtune.driver.space;

/**
 * One dimension of a search space. Values are {@link Double} (float), {@link Integer} (int), or the literal
 * choices of a categorical (strings, numbers, booleans). A parameter with a {@link Condition} exists in an
 * assignment only where the condition holds.
 */
public sealed interface Parameter
        permits FloatParameter, IntParameter, CategoricalParameter, FixedParameter {

    String name();

    /** The activating condition, or null when the parameter is always active. */
    Condition condition();
}
