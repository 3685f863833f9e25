package io.gradtune.driver.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A YAML node with its field path, so every validation error can say exactly where it is. Reading a mapping
 * records which keys were used; {@link #rejectUnknownKeys()} then reports any key nobody asked for.
 */
final class ConfigNode {

    private final String file;
    private final String path;
    private final JsonNode node;
    private final Set<String> used = new LinkedHashSet<>();

    ConfigNode(String file, String path, JsonNode node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    String file() {
        return file;
    }

    String path() {
        return path;
    }

    JsonNode raw() {
        return node;
    }

    boolean isMissing() {
        return node == null || node.isMissingNode() || node.isNull();
    }

    boolean has(String key) {
        return node != null && node.isObject() && node.has(key) && !node.get(key).isNull();
    }

    ConfigException error(Object value, String reason) {
        return new ConfigException(file, path, value, reason);
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    ConfigNode get(String key) {
        if (node != null && !node.isObject() && !isMissing()) {
            throw error(display(node), "expected a mapping of keys to values");
        }
        used.add(key);
        return new ConfigNode(file, child(key), node == null ? null : node.get(key));
    }

    ConfigNode section(String key) {
        ConfigNode c = get(key);
        if (!c.isMissing() && !c.node.isObject()) {
            throw c.error(display(c.node), "expected a mapping (key: value lines)");
        }
        return c;
    }

    ConfigNode required(String key) {
        ConfigNode c = get(key);
        if (c.isMissing()) {
            throw c.error(null, "is required");
        }
        return c;
    }

    String asString() {
        if (isMissing()) {
            return null;
        }
        if (!node.isValueNode()) {
            throw error(display(node), "expected a single value");
        }
        return node.asText();
    }

    String string(String key, String dflt) {
        String s = get(key).asString();
        return s == null ? dflt : s;
    }

    String oneOf(String key, String dflt, List<String> allowed) {
        ConfigNode c = get(key);
        String s = c.asString();
        if (s == null) {
            return dflt;
        }
        if (!allowed.contains(s)) {
            throw c.error(s, "expected one of " + allowed);
        }
        return s;
    }

    double asDouble() {
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isTextual()) {
            try {
                return Double.parseDouble(node.asText().trim());
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw error(display(node), "expected a number");
    }

    /** The number at {@code key} (a YAML number or a numeric string), or {@code dflt} when absent; any value. */
    double number(String key, double dflt) {
        ConfigNode c = get(key);
        return c.isMissing() ? dflt : c.asDouble();
    }

    double number(String key, double dflt, double min, double max) {
        ConfigNode c = get(key);
        if (c.isMissing()) {
            return dflt;
        }
        double v = c.asDouble();
        if (!(v >= min && v <= max)) {
            throw c.error(v, "out of range, expected " + min + " <= value <= " + max);
        }
        return v;
    }

    long asLong() {
        double d = asDouble();
        if (d != Math.rint(d) || Math.abs(d) > 9.0e15) {
            throw error(display(node), "expected a whole number");
        }
        return (long) d;
    }

    long integer(String key, long dflt, long min, long max) {
        ConfigNode c = get(key);
        if (c.isMissing()) {
            return dflt;
        }
        long v = c.asLong();
        if (v < min || v > max) {
            throw c.error(v, "out of range, expected " + min + " <= value <= " + max);
        }
        return v;
    }

    /** The whole number at {@code key}, held to {@code limit} (the field's one definition of its range). */
    long integer(String key, long dflt, Limit limit) {
        return integer(key, dflt, limit.min(), limit.max());
    }

    boolean bool(String key, boolean dflt) {
        ConfigNode c = get(key);
        if (c.isMissing()) {
            return dflt;
        }
        if (!c.node.isBoolean()) {
            throw c.error(display(c.node), "expected true or false");
        }
        return c.node.asBoolean();
    }

    /** The keys of a mapping node, in file order, each marked used. */
    List<String> keys() {
        List<String> out = new ArrayList<>();
        if (node != null && node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                String k = it.next().getKey();
                out.add(k);
                used.add(k);
            }
        }
        return out;
    }

    void rejectUnknownKeys() {
        if (node == null || !node.isObject()) {
            return;
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            if (!used.contains(k)) {
                throw new ConfigException(file, child(k), null, "unknown key; known keys here: " + used);
            }
        }
    }

    static Object display(JsonNode n) {
        if (n == null) {
            return null;
        }
        if (n.isTextual()) {
            return n.asText();
        }
        return n.toString();
    }
}
