package io.gradtune.arbiter;

import io.gradtune.api.ParameterDeclaration;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.util.LeafUtils;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An Arbiter space as gradtune parameters: its leaves, named ({@link LeafNames}, or the user's names), each
 * translated ({@link ArbiterLeaf}), and the way from a gradtune assignment back to the {@code double[]} that
 * Arbiter's {@code getValue} turns into the same values ({@link #encode}).
 *
 * <p>Setting up assigns the leaves' input positions ({@code setIndices}, as Arbiter's own candidate generators do,
 * unique leaves in {@code collectLeaves()} order); do it once per space, before any {@code getValue}. After that the
 * space is only read, so one instance serves concurrent trials.
 *
 * @param <T> what the space gives (a {@code DL4JConfiguration} for a {@code MultiLayerSpace})
 */
final class ArbiterSpace<T> {

    private final ParameterSpace<T> root;
    private final List<ArbiterLeaf> leaves;
    private final int numInputs;

    private ArbiterSpace(ParameterSpace<T> root, List<ArbiterLeaf> leaves, int numInputs) {
        this.root = root;
        this.leaves = leaves;
        this.numInputs = numInputs;
    }

    /**
     * The translated space.
     *
     * @param renames the user's names for leaves, by derived name (may be empty)
     * @throws IllegalArgumentException naming the leaf, for a leaf gradtune cannot translate, a rename of a name
     *                                  the space does not have, or two leaves with one name
     */
    static <T> ArbiterSpace<T> of(ParameterSpace<T> root, Map<String, String> renames) {
        List<LeafNames.Named> derived = LeafNames.of(root);
        Map<ParameterSpace<?>, Boolean> named = new IdentityHashMap<>();
        derived.forEach(d -> named.put(d.leaf(), Boolean.TRUE));
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<ParameterSpace<?>> unique = (List) LeafUtils.getUniqueObjects((List) root.collectLeaves());
        // Input positions as Arbiter's candidate generators give them: unique leaves in collectLeaves() order.
        Map<ParameterSpace<?>, Integer> index = new IdentityHashMap<>();
        int next = 0;
        for (ParameterSpace<?> leaf : unique) {
            int n = leaf.numParameters();
            if (n > 1) {
                throw new IllegalArgumentException("Arbiter leaf " + leaf + " takes " + n + " inputs; gradtune "
                        + "translates leaves of one input");
            }
            if (!named.containsKey(leaf)) {
                throw new IllegalArgumentException("Arbiter leaf " + leaf + " is not reachable through the space's "
                        + "fields and layers (e.g. it sits in a graph vertex); gradtune cannot name it");
            }
            int[] indices = n == 0 ? new int[0] : new int[] {next++};
            leaf.setIndices(indices);
            index.put(leaf, n == 0 ? -1 : indices[0]);
        }
        Map<String, String> unused = new HashMap<>(renames);
        Map<String, ArbiterLeaf> byName = new LinkedHashMap<>();
        for (LeafNames.Named e : derived) {
            Integer at = index.get(e.leaf());
            if (at == null) {
                continue;   // reachable by a field but not part of the network's value
            }
            String renamed = unused.remove(e.name());
            String finalName = renamed != null ? renamed : e.name();
            ArbiterLeaf translated = ArbiterLeaf.of(finalName, e.leaf(), at);
            if (byName.put(finalName, translated) != null) {
                throw new IllegalArgumentException("two Arbiter leaves are named '" + finalName + "'; rename one");
            }
        }
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException("names() renames " + unused.keySet() + ", which the space does not have; "
                    + "its leaves: " + derived.stream().map(LeafNames.Named::name).toList());
        }
        return new ArbiterSpace<>(root, List.copyOf(byName.values()), next);
    }

    /** The gradtune parameters, one per leaf, in the space's leaf order. */
    List<ParameterDeclaration> declarations() {
        List<ParameterDeclaration> out = new ArrayList<>();
        for (ArbiterLeaf leaf : leaves) {
            out.add(leaf.declaration());
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * The space's input for a gradtune assignment: every leaf's value by its name (other names, e.g. gradtune's
     * {@code batch_size}, are ignored).
     *
     * @throws IllegalArgumentException naming the parameter, when one is missing or not a value of its leaf
     */
    double[] encode(Map<String, ?> values) {
        double[] x = new double[numInputs];
        for (ArbiterLeaf leaf : leaves) {
            if (leaf.index() < 0) {
                continue;
            }
            Object v = values.get(leaf.name());
            if (v == null) {
                throw new IllegalArgumentException("parameter '" + leaf.name() + "' of the Arbiter space is not set "
                        + "in this trial (set: " + values.keySet() + ")");
            }
            x[leaf.index()] = leaf.encode(v);
        }
        return x;
    }

    /** What the space gives for a gradtune assignment. */
    T valueOf(Map<String, ?> values) {
        return root.getValue(encode(values));
    }

    /** Every leaf's value, by name, for an input (for tests and messages). */
    Map<String, Object> decode(double[] x) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (ArbiterLeaf leaf : leaves) {
            out.put(leaf.name(), leaf.decode(leaf.index() < 0 ? 0 : x[leaf.index()]));
        }
        return out;
    }
}
