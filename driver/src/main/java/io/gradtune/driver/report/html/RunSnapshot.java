package io.gradtune.driver.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradtune.driver.journal.Journal;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a report is built from: a run directory's files as they are at one moment. {@code study} is study.json (null
 * while the study runs), {@code trials} the rows of trials.csv (finished trials), {@code records} the epoch records
 * of metrics.jsonl (or, live, the records the driver accepted from the Kafka stream, in memory), {@code journal} the
 * events of journal.jsonl (trial start and end times, stop decisions, the config text).
 */
public record RunSnapshot(Path dir, JsonNode study, List<Map<String, String>> trials, List<JsonNode> records,
                          List<ObjectNode> journal) {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Thrown when a directory is not a run directory a report can be built from. */
    public static final class NotARunDirectory extends RuntimeException {
        public NotARunDirectory(String message) {
            super(message);
        }
    }

    /**
     * Reads a run directory. A directory without journal.jsonl, trials.csv and study.json is not a run directory:
     * {@link NotARunDirectory} names it and what to pass instead.
     */
    public static RunSnapshot read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new NotARunDirectory(dir + " is not a directory: pass a study's run directory, e.g. runs/quickstart");
        }
        Path journal = dir.resolve(Journal.FILE);
        Path trials = dir.resolve("trials.csv");
        Path study = dir.resolve("study.json");
        if (!Files.exists(journal) && !Files.exists(trials) && !Files.exists(study)) {
            throw new NotARunDirectory(dir + " holds no study (no journal.jsonl, trials.csv or study.json): pass the "
                    + "directory a run wrote, runs/<study> under output.dir");
        }
        return new RunSnapshot(dir, readStudy(study), readTrials(trials), readRecords(dir.resolve("metrics.jsonl")),
                Files.exists(journal) ? Journal.read(journal) : List.of());
    }

    /**
     * The same files, with the epoch records given (the live feed's); metrics.jsonl is not read (the live report
     * read and parsed all of it at every rewrite, O(records) each time, and then used the records given).
     */
    public static RunSnapshot readWith(Path dir, List<JsonNode> records) {
        Path journal = dir.resolve(Journal.FILE);
        return new RunSnapshot(dir, readStudy(dir.resolve("study.json")), readTrials(dir.resolve("trials.csv")),
                records, Files.exists(journal) ? Journal.read(journal) : List.of());
    }

    static JsonNode readStudy(Path file) {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new NotARunDirectory("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** trials.csv's rows, column name to cell; empty when the file is absent. */
    static List<Map<String, String>> readTrials(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return parseTrials(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** trials.csv text (TrialsCsv's format) as rows. */
    public static List<Map<String, String>> parseTrials(String csv) {
        List<Map<String, String>> rows = new ArrayList<>();
        try (CSVParser p = CSVParser.parse(new StringReader(csv),
                CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build())) {
            for (CSVRecord r : p) {
                Map<String, String> row = new LinkedHashMap<>(r.toMap());
                rows.add(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /** metrics.jsonl's records; a line that is not JSON (a half-written last line) is left out. */
    static List<JsonNode> readRecords(Path file) {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                JsonNode n = parse(line);
                if (n != null) {
                    out.add(n);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return out;
    }

    static JsonNode parse(String line) {
        if (line.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The parameter names: the union of the journal's {@code trial_created} parameters in first-seen order, else
     * trials.csv's columns after the fixed ones.
     */
    List<String> parameterNames() {
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        for (ObjectNode e : journal) {
            if (e.path("event").asText().equals("trial_created")) {
                e.path("params").fieldNames().forEachRemaining(names::add);
            }
        }
        if (names.isEmpty() && !trials.isEmpty()) {
            List<String> cols = new ArrayList<>(trials.get(0).keySet());
            int from = Math.max(cols.indexOf("host"), cols.indexOf("val_r2"));
            if (from >= 0) {
                names.addAll(cols.subList(from + 1, cols.size()));
            }
        }
        return new ArrayList<>(names);
    }
}
