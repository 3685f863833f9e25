package io.gradtune.driver.search;

import io.gradtune.driver.diagnose.DiagnosisKind;
import io.gradtune.driver.space.CategoricalParameter;
import io.gradtune.driver.space.FixedParameter;
import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.IntParameter;
import io.gradtune.driver.space.Parameter;
import io.gradtune.driver.space.SearchSpace;
import io.gradtune.worker.stopping.Decision;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an earlier run's {@code trials.csv} as sampler observations, so a nightly study starts from what the
 * last one learned. Rows whose parameters fall outside the current space are skipped (the space may have
 * changed); states map as the live study maps them with diagnosis feedback on: gradient-rule stops, and pruned trials
 * whose diagnosis is VANISHING_GRADIENT or EXPLODING_GRADIENT, are infeasible.
 *
 * <p>The file is parsed with commons-csv, the library {@code TrialsCsv} writes it with (RFC 4180), so quoted
 * fields may hold commas, quotes and line breaks (a failed trial's stack trace). Cells are looked up by header
 * name; a missing cell counts as empty.
 */
public final class WarmStart {

    /** RFC 4180; the first record is the header. Accepts LF and CRLF record separators. */
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build();

    private WarmStart() {
    }

    /**
     * @param runDir   earlier run directory holding trials.csv
     * @param space    the current search space
     * @param maximize whether the objective is maximized (values are negated into minimization form)
     */
    public static List<Observation> read(Path runDir, SearchSpace space, boolean maximize) {
        Path file = runDir.resolve("trials.csv");
        List<Observation> out = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8); CSVParser parser = FORMAT.parse(in)) {
            for (CSVRecord record : parser) {
                Observation o = observation(record.toMap(), space, maximize);
                if (o != null) {
                    out.add(o);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (UncheckedIOException e) { // the parser's iterator: malformed CSV, e.g. an unterminated quote
            throw new UncheckedIOException("cannot parse " + file + ": " + e.getCause().getMessage(), e.getCause());
        }
        return out;
    }

    private static Observation observation(Map<String, String> row, SearchSpace space, boolean maximize) {
        Map<String, Object> params = new LinkedHashMap<>();
        for (Parameter p : space.parameters()) {
            String cell = row.getOrDefault(p.name(), "");
            if (cell.isEmpty()) {
                continue;
            }
            Object v = value(p, cell);
            if (v == null) {
                return null;
            }
            params.put(p.name(), v);
        }
        String state = row.getOrDefault("state", "");
        String objective = row.getOrDefault("objective", "");
        double value = objective.isEmpty() ? Double.NaN : Double.parseDouble(objective);
        value = maximize ? -value : value;
        String stopRule = row.getOrDefault("stop_reason", "").split("@")[0];
        String diagnosis = row.getOrDefault("diagnosis", "");
        boolean gradient = diagnosis.equals(DiagnosisKind.VANISHING_GRADIENT.name())
                || diagnosis.equals(DiagnosisKind.EXPLODING_GRADIENT.name());
        Observation.Kind kind = switch (state) {
            case "COMPLETED" -> Observation.Kind.COMPLETED;
            case "PRUNED" -> Decision.marksInfeasible(stopRule) || gradient ? Observation.Kind.INFEASIBLE
                    : Observation.Kind.PRUNED;
            default -> Observation.Kind.FAILED;
        };
        return new Observation(params, value, kind);
    }

    private static Object value(Parameter p, String cell) {
        try {
            if (p instanceof FloatParameter f) {
                double v = Double.parseDouble(cell);
                return v >= f.low() && v <= f.high() ? v : null;
            }
            if (p instanceof IntParameter i) {
                int v = (int) Double.parseDouble(cell);
                return v >= i.low() && v <= i.high() ? v : null;
            }
            if (p instanceof CategoricalParameter c) {
                for (Object choice : c.choices()) {
                    if (String.valueOf(choice).equals(cell)) {
                        return choice;
                    }
                }
                return null;
            }
            return ((FixedParameter) p).value();
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
