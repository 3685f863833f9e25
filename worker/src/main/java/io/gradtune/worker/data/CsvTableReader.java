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
 * Reads a comma-separated file with a header row into a {@link Table}: every column but the label column is a
 * numeric feature; the label column holds 0-based integer classes. Files ending in {@code .gz} are gunzipped.
 */
public final class CsvTableReader {

    private CsvTableReader() {
    }

    public static Table read(Path file, String labelColumn) {
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            return read(reader, file.toString(), labelColumn);
        } catch (IOException e) {
            throw new DataFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    static Table read(BufferedReader reader, String source, String labelColumn) throws IOException {
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
        List<String> featureNames = new ArrayList<>(names.length - 1);
        for (int i = 0; i < names.length; i++) {
            if (i != labelIndex) {
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
                        features[f++] = Float.parseFloat(value);
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
