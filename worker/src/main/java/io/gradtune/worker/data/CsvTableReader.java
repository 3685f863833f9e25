package io.gradtune.worker.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads a comma-separated file with a header row into a {@link Table}: the feature columns (every column but the
 * label column, or the ones named, in that order) are numeric; the label column holds 0-based integer classes.
 * Columns that are neither are skipped unparsed. Files ending in {@code .gz} are gunzipped.
 */
public final class CsvTableReader {

    private CsvTableReader() {
    }

    public static Table read(Path file, String labelColumn) {
        return read(file, labelColumn, null);
    }

    /** Reads {@code file}; {@code featureColumns} names the features in order, null for every column but the label. */
    public static Table read(Path file, String labelColumn, List<String> featureColumns) {
        try (BufferedReader reader = open(file)) {
            return read(reader, file.toString(), labelColumn, featureColumns);
        } catch (IOException e) {
            throw new DataFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The column names of {@code file}'s header row (empty for an empty file). */
    public static List<String> header(Path file) {
        try (BufferedReader reader = open(file)) {
            String header = reader.readLine();
            return header == null ? List.of() : List.of(header.split(",", -1));
        } catch (IOException e) {
            throw new DataFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static BufferedReader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        try {
            if (file.toString().endsWith(".gz")) {
                in = new GZIPInputStream(in, 1 << 16);
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }

    static Table read(BufferedReader reader, String source, String labelColumn) throws IOException {
        return read(reader, source, labelColumn, null);
    }

    static Table read(BufferedReader reader, String source, String labelColumn, List<String> featureColumns)
            throws IOException {
        String header = reader.readLine();
        if (header == null) {
            throw new DataFormatException(source + ": empty file, expected a header row");
        }
        String[] names = header.split(",", -1);
        int labelIndex = Arrays.asList(names).indexOf(labelColumn);
        if (labelIndex < 0) {
            throw new DataFormatException(source + ": no column named '" + labelColumn + "' in the header "
                    + "(columns: " + String.join(", ", Arrays.asList(names).subList(0, Math.min(names.length, 8)))
                    + (names.length > 8 ? ", ..." : "") + "); set data.label_column");
        }
        // target[i]: the feature position of header column i, -1 for the label and for columns not used
        int[] target = new int[names.length];
        List<String> featureNames = new ArrayList<>(names.length - 1);
        if (featureColumns == null) {
            for (int i = 0; i < names.length; i++) {
                target[i] = i == labelIndex ? -1 : featureNames.size();
                if (i != labelIndex) {
                    featureNames.add(names[i].trim());
                }
            }
        } else {
            Arrays.fill(target, -1);
            for (String wanted : featureColumns) {
                int i = Arrays.asList(names).indexOf(wanted);
                if (i < 0 || i == labelIndex || target[i] >= 0) {
                    throw new DataFormatException(source + ": feature column '" + wanted + "' "
                            + (i < 0 ? "is not in the header" : i == labelIndex ? "is the label column" : "is named twice")
                            + "; fix data.feature_columns");
                }
                target[i] = featureNames.size();
                featureNames.add(names[i].trim());
            }
        }
        int cols = featureNames.size();
        float[] features = new float[1024 * cols];
        int[] labels = new int[1024];
        int rows = 0;
        int maxLabel = -1;
        String line;
        int lineNo = 1;
        while ((line = reader.readLine()) != null) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            if (rows == labels.length) {
                labels = Arrays.copyOf(labels, rows * 2);
                features = Arrays.copyOf(features, rows * 2 * cols);
            }
            int field = 0;
            int f = rows * cols;
            int start = 0;
            int len = line.length();
            while (start <= len) {
                int end = line.indexOf(',', start);
                if (end < 0) {
                    end = len;
                }
                if (field > names.length - 1) {
                    throw new DataFormatException(source + ":" + lineNo + ": more than " + names.length + " fields");
                }
                if (field != labelIndex && target[field] < 0) {
                    field++;
                    start = end + 1;
                    continue;
                }
                String value = line.substring(start, end);
                try {
                    if (field == labelIndex) {
                        int label = Integer.parseInt(value.trim());
                        if (label < 0) {
                            throw new NumberFormatException("negative");
                        }
                        labels[rows] = label;
                        maxLabel = Math.max(maxLabel, label);
                    } else {
                        features[f + target[field]] = Float.parseFloat(value);
                    }
                } catch (NumberFormatException e) {
                    throw new DataFormatException(source + ":" + lineNo + ": column '" + names[field] + "' has value '"
                            + value + "', expected " + (field == labelIndex ? "a 0-based integer class label" : "a number"));
                }
                field++;
                start = end + 1;
            }
            if (field != names.length) {
                throw new DataFormatException(source + ":" + lineNo + ": " + field + " fields, header has " + names.length);
            }
            rows++;
        }
        if (rows == 0) {
            throw new DataFormatException(source + ": no data rows after the header");
        }
        return new Table(featureNames, Arrays.copyOf(features, rows * cols), Arrays.copyOf(labels, rows), maxLabel + 1);
    }
}
