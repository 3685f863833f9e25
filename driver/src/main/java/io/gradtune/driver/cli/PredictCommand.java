package io.gradtune.driver.cli;

import io.gradtune.driver.refit.SavedModel;
import io.gradtune.worker.data.CsvTableReader;
import io.gradtune.worker.data.DataFormatException;
import io.gradtune.worker.data.Table;
import io.gradtune.worker.train.Evaluation;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code gradtune predict MODEL.zip DATA.csv}: one prediction per row of a CSV file with a saved model
 * ({@code best-model.zip}): its normalizer applied to the features as read, then the network. Writes
 * {@code predicted,p_0,...,p_K-1} per row (commons-csv), to {@code --output} or standard output. The features are the
 * columns the model was trained on, by name (the model's description); a column named like the training data's label
 * is not a feature, and when present it is compared with the predictions and the accuracy is printed (to standard
 * error when the predictions go to standard output). A regression model ({@code task: regression} in its
 * description) writes one column, {@code predicted}, on the target's original scale, and with the target column
 * present prints MSE, MAE and R² instead of the accuracy. Exit 2, before anything is written, for a missing or
 * unreadable model, unreadable data, or data whose feature count is not the model's input size.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict the class (or, for a regression model, the number) of every row of a CSV file with a "
                + "saved model (best-model.zip).")
final class PredictCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model saved by a study: RUN_DIR/best-model.zip")
    Path model;

    @Parameters(index = "1", paramLabel = "DATA", description = "A CSV file with a header row (may be .csv.gz)")
    Path data;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the predictions here (default: "
            + "standard output)")
    Path output;

    @Override
    public Integer call() throws IOException {
        SavedModel saved;
        Table rows;
        boolean labelled;
        try {
            saved = SavedModel.load(model);
            if (!Files.isRegularFile(data)) {
                return usage(data + ": data file not found");
            }
            List<String> header = CsvTableReader.header(data);
            SavedModel.Meta meta = saved.meta();
            String label = meta == null ? null : meta.labelColumn();
            labelled = label != null && header.contains(label);
            List<String> features = new ArrayList<>();
            for (String column : header) {
                if (!column.trim().equals(label)) {
                    features.add(column.trim());
                }
            }
            long inputs = saved.numInputs();
            if (features.size() != inputs) {
                return usage(data + " has " + features.size() + " feature columns" + (labelled ? " (besides its label "
                        + "column '" + label + "')" : "") + ", but the model " + model + " takes " + inputs
                        + " inputs: give data with the columns the model was trained on"
                        + (meta == null ? "" : " (" + preview(meta.featureNames()) + ")"));
            }
            // By name when the file has the model's columns (in any order), else by position.
            List<String> pick = meta != null && header.containsAll(meta.featureNames()) ? meta.featureNames() : null;
            // a model that fills missing values (data.missing) takes rows with empty or NaN cells
            boolean fills = saved.preprocessing() != null && saved.preprocessing().cleaning().fill() != null;
            rows = labelled ? CsvTableReader.read(data, label, pick, saved.regression(), fills)
                    : CsvTableReader.readUnlabelled(data, pick, fills);
        } catch (IllegalArgumentException | DataFormatException e) {
            return usage(e.getMessage());
        }
        if (saved.regression()) {
            return regression(saved, rows, labelled);
        }
        INDArray p = rows.rows() == 0 ? null : saved.probabilities(rows);
        int classes = p == null ? 0 : (int) p.columns();
        float[] probs = p == null ? new float[0] : p.dup('c').data().asFloat();
        int correct = 0;
        Writer writer = writer();
        List<String> columns = new ArrayList<>();
        columns.add("predicted");
        for (int c = 0; c < classes; c++) {
            columns.add("p_" + c);
        }
        try (CSVPrinter csv = new CSVPrinter(writer, CSVFormat.DEFAULT.builder()
                .setHeader(columns.toArray(String[]::new)).setRecordSeparator("\n").build())) {
            List<Object> record = new ArrayList<>(classes + 1);
            for (int r = 0; r < rows.rows(); r++) {
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (probs[r * classes + c] > probs[r * classes + best]) {
                        best = c;
                    }
                }
                if (labelled && rows.labels()[r] == best) {
                    correct++;
                }
                record.clear();
                record.add(best);
                for (int c = 0; c < classes; c++) {
                    record.add(probs[r * classes + c]);
                }
                csv.printRecord(record);
            }
        }
        PrintStream info = output == null ? System.err : System.out;
        if (output != null) {
            info.println(rows.rows() + " predictions written to " + output);
        }
        if (labelled && rows.rows() > 0) {
            info.printf(Locale.ROOT, "accuracy %.4f on %d labelled rows (column '%s')%n",
                    (double) correct / rows.rows(), rows.rows(), saved.meta().labelColumn());
        }
        return Gradtune.EXIT_OK;
    }

    /** A regression model's predictions: one column, the original scale; MSE, MAE and R² when the target is there. */
    private int regression(SavedModel saved, Table rows, boolean labelled) throws IOException {
        double[] predicted = rows.rows() == 0 ? new double[0] : saved.predictions(rows);
        try (CSVPrinter csv = new CSVPrinter(writer(), CSVFormat.DEFAULT.builder().setHeader("predicted")
                .setRecordSeparator("\n").build())) {
            for (double p : predicted) {
                csv.printRecord(p);
            }
        }
        PrintStream info = output == null ? System.err : System.out;
        if (output != null) {
            info.println(rows.rows() + " predictions written to " + output);
        }
        if (labelled && rows.rows() > 0) {
            Evaluation e = Evaluation.regression(predicted, rows.targets(), Double.NaN);
            info.printf(Locale.ROOT, "mse %.6g, mae %.6g, r2 %.4f on %d rows with a target (column '%s')%n",
                    e.valLoss(), e.valMae(), e.valR2(), rows.rows(), saved.meta().labelColumn());
        }
        return Gradtune.EXIT_OK;
    }

    /** {@code --output}, or standard output (left open). */
    private Writer writer() throws IOException {
        return output == null ? new OutputStreamWriter(new java.io.FilterOutputStream(System.out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush(); // standard output stays open
            }
        }, StandardCharsets.UTF_8) : Files.newBufferedWriter(output, StandardCharsets.UTF_8);
    }

    private static int usage(String message) {
        System.err.println("gradtune: " + message);
        return Gradtune.EXIT_USAGE;
    }

    private static String preview(List<String> names) {
        return names.size() <= 6 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 3)) + ", ..., " + names.get(names.size() - 1);
    }
}
