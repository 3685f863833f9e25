package io.gradtune.worker.bench;

import io.gradtune.worker.data.DataLoader;
import io.gradtune.worker.data.PreparedData;
import io.gradtune.worker.data.Table;
import io.gradtune.worker.model.FineTuning;
import io.gradtune.worker.model.Networks;
import io.gradtune.worker.model.PortableModel;
import io.gradtune.worker.model.TrainableNetwork;
import io.gradtune.worker.protocol.FineTuneSpec;
import io.gradtune.worker.protocol.ReportJson;
import io.gradtune.worker.train.TrialRunner;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * Transfer learning against training from scratch (issue 12): a network trained on the classes 0-4 of a data set is
 * fine-tuned on a few rows per class of 5-9 (relabelled 0-4), and compared at equal epochs with the same
 * architecture trained from scratch on the same rows.
 *
 * <p>Per seed: the source network (all rows of 0-4, {@code pretrainEpochs} epochs) and an untrained one of the same
 * architecture are saved; then, for each number of shots, {@code shots} rows per class of 5-9 are drawn (seeded) for
 * training and the rest of 5-9 is dealt alternately into a validation half and a test half. Four arms train on the
 * same rows, for the same epochs, with the same seed and batch size, at every rate of the same grid:
 * {@code scratch}; {@code transfer-frozen} (the source network, its first {@code freeze} weight layers frozen, the
 * output layer replaced); {@code transfer-all} (the source network, nothing frozen, output replaced); and
 * {@code random-frozen} (the untrained network with the same layers frozen: do the 0-4 features beat random ones?).
 * Each arm's rate is the one with the best mean validation accuracy over the seeds; its mean test accuracy at that
 * rate is reported, with the paired difference to scratch (scratch at its own chosen rate) per seed. The same networks
 * also give every arm at every rate of the grid, paired with scratch at that same rate ({@link Result#sameRate()},
 * printed with {@code --same-rate}).
 *
 * <p>Inputs are divided by {@code inputScale} and not otherwise scaled: a scaler fitted on a few shots would move the
 * inputs away from the scale the frozen layers were trained on. Run from the CLI as {@code gradtune bench transfer}.
 */
public final class TransferBenchmark {

    /** The arms, in report order. */
    public static final List<String> ARMS = List.of("scratch", "transfer-frozen", "transfer-all", "random-frozen");

    /** What {@link FineTuning} loads {@code io.gradtune.examples.FashionCnn} as: the convolutional model option. */
    static final String CNN = "io.gradtune.examples.FashionCnn";

    private TransferBenchmark() {
    }

    /**
     * A benchmark setting.
     *
     * @param data           CSV (or {@code .csv.gz}) with integer labels 0-9 in {@code label}
     * @param model          {@code mlp} (gradtune's network) or {@code cnn} ({@code io.gradtune.examples.FashionCnn})
     * @param params         architecture parameters of both the source network and the scratch arm
     * @param shots          training rows per target class, one measurement each
     * @param epochs         epoch budgets, equal for every arm
     * @param rates          the learning-rate grid every arm chooses from
     * @param seeds          seeds 1..seeds: source network, draw of the shots, and every arm's initialisation and order
     * @param freeze         weight layers frozen in the frozen arms (at least 1)
     * @param pretrainEpochs epochs of the source network on classes 0-4
     * @param batch          mini-batch size of the target training
     * @param inputScale     every feature is divided by it (16 for digits' 0..16 counts, 255 for 8-bit pixels)
     * @param evalPerClass   at most this many validation rows and as many test rows per target class (0: all the
     *                       rows not drawn for training); caps the evaluation cost on large data sets
     */
    public record Options(Path data, String model, Map<String, Object> params, List<Integer> shots,
                          List<Integer> epochs, List<Double> rates, int seeds, int freeze, int pretrainEpochs,
                          int batch, double inputScale, int evalPerClass) {

        /** Checks the values; throws {@link IllegalArgumentException} naming the bad one. */
        public Options {
            if (!model.equals("mlp") && !model.equals("cnn")) {
                throw new IllegalArgumentException("--model " + model + ": expected mlp or cnn");
            }
            if (shots.isEmpty() || shots.stream().anyMatch(s -> s < 1)) {
                throw new IllegalArgumentException("--shots " + shots + ": expected one or more counts >= 1");
            }
            if (epochs.isEmpty() || epochs.stream().anyMatch(e -> e < 1)) {
                throw new IllegalArgumentException("--epochs " + epochs + ": expected one or more counts >= 1");
            }
            if (rates.isEmpty() || rates.stream().anyMatch(r -> !(r > 0))) {
                throw new IllegalArgumentException("--rates " + rates + ": expected one or more rates > 0");
            }
            if (seeds < 2 || freeze < 1 || pretrainEpochs < 1 || batch < 1 || !(inputScale > 0)) {
                throw new IllegalArgumentException("expected --seeds >= 2 (a spread needs two), --freeze >= 1, "
                        + "--pretrain-epochs >= 1, --batch >= 1 and --input-scale > 0; got " + seeds + ", " + freeze
                        + ", " + pretrainEpochs + ", " + batch + ", " + inputScale);
            }
            if (!Files.isRegularFile(data)) {
                throw new IllegalArgumentException("--data " + data + ": file not found (a CSV with labels 0-9 in "
                        + "'label')");
            }
            if (model.equals("mlp") && params.get("layers") instanceof Integer layers && freeze > layers) {
                throw new IllegalArgumentException("--freeze " + freeze + ": the network has " + layers + " hidden "
                        + "layers; freeze 1 to " + layers + " (the output layer always trains)");
            }
            if (evalPerClass < 0) {
                throw new IllegalArgumentException("--eval-per-class " + evalPerClass + ": expected 0 (all rows) or "
                        + "a count >= 1");
            }
            params = Map.copyOf(params);
            shots = List.copyOf(shots);
            epochs = List.copyOf(epochs);
            rates = List.copyOf(rates);
        }

        /** Every row not drawn for training is evaluated ({@code evalPerClass} 0). */
        public Options(Path data, String model, Map<String, Object> params, List<Integer> shots, List<Integer> epochs,
                       List<Double> rates, int seeds, int freeze, int pretrainEpochs, int batch, double inputScale) {
            this(data, model, params, shots, epochs, rates, seeds, freeze, pretrainEpochs, batch, inputScale, 0);
        }

        String modelClass() {
            return model.equals("cnn") ? CNN : null;
        }
    }

    /** One arm at one setting: its chosen rate and, per seed, validation and test accuracy at that rate. */
    public record Cell(int shots, int epochs, String arm, double rate, double[] test, double[] pairedToScratch) {

        public double mean() {
            return Arrays.stream(test).average().orElse(Double.NaN);
        }

        public double sd() {
            return TransferBenchmark.sd(test);
        }

        public double pairedMean() {
            return Arrays.stream(pairedToScratch).average().orElse(Double.NaN);
        }

        public double pairedSd() {
            return TransferBenchmark.sd(pairedToScratch);
        }
    }

    /**
     * What one run measured, from the same trained networks.
     *
     * @param chosen   one cell per shots, epochs and arm, each arm at the rate it chose on validation rows, paired
     *                 with scratch at scratch's chosen rate
     * @param sameRate one cell per shots, epochs, rate and arm, every arm at that rate, paired with scratch at it
     */
    public record Result(List<Cell> chosen, List<Cell> sameRate) {

        public Result {
            chosen = List.copyOf(chosen);
            sameRate = List.copyOf(sameRate);
        }
    }

    /**
     * Runs the benchmark, printing one line per trained network to {@code log}, and returns one cell per shots,
     * epochs and arm (each arm at its own chosen rate).
     */
    public static List<Cell> run(Options o, PrintStream log) {
        return runAll(o, log).chosen();
    }

    /** Runs the benchmark as {@link #run} does and returns both views of its networks. */
    public static Result runAll(Options o, PrintStream log) {
        Table all = DataLoader.read(o.data(), "csv", "label");
        float[] scaled = all.features().clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] /= (float) o.inputScale();
        }
        all = all.withFeatures(scaled);
        Table source = relabel(all, 0);
        Table target = relabel(all, 5);
        // acc[shots][epochs][arm][rate][seed] = {validation, test}
        double[][][][][][] acc = new double[o.shots().size()][o.epochs().size()][ARMS.size()][o.rates().size()]
                [o.seeds()][];
        Path dir;
        try {
            dir = Files.createTempDirectory("gradtune-transfer-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String mc = o.modelClass();
        for (int s = 0; s < o.seeds(); s++) {
            long seed = s + 1;
            Map<String, Object> arch = new LinkedHashMap<>(o.params());
            PreparedData sourceData = PreparedData.of(source, source);
            Path trained = dir.resolve("source-" + seed + ".zip");
            Path untrained = dir.resolve("random-" + seed + ".zip");
            try (TrainableNetwork net = TrialRunner.train(mc, arch, Networks.trainingParameters(arch, mc), sourceData,
                    o.pretrainEpochs(), seed, null, () -> false)) {
                log.printf(Locale.ROOT, "seed %d: source network on classes 0-4, %d epochs, training accuracy %.4f%n",
                        seed, o.pretrainEpochs(), accuracy(net, sourceData.valX(), sourceData.valY()));
                save(net, trained);
            }
            try (TrainableNetwork net = TrialRunner.untrained(mc, arch, Networks.trainingParameters(arch, mc),
                    sourceData, seed)) {
                save(net, untrained);
            }
            for (int k = 0; k < o.shots().size(); k++) {
                Table[] parts = draw(target, o.shots().get(k), new Random(seed * 1000 + o.shots().get(k)),
                        o.evalPerClass());
                PreparedData data = PreparedData.of(parts[0], parts[1]);
                PreparedData testData = PreparedData.of(parts[0], parts[2]);
                INDArray testX = testData.valX();
                INDArray testY = testData.valY();
                for (int e = 0; e < o.epochs().size(); e++) {
                    for (int r = 0; r < o.rates().size(); r++) {
                        for (int a = 0; a < ARMS.size(); a++) {
                            try (TrainableNetwork net = arm(ARMS.get(a), o, arch, trained, untrained, data,
                                    o.epochs().get(e), o.rates().get(r), seed)) {
                                double val = accuracy(net, data.valX(), data.valY());
                                double test = accuracy(net, testX, testY);
                                acc[k][e][a][r][s] = new double[] {val, test};
                                log.printf(Locale.ROOT, "seed %d, %d shots, %d epochs, rate %s, %s: validation %.4f, "
                                        + "test %.4f%n", seed, o.shots().get(k), o.epochs().get(e), o.rates().get(r),
                                        ARMS.get(a), val, test);
                            }
                        }
                    }
                }
            }
        }
        List<Cell> cells = new ArrayList<>();
        for (int k = 0; k < o.shots().size(); k++) {
            for (int e = 0; e < o.epochs().size(); e++) {
                int[] chosen = new int[ARMS.size()];
                for (int a = 0; a < ARMS.size(); a++) {
                    double best = -1;
                    for (int r = 0; r < o.rates().size(); r++) {
                        double v = 0;
                        for (int s = 0; s < o.seeds(); s++) {
                            v += acc[k][e][a][r][s][0];
                        }
                        if (v > best) {
                            best = v;
                            chosen[a] = r;
                        }
                    }
                }
                for (int a = 0; a < ARMS.size(); a++) {
                    double[] test = new double[o.seeds()];
                    double[] paired = new double[o.seeds()];
                    for (int s = 0; s < o.seeds(); s++) {
                        test[s] = acc[k][e][a][chosen[a]][s][1];
                        paired[s] = test[s] - acc[k][e][0][chosen[0]][s][1];
                    }
                    cells.add(new Cell(o.shots().get(k), o.epochs().get(e), ARMS.get(a), o.rates().get(chosen[a]),
                            test, paired));
                }
            }
        }
        List<Cell> sameRate = new ArrayList<>();
        for (int k = 0; k < o.shots().size(); k++) {
            for (int e = 0; e < o.epochs().size(); e++) {
                for (int r = 0; r < o.rates().size(); r++) {
                    for (int a = 0; a < ARMS.size(); a++) {
                        double[] test = new double[o.seeds()];
                        double[] paired = new double[o.seeds()];
                        for (int s = 0; s < o.seeds(); s++) {
                            test[s] = acc[k][e][a][r][s][1];
                            paired[s] = test[s] - acc[k][e][0][r][s][1];
                        }
                        sameRate.add(new Cell(o.shots().get(k), o.epochs().get(e), ARMS.get(a), o.rates().get(r),
                                test, paired));
                    }
                }
            }
        }
        return new Result(cells, sameRate);
    }

    /** The cells as a Markdown table: mean test accuracy and spread per arm, paired difference to scratch. */
    public static String table(List<Cell> cells, int seeds) {
        StringBuilder b = new StringBuilder("| shots/class | epochs | arm | rate | test accuracy, mean ± sd over "
                + seeds + " seeds | minus scratch, paired mean ± sd (min) |\n|---|---|---|---|---|---|\n");
        for (Cell c : cells) {
            b.append(String.format(Locale.ROOT, "| %d | %d | %s | %s | %.3f ± %.3f | %s |%n", c.shots(), c.epochs(),
                    c.arm(), c.rate(), c.mean(), c.sd(), c.arm().equals("scratch") ? "" : String.format(Locale.ROOT,
                            "%+.3f ± %.3f (%+.3f)", c.pairedMean(), c.pairedSd(),
                            Arrays.stream(c.pairedToScratch()).min().orElse(Double.NaN))));
        }
        return b.toString();
    }

    /** The cells as one JSON line. */
    public static String toJson(Options o, List<Cell> cells) {
        return toJson(o, cells, null);
    }

    /**
     * The cells as one JSON line; with {@code sameRate} not null, those cells too (every arm at every rate of the
     * grid, paired with scratch at the same rate) under {@code same_rate_cells}.
     */
    public static String toJson(Options o, List<Cell> cells, List<Cell> sameRate) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "transfer");
        out.put("data", o.data().toString());
        out.put("model", o.model());
        out.put("params", new java.util.TreeMap<>(o.params()));
        out.put("freeze", o.freeze());
        out.put("pretrain_epochs", o.pretrainEpochs());
        out.put("batch", o.batch());
        out.put("seeds", o.seeds());
        out.put("eval_per_class", o.evalPerClass());
        out.put("cells", jsonRows(cells));
        if (sameRate != null) {
            out.put("same_rate_cells", jsonRows(sameRate));
        }
        return ReportJson.line(out);
    }

    private static List<Map<String, Object>> jsonRows(List<Cell> cells) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Cell c : cells) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("shots", c.shots());
            m.put("epochs", c.epochs());
            m.put("arm", c.arm());
            m.put("rate", c.rate());
            m.put("test_mean", c.mean());
            m.put("test_sd", c.sd());
            m.put("test", c.test());
            m.put("minus_scratch", c.pairedToScratch());
            rows.add(m);
        }
        return rows;
    }

    private static TrainableNetwork arm(String arm, Options o, Map<String, Object> arch, Path trained, Path untrained,
                                        PreparedData data, int epochs, double rate, long seed) {
        Map<String, Object> tune = Map.of("learning_rate", rate, "batch_size", o.batch());
        return switch (arm) {
            case "scratch" -> {
                Map<String, Object> p = new LinkedHashMap<>(arch);
                p.putAll(tune);
                yield TrialRunner.train(o.modelClass(), p, Networks.trainingParameters(p, o.modelClass()), data,
                        epochs, seed, null, () -> false);
            }
            case "transfer-frozen", "transfer-all", "random-frozen" -> TrialRunner.train(null,
                    new FineTuneSpec((arm.startsWith("random") ? untrained : trained).toString(),
                            arm.equals("transfer-all") ? 0 : o.freeze(), true),
                    tune, FineTuning.trainingParameters(tune), data, epochs, seed, null, () -> false);
            default -> throw new IllegalArgumentException(arm);
        };
    }

    /** The rows whose label is {@code from}..{@code from + 4}, relabelled 0..4. */
    static Table relabel(Table all, int from) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < all.rows(); i++) {
            if (all.labels()[i] >= from && all.labels()[i] < from + 5) {
                rows.add(i);
            }
        }
        Table t = all.select(rows.stream().mapToInt(Integer::intValue).toArray());
        int[] labels = Arrays.stream(t.labels()).map(l -> l - from).toArray();
        return new Table(t.featureNames(), t.features(), labels, 5);
    }

    /** {@code shots} rows per class for training, the rest dealt alternately to validation and test. */
    static Table[] draw(Table target, int shots, Random random) {
        return draw(target, shots, random, 0);
    }

    /**
     * {@code shots} rows per class for training, the rest dealt alternately to validation and test, at most
     * {@code evalPerClass} rows per class each (0: no cap).
     */
    static Table[] draw(Table target, int shots, Random random, int evalPerClass) {
        List<Integer> train = new ArrayList<>();
        List<Integer> val = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int c = 0; c < target.numClasses(); c++) {
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < target.rows(); i++) {
                if (target.labels()[i] == c) {
                    rows.add(i);
                }
            }
            if (rows.size() < shots + 2) {
                throw new IllegalArgumentException("class " + c + " of the target task has " + rows.size()
                        + " rows; " + shots + " shots leave none to validate or test on");
            }
            Collections.shuffle(rows, random);
            train.addAll(rows.subList(0, shots));
            int end = evalPerClass == 0 ? rows.size() : Math.min(rows.size(), shots + 2 * evalPerClass);
            for (int j = shots; j < end; j++) {
                ((j - shots) % 2 == 0 ? val : test).add(rows.get(j));
            }
        }
        return new Table[] {pick(target, train), pick(target, val), pick(target, test)};
    }

    private static Table pick(Table t, List<Integer> rows) {
        return t.select(rows.stream().mapToInt(Integer::intValue).toArray());
    }

    private static void save(TrainableNetwork net, Path file) {
        try {
            ModelSerializer.writeModel(PortableModel.of(net), file.toFile(), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double accuracy(TrainableNetwork net, INDArray x, INDArray y) {
        INDArray predicted = PortableModel.output(net.dl4j(), x).argMax(1);
        INDArray actual = y.argMax(1);
        long right = 0;
        for (int i = 0; i < predicted.length(); i++) {
            if (predicted.getLong(i) == actual.getLong(i)) {
                right++;
            }
        }
        return (double) right / predicted.length();
    }

    static double sd(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double mean = Arrays.stream(v).average().orElse(0);
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return Math.sqrt(ss / (v.length - 1));
    }

    /** Runs {@link Command} on {@code args} and exits with its code: the table, then the JSON line. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new Command()).execute(args));
    }

    /**
     * The benchmark's command line ({@code gradtune bench transfer}); a bad option value is a usage error (exit 2).
     */
    @CommandLine.Command(name = "transfer", mixinStandardHelpOptions = true,
            description = "Trains a network on classes 0-4 of --data, fine-tunes it on a few rows per class of 5-9 "
                    + "(first --freeze layers frozen, or nothing frozen) and trains the same architecture from scratch "
                    + "and from frozen random layers on the same rows, at equal epochs and seeds, each arm's rate "
                    + "chosen from --rates on validation rows; prints held-out test accuracy per arm, JSON last.")
    public static final class Command implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--data", defaultValue = "data/digits.csv",
                description = "CSV (or .csv.gz) with labels 0-9 in 'label' (default ${DEFAULT-VALUE}).")
        Path data;

        @Option(names = "--model", defaultValue = "mlp",
                description = "mlp (gradtune's network) or cnn (io.gradtune.examples.FashionCnn) (default ${DEFAULT-VALUE}).")
        String model;

        @Option(names = "--shots", defaultValue = "1,2,5,20", split = ",",
                description = "Training rows per target class (default ${DEFAULT-VALUE}).")
        List<Integer> shots;

        @Option(names = "--epochs", defaultValue = "30", split = ",",
                description = "Epochs of every arm on the target rows (default ${DEFAULT-VALUE}).")
        List<Integer> epochs;

        @Option(names = "--rates", defaultValue = "0.001,0.003,0.01", split = ",",
                description = "Learning-rate grid of every arm (default ${DEFAULT-VALUE}).")
        List<Double> rates;

        @Option(names = "--seeds", defaultValue = "5", description = "Seeds 1..N (default ${DEFAULT-VALUE}).")
        int seeds;

        @Option(names = "--freeze", defaultValue = "1",
                description = "Weight layers frozen in the frozen arms (default ${DEFAULT-VALUE}).")
        int freeze;

        @Option(names = "--pretrain-epochs", defaultValue = "30",
                description = "Epochs of the source network on classes 0-4 (default ${DEFAULT-VALUE}).")
        int pretrainEpochs;

        @Option(names = "--batch", defaultValue = "16", description = "Mini-batch size on the target rows (default ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--input-scale", defaultValue = "16",
                description = "Divide every feature by this (digits: 16; 8-bit pixels: 255) (default ${DEFAULT-VALUE}).")
        double inputScale;

        @Option(names = "--eval-per-class", defaultValue = "0",
                description = "At most this many validation and as many test rows per target class, drawn after the "
                        + "training rows (default ${DEFAULT-VALUE}: all the rows not drawn for training).")
        int evalPerClass;

        @Option(names = "--same-rate", description = "Also print every arm at every rate of --rates (one fixed rate for "
                + "all arms, paired with scratch at that rate), and add those cells to the JSON as same_rate_cells.")
        boolean sameRate;

        @Option(names = "--param", description = "Architecture parameter, e.g. --param units=256 --param layers=3 "
                + "(default: layers=2, units=64; with --model cnn the FashionCnn parameters).")
        List<String> params = new ArrayList<>();

        @Override
        public Integer call() {
            Options o;
            try {
                Map<String, Object> p = new LinkedHashMap<>();
                if (model.equals("mlp")) {
                    p.put("layers", 2);
                    p.put("units", 64);
                }
                for (String kv : params) {
                    TrialSpeedBenchmark.putParam(p, kv);
                }
                o = new Options(data, model, p, shots, epochs, rates, seeds, freeze, pretrainEpochs, batch,
                        inputScale, evalPerClass);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            Result result = runAll(o, System.out);
            System.out.print(table(result.chosen(), o.seeds()));
            if (sameRate) {
                System.out.println();
                System.out.println("Every arm at the same rate (paired with scratch at that rate):");
                System.out.print(table(result.sameRate(), o.seeds()));
            }
            System.out.println(toJson(o, result.chosen(), sameRate ? result.sameRate() : null));
            return CommandLine.ExitCode.OK;
        }
    }
}
