package io.gradtune.driver.space;

/**
 * A parameter held at one value: part of every (active) assignment, never searched.
 *
 * @param name      parameter name
 * @param value     the value
 * @param condition activating condition or null
 */
public record FixedParameter(String name, Object value, Condition condition) implements Parameter {
}
