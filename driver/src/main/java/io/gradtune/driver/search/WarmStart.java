package io.gradtune.driver.search;

import io.gradtune.driver.space.CategoricalParameter;
import io.gradtune.driver.space.FixedParameter;
import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.IntParameter;
import io.gradtune.driver.space.Parameter;
import io.gradtune.driver.space.SearchSpace;
import io.gradtune.driver.stopping.Decision;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an earlier run's {@code trials.csv} as sampler observations, so a nightly study starts from what the
 * last one learned. Rows whose parameters fall outside the current space are skipped (the space may have
 * changed); states map as the live study maps them (gradient-rule stops are infeasible).
 */
public final class WarmStart {

    private WarmStart() {
    }

    /**
     * @param runDir   earlier run directory holding trials.csv
     * @param space    the current search space
     * @param maximize whether the objective is maximized (values are negated into minimization form)
     */
    public static List<Observation> read(Path runDir, SearchSpace space, boolean maximize) {
        List<String> lines;
        try {
            lines = Files.readAllLines(runDir.resolve("trials.csv"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + runDir.resolve("trials.csv"), e);
        }
        if (lines.isEmpty()) {
            return List.of();
        }
        List<String> header = splitCsv(lines.get(0));
        List<Observation> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> cells = splitCsv(line);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size() && i < cells.size(); i++) {
                row.put(header.get(i), cells.get(i));
            }
            Observation o = observation(row, space, maximize);
            if (o != null) {
                out.add(o);
            }
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
        Observation.Kind kind = switch (state) {
            case "COMPLETED" -> Observation.Kind.COMPLETED;
            case "PRUNED" -> Decision.marksInfeasible(stopRule) ? Observation.Kind.INFEASIBLE : Observation.Kind.PRUNED;
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

    /** Splits one RFC 4180 line (quoted fields may hold commas and doubled quotes). */
    static List<String> splitCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
