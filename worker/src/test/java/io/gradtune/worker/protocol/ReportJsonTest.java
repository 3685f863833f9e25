package io.gradtune.worker.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportJsonTest {

    /** Quotes, backslashes, line breaks, control characters, non-ASCII (BMP and a surrogate pair). */
    public static final String AWKWARD = "a \"quoted\" C:\\path\\ line\nbreak\r\ttab \u0000\u0001\u001f\u007f é 漢字 🙂";

    /** A strict parser: Jackson's defaults reject NaN/Infinity tokens, control characters and bad escapes. */
    public static JsonNode parseStrictly(String json) throws Exception {
        return new ObjectMapper().readTree(json);
    }

    record Sample(String name, double x, float f, Double boxed, List<Double> list) {
    }

    @Test
    void stringsRoundTripThroughJacksonsParser() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(AWKWARD, AWKWARD);
        m.put("list", List.of(AWKWARD, "plain"));
        for (String json : List.of(ReportJson.line(m), ReportJson.pretty(m))) {
            JsonNode back = parseStrictly(json);
            assertEquals(AWKWARD, back.get(AWKWARD).asText());
            assertEquals(AWKWARD, back.get("list").get(0).asText());
        }
        assertTrue(!ReportJson.line(m).contains("\n"), "one line");
    }

    @Test
    void nonFiniteNumbersAreWrittenAsNullWhereverTheyOccur() throws Exception {
        List<Double> list = Arrays.asList(1.5, Double.NaN, Double.NEGATIVE_INFINITY);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nan", Double.NaN);
        m.put("inf", Double.POSITIVE_INFINITY);
        m.put("float", Float.NEGATIVE_INFINITY);
        m.put("finite", 0.25);
        m.put("record", new Sample("s", Double.NaN, Float.NaN, Double.POSITIVE_INFINITY, list));
        ObjectNode tree = new ObjectMapper().createObjectNode();
        tree.put("nan", Double.NaN);
        tree.putArray("arr").add(Double.POSITIVE_INFINITY).add(2.0);
        m.put("tree", tree);
        for (String json : List.of(ReportJson.line(m), ReportJson.pretty(m))) {
            JsonNode back = parseStrictly(json);
            assertTrue(back.get("nan").isNull(), json);
            assertTrue(back.get("inf").isNull(), json);
            assertTrue(back.get("float").isNull(), json);
            assertEquals(0.25, back.get("finite").asDouble());
            JsonNode r = back.get("record");
            assertTrue(r.get("x").isNull() && r.get("f").isNull() && r.get("boxed").isNull(), json);
            assertEquals(1.5, r.get("list").get(0).asDouble());
            assertTrue(r.get("list").get(1).isNull() && r.get("list").get(2).isNull(), json);
            assertTrue(back.get("tree").get("nan").isNull(), json);
            assertTrue(back.get("tree").get("arr").get(0).isNull(), json);
            assertEquals(2.0, back.get("tree").get("arr").get(1).asDouble());
        }
    }

    @Test
    void keepsFieldOrderAndDoubleText() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", 1);
        m.put("a", 1.0E-5);
        m.put("m", 0.1 + 0.2);
        assertEquals("{\"z\":1,\"a\":1.0E-5,\"m\":0.30000000000000004}", ReportJson.line(m));
    }

    @Test
    void fixedHasTheDigitsOfStringFormat() {
        SplittableRandom r = new SplittableRandom(3);
        List<Double> values = new ArrayList<>(List.of(0.0, 1.005, 2.675, 0.125, 12345.6789, 1e-9, 123456789.125));
        for (int i = 0; i < 2000; i++) {
            values.add(r.nextDouble() * Math.pow(10, r.nextInt(-3, 7)));
        }
        for (double v : values) {
            for (int d = 0; d <= 5; d++) {
                assertEquals(String.format(Locale.ROOT, "%." + d + "f", v), ReportJson.fixed(v, d).toPlainString(),
                        v + " to " + d);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("x", ReportJson.fixed(12.3, 2));
        m.put("n", ReportJson.fixed(Double.NaN, 2));
        assertEquals("{\"x\":12.30,\"n\":null}", ReportJson.line(m));
        assertNull(ReportJson.fixed(Double.POSITIVE_INFINITY, 1));
    }
}
