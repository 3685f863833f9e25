package io.gradtune.worker.data;

import io.gradtune.api.DataFactory;
import io.gradtune.worker.userclass.UserClasses;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;

/**
 * A user's {@link DataFactory}, loaded by class name and drained into {@link Table}s: the driver's way to make own
 * data look exactly like rows read from a file, so the broadcast, per-trial mini-batching, statistics, stopping,
 * diagnosis and refit are unchanged. The class name comes from the study's config or the Java builder only.
 *
 * <p>Every check of the factory's contract happens here, while draining, with a message naming the split and the
 * example: an empty train or validation iterator, features of another rank or shape, masks, labels that are not
 * one-hot (or not one column for a regression), label widths that differ between splits, NaN or infinite values, more
 * than {@code maxValues} feature values in all.
 */
public final class UserData {

    private UserData() {
    }

    /** The three splits as drained; {@code test} is null when the factory has none. */
    public record Drained(Table train, Table validation, Table test) {
    }

    /** An instance of the named factory, from the thread's context class loader. */
    public static DataFactory load(String className) {
        return UserClasses.instantiate(className, DataFactory.class,
                "put its jar on the classpath or check the name in data.class",
                "a data class returns a DataSetIterator per split (see README, 'Your own data')", UserDataException::new);
    }

    /** Loads the named factory and drains its splits ({@link #drain(String, DataFactory, long, boolean, long)}). */
    public static Drained drain(String className, long seed, boolean regression, long maxValues) {
        return drain(className, load(className), seed, regression, maxValues);
    }

    /**
     * Drains {@code factory}'s train, validation and (optional) test iterators with {@code seed}.
     *
     * @param regression labels are one numeric target column ({@code data.task: regression}), else one-hot classes
     * @param maxValues  at most this many feature values over all splits
     * @throws UserDataException naming {@code className} and what is wrong
     */
    public static Drained drain(String className, DataFactory factory, long seed, boolean regression,
                                long maxValues) {
        Drainer d = new Drainer(className, regression, maxValues);
        Table train = d.split("train", call(className, "train", factory::train, seed), true);
        Table val = d.split("validation", call(className, "validation", factory::validation, seed), true);
        DataSetIterator testIt = call(className, "test", factory::test, seed);
        Table test = testIt == null ? null : d.split("test", testIt, false);
        return new Drained(train, val, test);
    }

    private static DataSetIterator call(String className, String split, LongFunction<DataSetIterator> f, long seed) {
        try {
            return f.apply(seed);
        } catch (RuntimeException | LinkageError e) {
            throw new UserDataException(className, split + "(" + seed + ") threw " + e, e);
        }
    }

    /** State across the splits: the first split's example shape and label width, which the others must match. */
    private static final class Drainer {
        private final String className;
        private final boolean regression;
        private final long maxValues;
        private long values;
        private long[] exampleShape;
        private String shapeFrom;
        private long labelWidth = -1;
        private String widthFrom;

        Drainer(String className, boolean regression, long maxValues) {
            this.className = className;
            this.regression = regression;
            this.maxValues = maxValues;
        }

        Table split(String split, DataSetIterator it, boolean required) {
            if (it == null) {
                throw fail(split + "(seed) returned null; return an iterator"
                        + (split.equals("validation") ? "" : " (only test() may return null: no test split)"));
            }
            FloatBuffer features = new FloatBuffer();
            FloatBuffer labels = new FloatBuffer();
            int rows = 0;
            try {
                while (it.hasNext()) {
                    DataSet batch = it.next();
                    if (batch == null) {
                        break;
                    }
                    rows += add(split, rows, batch, features, labels);
                }
            } catch (UserDataException e) {
                throw e;
            } catch (RuntimeException | LinkageError e) {
                throw fail("its " + split + " iterator threw " + e + " after " + rows + " examples", e);
            }
            if (rows == 0) {
                throw fail("its " + split + " iterator gave no examples" + (required ? ""
                        : "; return null from test() when there is no test split"));
            }
            return table(rows, features.toArray(), labels.toArray());
        }

        private int add(String split, int before, DataSet batch, FloatBuffer features, FloatBuffer labels) {
            INDArray f = batch.getFeatures();
            INDArray l = batch.getLabels();
            if (f == null || l == null) {
                throw fail("its " + split + " iterator gave a DataSet without " + (f == null ? "features" : "labels")
                        + " (example " + before + ")");
            }
            if (batch.getFeaturesMaskArray() != null || batch.getLabelsMaskArray() != null) {
                throw fail("its " + split + " iterator gave mask arrays (example " + before + "): masked sequences are"
                        + " not supported; give fixed-size examples without masks");
            }
            if (f.rank() != 2 && f.rank() != 4) {
                throw fail("its " + split + " features have rank " + f.rank() + " (shape "
                        + Arrays.toString(f.shape()) + "): expected rank 2 [examples, features] or rank 4 [examples, "
                        + "channels, height, width]" + (f.rank() == 3 ? "; sequences (rank 3) are not supported yet"
                        : ""));
            }
            long n = f.size(0);
            long[] shape = Arrays.copyOfRange(f.shape(), 1, f.rank());
            if (exampleShape == null) {
                exampleShape = shape;
                shapeFrom = split;
            } else if (!Arrays.equals(exampleShape, shape)) {
                throw fail("its " + split + " examples have shape " + Arrays.toString(shape) + " (from example "
                        + before + "), but its " + shapeFrom + " examples have " + Arrays.toString(exampleShape)
                        + "; every split needs the same feature shape");
            }
            if (l.rank() != 2 || l.size(0) != n) {
                throw fail("its " + split + " labels have shape " + Arrays.toString(l.shape()) + " for " + n
                        + " examples (from example " + before + "): expected [examples, "
                        + (regression ? "1] (a regression's target)" : "classes] (one-hot)"));
            }
            long width = l.size(1);
            if (labelWidth < 0) {
                labelWidth = width;
                widthFrom = split;
            } else if (width != labelWidth) {
                throw fail("its " + split + " labels are " + width + " wide, but its " + widthFrom + " labels are "
                        + labelWidth + "; every split needs the same " + (regression ? "target column" : "classes"));
            }
            if (regression && width != 1) {
                throw fail("its " + split + " labels are " + width + " wide: a regression (data.task: regression) "
                        + "needs one numeric target column");
            }
            if (!regression && width < 2) {
                throw fail("its " + split + " labels are " + width + " wide: a classification needs one-hot labels "
                        + "over at least 2 classes (or set data.task: regression for a numeric target)");
            }
            long perExample = f.length() / Math.max(1, n);
            values += f.length();
            if (values > maxValues) {
                throw fail(String.format(Locale.ROOT, "more than %,d feature values (%,d per example) by %s example "
                        + "%d: more than gradtune holds in memory on the driver and on each executor; sample the "
                        + "data first", maxValues, perExample, split, before + n));
            }
            float[] fv = f.castTo(DataType.FLOAT).dup('c').data().asFloat();
            for (int i = 0; i < fv.length; i++) {
                if (!Float.isFinite(fv[i])) {
                    throw fail("its " + split + " features hold " + fv[i] + " at example " + (before + i / perExample)
                            + ", value " + (i % perExample) + "; give finite features (impute or drop such examples)");
                }
            }
            float[] lv = l.castTo(DataType.FLOAT).dup('c').data().asFloat();
            for (int r = 0; r < n; r++) {
                check(split, before + r, lv, r * (int) width, (int) width);
            }
            features.add(fv);
            labels.add(lv);
            return (int) n;
        }

        private void check(String split, int example, float[] lv, int from, int width) {
            if (regression) {
                if (!Float.isFinite(lv[from])) {
                    throw fail("its " + split + " target at example " + example + " is " + lv[from]
                            + "; give finite targets");
                }
                return;
            }
            int ones = 0;
            for (int k = 0; k < width; k++) {
                float v = lv[from + k];
                if (v == 1f) {
                    ones++;
                } else if (v != 0f) {
                    ones = -1;
                    break;
                }
            }
            if (ones != 1) {
                float[] row = Arrays.copyOfRange(lv, from, from + width);
                throw fail("its " + split + " label at example " + example + " is " + Arrays.toString(row)
                        + ": expected one-hot (one 1, the rest 0)");
            }
        }

        private Table table(int rows, float[] features, float[] labels) {
            int columns = features.length / rows;
            List<String> names = new ArrayList<>(columns);
            for (int j = 0; j < columns; j++) {
                names.add("f" + j);
            }
            if (regression) {
                return Table.regression(names, features, labels);
            }
            int width = (int) labelWidth;
            int[] classes = new int[rows];
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < width; k++) {
                    if (labels[r * width + k] == 1f) {
                        classes[r] = k;
                        break;
                    }
                }
            }
            return new Table(names, features, classes, width);
        }

        private UserDataException fail(String reason) {
            return fail(reason, null);
        }

        private UserDataException fail(String reason, Throwable cause) {
            return new UserDataException(className, reason, cause);
        }
    }

    /** A growable float array. */
    private static final class FloatBuffer {
        private float[] data = new float[1024];
        private int size;

        void add(float[] values) {
            if (size + values.length > data.length) {
                data = Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 8,
                        Math.max((long) data.length * 2, (long) size + values.length)));
            }
            System.arraycopy(values, 0, data, size, values.length);
            size += values.length;
        }

        float[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
