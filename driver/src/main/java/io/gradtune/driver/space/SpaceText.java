package io.gradtune.driver.space;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A search space as a person reads it, one aligned line per parameter: name, type, range or choices, scale, and
 * the condition that activates it, e.g. {@code learning_rate  float  [1e-4, 0.1] log} or
 * {@code dropout  float  [0, 0.5]  when activation = relu}. What {@code gradtune validate} prints.
 */
public final class SpaceText {

    private SpaceText() {
    }

    /** One line per parameter, in declaration order, the columns aligned. */
    public static List<String> lines(SearchSpace space) {
        return lines(space.parameters());
    }

    /** One line per parameter, in the given order, the columns aligned. */
    public static List<String> lines(List<Parameter> parameters) {
        int nameWidth = 0;
        int typeWidth = 0;
        int valueWidth = 0;
        List<String[]> rows = new ArrayList<>();
        for (Parameter p : parameters) {
            String[] row = {p.name(), type(p), values(p), condition(p.condition())};
            nameWidth = Math.max(nameWidth, row[0].length());
            typeWidth = Math.max(typeWidth, row[1].length());
            valueWidth = Math.max(valueWidth, row[2].length());
            rows.add(row);
        }
        List<String> out = new ArrayList<>();
        for (String[] row : rows) {
            String line = pad(row[0], nameWidth) + "  " + pad(row[1], typeWidth) + "  "
                    + (row[3].isEmpty() ? row[2] : pad(row[2], valueWidth) + "  " + row[3]);
            out.add(line.stripTrailing());
        }
        return out;
    }

    /** The type column: float, int, categorical or fixed. */
    static String type(Parameter p) {
        if (p instanceof FloatParameter) {
            return "float";
        }
        if (p instanceof IntParameter) {
            return "int";
        }
        return p instanceof CategoricalParameter ? "categorical" : "fixed";
    }

    /** The range ({@code [low, high]}, then {@code log} on a log scale), the choices, or the fixed value. */
    static String values(Parameter p) {
        if (p instanceof FloatParameter f) {
            return "[" + number(f.low()) + ", " + number(f.high()) + "]" + (f.log() ? " log" : "");
        }
        if (p instanceof IntParameter i) {
            return "[" + i.low() + ", " + i.high() + "]" + (i.log() ? " log" : "");
        }
        if (p instanceof CategoricalParameter c) {
            return "{" + c.choices().stream().map(SpaceText::value).collect(Collectors.joining(", ")) + "}";
        }
        return value(((FixedParameter) p).value());
    }

    /** {@code when parent = v}, {@code when parent in {a, b}}, {@code when parent >= n}, or "" without a condition. */
    static String condition(Condition c) {
        if (c == null) {
            return "";
        }
        if (c.in() != null) {
            return "when " + c.parent() + (c.in().size() == 1 ? " = " + value(c.in().get(0))
                    : " in {" + c.in().stream().map(SpaceText::value).collect(Collectors.joining(", ")) + "}");
        }
        return "when " + c.parent() + " >= " + number(c.atLeast());
    }

    /** A choice or fixed value: numbers as {@link #number}, everything else as written. */
    static String value(Object v) {
        return v instanceof Double || v instanceof Float ? number(((Number) v).doubleValue()) : String.valueOf(v);
    }

    /**
     * A number as short as it reads: integers without a fraction ({@code 3}), at most six significant digits,
     * and below 1e-3 or from 1e6 up in scientific form without padding ({@code 1e-4}, {@code 2.5e-5}).
     */
    public static String number(double x) {
        if (!Double.isFinite(x)) {
            return Double.toString(x);
        }
        if (x == 0) {
            return "0";
        }
        BigDecimal d = new BigDecimal(x).round(new MathContext(6)).stripTrailingZeros();
        double abs = Math.abs(x);
        if (abs >= 1e-3 && abs < 1e6) {
            return d.toPlainString();
        }
        int exponent = d.precision() - d.scale() - 1;
        BigDecimal mantissa = d.movePointLeft(exponent).stripTrailingZeros();
        return mantissa.toPlainString() + "e" + exponent;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
