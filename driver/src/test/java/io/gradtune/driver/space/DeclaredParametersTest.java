package io.gradtune.driver.space;

import io.gradtune.api.DataShape;
import io.gradtune.api.DeclaresSpace;
import io.gradtune.api.ModelFactory;
import io.gradtune.api.NetworkConfig;
import io.gradtune.api.ParameterDeclaration;
import io.gradtune.api.Params;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DeclaredParametersTest {

    /** A factory that declares one parameter of each kind (it never builds: only its declarations are read). */
    static final class Declaring implements ModelFactory, DeclaresSpace {
        @Override
        public List<ParameterDeclaration> parameters() {
            return List.of(ParameterDeclaration.floatRange("lr", 1e-4, 1e-1, true),
                    ParameterDeclaration.intRange("units", 8, 64, false),
                    ParameterDeclaration.categorical("act", List.of("RELU", "TANH")),
                    ParameterDeclaration.fixed("beta1", 0.9),
                    ParameterDeclaration.floatRange("eps", 1e-8, 1e-8, false));
        }

        @Override
        public NetworkConfig build(Params params, DataShape shape, long seed) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void eachDeclarationBecomesTheParameterOfItsKindAndARangeOfOneValueIsFixed() {
        assertEquals(List.of(new FloatParameter("lr", 1e-4, 1e-1, true, null),
                new IntParameter("units", 8, 64, false, null),
                new CategoricalParameter("act", List.of("RELU", "TANH"), null),
                new FixedParameter("beta1", 0.9, null),
                new FixedParameter("eps", 1e-8, null)), DeclaredParameters.of(new Declaring()));
    }

    @Test
    void aFactoryThatDeclaresNothingAddsNothing() {
        ModelFactory plain = (params, shape, seed) -> {
            throw new UnsupportedOperationException();
        };
        assertEquals(List.of(), DeclaredParameters.of(plain));
    }
}
