package io.gradtune.worker.data;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Writes {@code data/friedman1.csv}, the regression example's data: Friedman's first benchmark function
 * (Friedman 1991, "Multivariate adaptive regression splines"; scikit-learn's {@code make_friedman1}):
 * {@code y = 10 sin(pi x1 x2) + 20 (x3 - 0.5)^2 + 10 x4 + 5 x5 + e}, with {@code x1..x10} uniform on [0, 1)
 * (x6..x10 do not enter y) and noise {@code e ~ N(0, 1)}. {@link #ROWS} rows from {@code java.util.Random(SEED)}:
 * per row the ten x in order, then e. Values are written with 6 decimals; y is computed from the written x.
 *
 * <p>Run from the repository root: {@code java -cp worker/target/test-classes io.gradtune.worker.data.Friedman1
 * data/friedman1.csv} ({@code Friedman1Test} checks that the shipped file is exactly what this writes).
 */
public final class Friedman1 {

    public static final int ROWS = 2000;
    public static final long SEED = 20261129L;
    public static final int FEATURES = 10;

    private Friedman1() {
    }

    /** The whole file's text. */
    public static String csv() {
        Random random = new Random(SEED);
        StringWriter out = new StringWriter();
        for (int j = 1; j <= FEATURES; j++) {
            out.write("x" + j + ",");
        }
        out.write("y\n");
        double[] x = new double[FEATURES];
        for (int r = 0; r < ROWS; r++) {
            StringBuilder row = new StringBuilder();
            for (int j = 0; j < FEATURES; j++) {
                String cell = String.format(Locale.ROOT, "%.6f", random.nextDouble());
                x[j] = Double.parseDouble(cell);
                row.append(cell).append(',');
            }
            double noise = random.nextGaussian();
            double y = 10 * Math.sin(Math.PI * x[0] * x[1]) + 20 * (x[2] - 0.5) * (x[2] - 0.5) + 10 * x[3] + 5 * x[4]
                    + noise;
            row.append(String.format(Locale.ROOT, "%.6f", y)).append('\n');
            out.write(row.toString());
        }
        return out.toString();
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : "data/friedman1.csv");
        Files.writeString(file, csv(), StandardCharsets.UTF_8);
        System.out.println("wrote " + ROWS + " rows to " + file);
    }
}
