package io.gradtune.arbiter;

import org.deeplearning4j.arbiter.BaseNetworkSpace;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.api.adapter.ParameterSpaceAdapter;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Names for the leaves of an Arbiter space, which has none of its own: the path of fields from the root to the
 * leaf, joined by dots, e.g. {@code updater.learningRate}, {@code l2}, {@code layer0.nOut},
 * {@code layer1.activationFunction}, {@code layer0.numLayers}. The i-th layer of a network space is {@code layer<i>},
 * or its name where it has one (a {@code ComputationGraphSpace}'s layers); its {@code LayerConf} wrapper adds nothing; an adapter ({@code ActivationParameterSpaceAdapter}, ...) adds nothing
 * either. A leaf used in two places keeps the first name, in field declaration order (superclass fields first).
 * Names depend only on how the space is built, so they are the same on the driver and on every executor.
 */
final class LeafNames {

    private LeafNames() {
    }

    /** A leaf and its name. */
    record Named(ParameterSpace<?> leaf, String name) {
    }

    /**
     * Every leaf reachable from {@code root}, each once (by identity: Arbiter's spaces compare by value, two
     * {@code FixedValue(0.9)} are equal), with its name, in walk order: the network's fields, then its layers.
     */
    static List<Named> of(ParameterSpace<?> root) {
        List<Named> out = new ArrayList<>();
        walk(root, "", out, new IdentityHashMap<>());
        return List.copyOf(out);
    }

    private static void walk(Object node, String path, List<Named> out, Map<Object, Boolean> visited) {
        if (node == null || visited.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (node instanceof ParameterSpace<?> p && p.isLeaf()) {
            out.add(new Named(p, path.isEmpty() ? "value" : path));   // first visit only: visited is by identity
            return;
        }
        boolean adapter = node instanceof ParameterSpaceAdapter<?, ?>;
        for (Class<?> c : hierarchy(node.getClass())) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || !ParameterSpace.class.isAssignableFrom(f.getType())) {
                    continue;
                }
                Object child = read(f, node);
                walk(child, adapter ? path : join(path, f.getName()), out, visited);
            }
        }
        if (node instanceof BaseNetworkSpace<?> net && net.getLayerSpaces() != null) {
            List<?> layers = net.getLayerSpaces();
            for (int i = 0; i < layers.size(); i++) {
                BaseNetworkSpace.LayerConf conf = (BaseNetworkSpace.LayerConf) layers.get(i);
                String layer = join(path, conf.getLayerName() != null ? conf.getLayerName() : "layer" + i);
                walk(conf.getLayerSpace(), layer, out, visited);
                walk(conf.getNumLayers(), join(layer, "numLayers"), out, visited);
            }
        }
    }

    /** The class and its superclasses, the topmost first, up to (not including) Object. */
    private static List<Class<?>> hierarchy(Class<?> c) {
        java.util.ArrayDeque<Class<?>> out = new java.util.ArrayDeque<>();
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            out.addFirst(k);
        }
        return List.copyOf(out);
    }

    private static Object read(Field f, Object node) {
        try {
            f.setAccessible(true);
            return f.get(node);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read " + f + " of " + node.getClass().getName(), e);
        }
    }

    private static String join(String path, String part) {
        return path.isEmpty() ? part : path + "." + part;
    }
}
