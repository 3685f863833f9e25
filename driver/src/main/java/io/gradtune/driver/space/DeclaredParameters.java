package io.gradtune.driver.space;

import io.gradtune.api.DeclaresSpace;
import io.gradtune.api.ModelFactory;
import io.gradtune.api.ParameterDeclaration;

import java.util.ArrayList;
import java.util.List;

/**
 * The parameters a model class declares itself ({@link DeclaresSpace}, e.g. an Arbiter space), as the search space's
 * parameters. They come first in the study's space, so a config parameter may depend on one ({@code when}).
 */
public final class DeclaredParameters {

    private DeclaredParameters() {
    }

    /** The factory's declared parameters, or none when it does not declare any. */
    public static List<Parameter> of(ModelFactory factory) {
        if (!(factory instanceof DeclaresSpace declares)) {
            return List.of();
        }
        List<Parameter> out = new ArrayList<>();
        for (ParameterDeclaration d : declares.parameters()) {
            out.add(toParameter(d));
        }
        return List.copyOf(out);
    }

    /** One declaration as a parameter: a range of one value is fixed at it. */
    public static Parameter toParameter(ParameterDeclaration d) {
        return switch (d.type()) {
            case FLOAT -> d.low().equals(d.high()) ? new FixedParameter(d.name(), d.low(), null)
                    : new FloatParameter(d.name(), d.low(), d.high(), d.log(), null);
            case INT -> new IntParameter(d.name(), (int) Math.round(d.low()), (int) Math.round(d.high()), d.log(), null);
            case CATEGORICAL -> new CategoricalParameter(d.name(), d.values(), null);
            case FIXED -> new FixedParameter(d.name(), d.values().get(0), null);
        };
    }
}
