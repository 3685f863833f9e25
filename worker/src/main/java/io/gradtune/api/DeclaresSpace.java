package io.gradtune.api;

import java.util.List;

/**
 * A {@link ModelFactory} that declares (part of) its study's search space itself, e.g. an Arbiter space wrapped by
 * the {@code arbiter/} module's adapter (README, "Arbiter spaces"). The driver merges these parameters into the config's {@code space}
 * when it loads the config: a config parameter of the same name is an error (the model's declaration is the one
 * whose values the model can take); the config may add other parameters, conditional ones too, which the model reads
 * from {@link Params} like any other.
 *
 * <p>Called on the driver, once per study, before anything starts; must not depend on the data.
 */
public interface DeclaresSpace {

    /** The parameters, in the order the search should see them; names unique. */
    List<ParameterDeclaration> parameters();
}
