package io.gradtune.worker.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The JSON writer for everything gradtune writes for people and scripts rather than for its own readers:
 * {@code study.json} and the benchmark records ({@code gradtune bench ...}). Kafka messages are
 * {@link ProtocolCodec}'s business.
 *
 * <p><b>Non-finite numbers are written as {@code null}.</b> NaN and ±Infinity are not JSON numbers; Jackson's
 * default would write them as the strings {@code "NaN"}, {@code "Infinity"}, which a consumer summing a column
 * would trip over. The rule is applied where numbers are written (every {@code double} and {@code float}, from
 * records, maps, lists or trees alike), so no emitter can forget it. The protocol keeps its documented strings
 * instead, because its readers turn them back into the doubles the stopping rules need.
 *
 * <p>Field order is the order of the map, record or tree given; use {@link java.util.LinkedHashMap} for maps.
 */
public final class ReportJson {

    private static final ObjectMapper MAPPER = new ObjectMapper(new NonFiniteAsNullFactory())
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private ReportJson() {
    }

    /** {@code value} as one line of JSON. */
    public static String line(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** {@code value} as indented JSON (Jackson's default pretty printer). */
    public static String pretty(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * {@code v} rounded half-up to {@code decimals} places, for figures printed at a fixed precision (the digits
     * are those of {@code String.format("%.<decimals>f", v)}); null when {@code v} is not finite.
     */
    public static BigDecimal fixed(double v, int decimals) {
        return Double.isFinite(v) ? BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP) : null;
    }

    /** A JSON factory whose generators write a non-finite double or float as {@code null}. */
    private static final class NonFiniteAsNullFactory extends JsonFactory {

        private static final long serialVersionUID = 1L;

        @Override
        public JsonFactory copy() {
            return new NonFiniteAsNullFactory();
        }

        @Override
        protected JsonGenerator _createGenerator(Writer out, IOContext ctxt) throws IOException {
            return new NonFiniteAsNull(super._createGenerator(out, ctxt));
        }

        @Override
        protected JsonGenerator _createUTF8Generator(OutputStream out, IOContext ctxt) throws IOException {
            return new NonFiniteAsNull(super._createUTF8Generator(out, ctxt));
        }
    }

    private static final class NonFiniteAsNull extends JsonGeneratorDelegate {

        NonFiniteAsNull(JsonGenerator d) {
            super(d, true);
        }

        @Override
        public void writeNumber(double v) throws IOException {
            if (Double.isFinite(v)) {
                super.writeNumber(v);
            } else {
                writeNull();
            }
        }

        @Override
        public void writeNumber(float v) throws IOException {
            if (Float.isFinite(v)) {
                super.writeNumber(v);
            } else {
                writeNull();
            }
        }
    }
}
