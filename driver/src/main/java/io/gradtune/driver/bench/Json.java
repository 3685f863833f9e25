package io.gradtune.driver.bench;

import java.util.List;
import java.util.stream.Collectors;

/** The few JSON literals the benchmark records print; not a general encoder. */
final class Json {

    private Json() {
    }

    static String string(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    static String number(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    static String numbers(List<Double> values) {
        return values.stream().map(Json::number).collect(Collectors.joining(",", "[", "]"));
    }
}
