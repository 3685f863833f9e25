package io.gradtune.worker.data;

import io.gradtune.api.DataFactory;
import io.gradtune.examples.SpiralData;
import io.gradtune.worker.protocol.DataSpec;
import io.gradtune.worker.protocol.ProtocolCodec;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A data class's iterators drained into {@link Table}s ({@link UserData}): the arrays as the iterators give them
 * (rank 4 flattened in C order, one-hot labels to classes, a regression's one column to targets), and every breach of
 * {@link DataFactory}'s contract an error naming the class, the split and the example.
 */
class UserDataTest {

    private static final String NAME = "com.acme.Data";

    /** A factory of fixed splits; a null function means that split returns null. */
    private static DataFactory factory(Function<Long, DataSetIterator> train, Function<Long, DataSetIterator> val,
                                       Function<Long, DataSetIterator> test) {
        return new DataFactory() {
            @Override
            public DataSetIterator train(long seed) {
                return train.apply(seed);
            }

            @Override
            public DataSetIterator validation(long seed) {
                return val.apply(seed);
            }

            @Override
            public DataSetIterator test(long seed) {
                return test == null ? null : test.apply(seed);
            }
        };
    }

    private static DataSetIterator rows(float[][] x, float[][] y, int batch) {
        return new ViewIterator(new DataSet(Nd4j.create(x), Nd4j.create(y)), batch);
    }

    private static DataSetIterator good() {
        return rows(new float[][]{{1, 2}, {3, 4}, {5, 6}}, new float[][]{{1, 0, 0}, {0, 0, 1}, {0, 1, 0}}, 2);
    }

    private static UserDataException fails(DataFactory f) {
        return assertThrows(UserDataException.class, () -> UserData.drain(NAME, f, 0, false, 1000));
    }

    @Test
    void drainsEverySplitIntoRowsAndClassesAcrossBatches() {
        UserData.Drained d = UserData.drain(NAME, factory(s -> good(), s -> good(), s -> good()), 0, false, 1000);
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, d.train().features());
        assertArrayEquals(new int[]{0, 2, 1}, d.train().labels());
        assertEquals(3, d.train().numClasses());
        assertEquals(List.of("f0", "f1"), d.validation().featureNames());
        assertEquals(3, d.test().rows());
    }

    @Test
    void noTestSplitIsNull() {
        assertNull(UserData.drain(NAME, factory(s -> good(), s -> good(), null), 0, false, 1000).test());
    }

    @Test
    void imagesAreFlattenedPerExampleInCOrder() {
        INDArray images = Nd4j.arange(2 * 2 * 3 * 3).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)
                .reshape('c', 2, 2, 3, 3);
        DataSetIterator it = new ViewIterator(new DataSet(images, Nd4j.create(new float[][]{{0, 1}, {1, 0}})), 1);
        UserData.Drained d = UserData.drain(NAME, factory(s -> it, s -> {
            it.reset();
            return it;
        }, null), 0, false, 1000);
        assertEquals(18, d.train().columns());
        assertEquals(9f, d.train().features()[9]);
        assertEquals(18f, d.train().features()[18]);   // the second example starts where the first ends
    }

    @Test
    void aRegressionTakesOneTargetColumn() {
        DataSetIterator it = rows(new float[][]{{1}, {2}}, new float[][]{{0.5f}, {-1.5f}}, 5);
        UserData.Drained d = UserData.drain(NAME, factory(s -> it, s -> rows(new float[][]{{3}},
                new float[][]{{2f}}, 1), null), 0, true, 1000);
        assertArrayEquals(new float[]{0.5f, -1.5f}, d.train().targets());
        assertTrue(d.train().isRegression());
        UserDataException e = assertThrows(UserDataException.class, () -> UserData.drain(NAME,
                factory(s -> good(), s -> good(), null), 0, true, 1000));
        assertTrue(e.getMessage().contains("one numeric target column"), e.getMessage());
    }

    @Test
    void theSeedReachesTheFactoryAndTheExampleIsDeterministic() {
        SpiralData spiral = new SpiralData();
        UserData.Drained a = UserData.drain(NAME, spiral, 5, false, 1_000_000);
        UserData.Drained b = UserData.drain(NAME, spiral, 5, false, 1_000_000);
        UserData.Drained c = UserData.drain(NAME, spiral, 6, false, 1_000_000);
        assertEquals(SharedData.digest(List.of(a.train(), a.validation(), a.test())),
                SharedData.digest(List.of(b.train(), b.validation(), b.test())));
        assertNotEquals(SharedData.digest(List.of(a.train(), a.validation(), a.test())),
                SharedData.digest(List.of(c.train(), c.validation(), c.test())));
        assertEquals(1800, a.train().rows());
        assertEquals(600, a.validation().rows());
        assertEquals(3, a.train().numClasses());
    }

    @Test
    void theDigestOfTwoTablesIsAsBefore() {
        Table t = UserData.drain(NAME, factory(s -> good(), s -> good(), null), 0, false, 1000).train();
        assertEquals(SharedData.digest(t, t), SharedData.digest(List.of(t, t)));
        assertEquals(SharedData.digest(t, null), SharedData.digest(List.of(t)));
    }

    @Test
    void anEmptyOrNullIteratorIsAnError() {
        DataSetIterator empty = new ViewIterator(new DataSet(Nd4j.create(new float[][]{{1, 2}}),
                Nd4j.create(new float[][]{{1, 0}})), 1) {
            @Override
            public boolean hasNext() {
                return false;
            }
        };
        UserDataException e = fails(factory(s -> good(), s -> empty, null));
        assertTrue(e.getMessage().startsWith("data class " + NAME + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("validation iterator gave no examples"), e.getMessage());
        assertTrue(fails(factory(s -> null, s -> good(), null)).getMessage().contains("train(seed) returned null"));
        assertTrue(fails(factory(s -> good(), s -> good(), s -> empty)).getMessage()
                .contains("return null from test()"));
    }

    @Test
    void featureShapesAndLabelWidthsMustAgreeAcrossSplits() {
        DataSetIterator three = rows(new float[][]{{1, 2, 3}}, new float[][]{{1, 0, 0}}, 1);
        String m = fails(factory(s -> good(), s -> three, null)).getMessage();
        assertTrue(m.contains("validation examples have shape [3]") && m.contains("train examples have [2]"), m);
        DataSetIterator twoClasses = rows(new float[][]{{1, 2}}, new float[][]{{1, 0}}, 1);
        m = fails(factory(s -> good(), s -> twoClasses, null)).getMessage();
        assertTrue(m.contains("validation labels are 2 wide, but its train labels are 3"), m);
    }

    @Test
    void nanFeaturesAndLabelsThatAreNotOneHotAreErrors() {
        DataSetIterator nan = rows(new float[][]{{1, 2}, {Float.NaN, 4}}, new float[][]{{1, 0, 0}, {0, 1, 0}}, 2);
        String m = fails(factory(s -> nan, s -> good(), null)).getMessage();
        assertTrue(m.contains("train features hold NaN at example 1, value 0"), m);
        DataSetIterator soft = rows(new float[][]{{1, 2}}, new float[][]{{0.5f, 0.5f, 0}}, 1);
        m = fails(factory(s -> good(), s -> soft, null)).getMessage();
        assertTrue(m.contains("validation label at example 0 is [0.5, 0.5, 0.0]: expected one-hot"), m);
        DataSetIterator oneClass = rows(new float[][]{{1, 2}}, new float[][]{{1}}, 1);
        m = fails(factory(s -> oneClass, s -> good(), null)).getMessage();
        assertTrue(m.contains("at least 2 classes"), m);
    }

    @Test
    void sequencesMasksThrowingAndTooManyValuesAreErrors() {
        DataSetIterator seq = new ViewIterator(new DataSet(Nd4j.zeros(2, 3, 4), Nd4j.create(new float[][]{{1, 0},
                {0, 1}})), 2);
        assertTrue(fails(factory(s -> seq, s -> good(), null)).getMessage().contains("sequences (rank 3)"));
        DataSet masked = new DataSet(Nd4j.create(new float[][]{{1, 2}}), Nd4j.create(new float[][]{{1, 0, 0}}),
                Nd4j.ones(1, 2), null);
        DataSetIterator withMask = new ViewIterator(masked, 1);
        assertTrue(fails(factory(s -> withMask, s -> good(), null)).getMessage().contains("mask arrays"));
        DataFactory throwing = factory(s -> {
            throw new IllegalStateException("no database");
        }, s -> good(), null);
        String m = fails(throwing).getMessage();
        assertTrue(m.contains("train(0) threw java.lang.IllegalStateException: no database"), m);
        m = assertThrows(UserDataException.class, () -> UserData.drain(NAME, factory(s -> good(), s -> good(),
                null), 0, false, 10)).getMessage();
        assertTrue(m.contains("more than 10 feature values"), m);
    }

    @Test
    void loadingNamesTheClassAndTheCause() {
        assertTrue(assertThrows(UserDataException.class, () -> UserData.load("com.acme.Missing")).getMessage()
                .contains("not found on the classpath"));
        assertTrue(assertThrows(UserDataException.class, () -> UserData.load(String.class.getName())).getMessage()
                .contains("does not implement io.gradtune.api.DataFactory"));
        assertTrue(assertThrows(UserDataException.class, () -> UserData.load(NoDefault.class.getName()))
                .getMessage().contains("no public no-arg constructor"));
        assertTrue(assertThrows(UserDataException.class, () -> UserData.load(Throwing.class.getName()))
                .getMessage().contains("its constructor threw java.lang.IllegalStateException: boom"));
        assertEquals(SpiralData.class, UserData.load(SpiralData.class.getName()).getClass());
    }

    @Test
    void theSpecOfADataClassTravelsInJsonAndNamesTheClass() throws Exception {
        DataSpec spec = DataSpec.ofClass(SpiralData.class.getName(), 3, DataSpec.CLASSIFICATION).withFingerprint("ab");
        assertTrue(spec.userData() && spec.readByDriver() && !spec.readsLocalFiles());
        assertEquals("class io.gradtune.examples.SpiralData", spec.location());
        assertEquals("none", spec.scaling());
        String json = ProtocolCodec.encode(spec);
        assertEquals(spec, ProtocolCodec.mapper().readValue(json, DataSpec.class));
        DataSpec files = new DataSpec("/d.csv", "csv", "label", null, 0.6, 0.2, "standard", 0L);
        assertTrue(!ProtocolCodec.encode(files).contains("dataClass"), "files' specs are written as before");
    }

    public static final class NoDefault implements DataFactory {
        public NoDefault(int x) {
        }

        @Override
        public DataSetIterator train(long seed) {
            return null;
        }

        @Override
        public DataSetIterator validation(long seed) {
            return null;
        }
    }

    public static final class Throwing implements DataFactory {
        public Throwing() {
            throw new IllegalStateException("boom");
        }

        @Override
        public DataSetIterator train(long seed) {
            return null;
        }

        @Override
        public DataSetIterator validation(long seed) {
            return null;
        }
    }
}
